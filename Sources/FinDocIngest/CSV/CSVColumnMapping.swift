import FinDocCore

/// Which column (by index) holds each logical field of a file, from a profile or from common header names.
struct CSVColumnMapping: Sendable, Equatable {
    /// Column index per role; `description` lives in `descriptionColumns`.
    var columns: [CSVColumnRole: Int] = [:]
    /// Columns joined (with a space) into the description, in order.
    var descriptionColumns: [Int] = []
    /// A currency named in the amount column's header, as in `Amount (GBP)`.
    var headerCurrency: CurrencyCode?

    /// How the amount is laid out, or nil when the file has no usable amount column.
    enum Layout: Equatable {
        /// One signed amount column.
        case single(Int)
        /// One amount column and a column saying debit or credit.
        case direction(amount: Int, direction: Int)
        /// Separate money-out and money-in columns (either may be missing in a profile).
        case debitCredit(debit: Int?, credit: Int?)
    }

    /// The amount layout the mapping supports.
    var layout: Layout? {
        if let amount = columns[.amount] {
            if let direction = columns[.direction] { return .direction(amount: amount, direction: direction) }
            return .single(amount)
        }
        if columns[.debit] != nil || columns[.credit] != nil {
            return .debitCredit(debit: columns[.debit], credit: columns[.credit])
        }
        return nil
    }

    /// True when a date and an amount layout were found.
    var isUsable: Bool { columns[.date] != nil && layout != nil }

    /// Maps a profile's column names onto the header: for each field the first listed name present wins; for
    /// `description` every present name is used.
    init(profile: CSVProfile, headerKeys: [String]) {
        for (role, names) in profile.columns {
            let indices = names.compactMap { name in headerKeys.firstIndex(of: CSVHeaderKey.key(name)) }
            if role == .description {
                var seen = Set<Int>()
                descriptionColumns = indices.filter { seen.insert($0).inserted }
            } else if let first = indices.first {
                columns[role] = first
            }
        }
    }

    /// Maps common header names (English, German, Spanish) when no profile applies.
    init(automaticFor headerKeys: [String]) {
        var used = Set<Int>()
        func claim(_ role: CSVColumnRole, _ names: [String]) {
            for name in names {
                if let index = headerKeys.firstIndex(of: name), !used.contains(index) {
                    columns[role] = index
                    used.insert(index)
                    return
                }
            }
        }
        // Order matters: specific roles claim their columns before broader ones could.
        claim(.valueDate, Self.valueDateNames)
        claim(.date, Self.dateNames)
        claim(.amount, Self.amountNames)
        claim(.debit, Self.debitNames)
        claim(.credit, Self.creditNames)
        claim(.direction, Self.directionNames)
        claim(.currency, Self.currencyNames)
        claim(.originalAmount, Self.originalAmountNames)
        claim(.originalCurrency, Self.originalCurrencyNames)
        claim(.payee, Self.payeeNames)
        claim(.reference, Self.referenceNames)
        claim(.bankId, Self.bankIdNames)
        claim(.account, Self.accountNames)
        claim(.category, Self.categoryNames)
        claim(.status, Self.statusNames)
        for (index, key) in headerKeys.enumerated() where Self.descriptionNames.contains(key) && !used.contains(index) {
            descriptionColumns.append(index)
            used.insert(index)
        }
        // Looser second chance for the two fields nothing works without: "Date of transaction", "Amount (GBP)".
        if columns[.date] == nil,
            let index = headerKeys.indices.first(where: { !used.contains($0) && Self.words(headerKeys[$0]).contains("date") })
        {
            columns[.date] = index
            used.insert(index)
        }
        if columns[.amount] == nil, columns[.debit] == nil || columns[.credit] == nil,
            let index = headerKeys.indices.first(where: {
                !used.contains($0) && !Self.words(headerKeys[$0]).isDisjoint(with: ["amount", "amt", "betrag"])
            })
        {
            columns[.amount] = index
            columns[.debit] = nil
            columns[.credit] = nil
            used.insert(index)
        }
        if columns[.amount] == nil, columns[.debit] == nil || columns[.credit] == nil {
            columns[.debit] = nil
            columns[.credit] = nil
        }
        if let amount = columns[.amount] ?? columns[.debit] ?? columns[.credit], amount < headerKeys.count {
            headerCurrency = Self.currencyInParentheses(headerKeys[amount])
        }
    }

    private static func words(_ key: String) -> Set<String> {
        Set(key.split(whereSeparator: { !$0.isLetter }).map(String.init))
    }

    /// `amount (gbp)` → GBP.
    private static func currencyInParentheses(_ key: String) -> CurrencyCode? {
        guard let open = key.lastIndex(of: "("), let close = key.lastIndex(of: ")"), open < close else { return nil }
        let inner = key[key.index(after: open)..<close]
        return CurrencyCode(inner)
    }

    static let dateNames = [
        "date", "transaction date", "trans date", "trans. date", "posted date", "posting date", "post date",
        "booking date", "date posted", "buchungstag", "buchungsdatum", "datum", "fecha", "fecha operación",
        "fecha operacion",
    ]
    static let valueDateNames = ["value date", "valuta", "valutadatum", "wertstellung", "fecha valor"]
    static let amountNames = [
        "amount", "transaction amount", "amt", "betrag", "importe", "value", "umsatz", "montant",
    ]
    static let debitNames = [
        "debit", "debit amount", "debits", "paid out", "withdrawals", "withdrawal", "money out", "soll", "out",
        "amount out",
    ]
    static let creditNames = [
        "credit", "credit amount", "credits", "paid in", "deposits", "deposit", "money in", "haben", "in", "amount in",
    ]
    static let directionNames = [
        "debit/credit", "credit/debit", "dr/cr", "cr/dr", "d/c", "c/d", "soll/haben", "s/h", "direction",
        "credit debit indicator", "debit credit indicator",
    ]
    static let currencyNames = ["currency", "ccy", "currency code", "währung", "waehrung", "moneda", "devise"]
    static let originalAmountNames = ["original amount", "foreign amount", "original gross amt"]
    static let originalCurrencyNames = ["original currency", "foreign currency", "original cur"]
    static let descriptionNames: Set<String> = [
        "description", "details", "narrative", "memo", "transaction description", "transaction details", "merchant",
        "merchant name", "verwendungszweck", "buchungstext", "concepto", "libellé", "libelle", "label", "action",
        "narration", "particulars", "remarks", "purpose", "booking text", "payment details", "transaction",
    ]
    static let payeeNames = [
        "payee", "name", "counterparty", "counterparty name", "beneficiary", "payee name", "empfänger", "partner name",
        "partner", "counter party", "auftraggeber/empfänger",
        "beguenstigter/zahlungspflichtiger", "begünstigter/zahlungspflichtiger",
    ]
    static let referenceNames = ["reference", "ref", "check number", "cheque number", "check or slip #", "referenz"]
    static let bankIdNames = ["transaction id", "id", "fitid", "transaction reference number"]
    // Not "bank account": in the exports seen it names the counterparty's account, not the statement's.
    static let accountNames = ["account", "account number", "account name", "iban", "card number", "auftragskonto"]
    static let categoryNames = ["category", "kategorie", "categoría", "categoria"]
    static let statusNames = ["status", "state"]
}
