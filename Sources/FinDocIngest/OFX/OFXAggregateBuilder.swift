import FinDocCore

/// Turns the element events of an OFX body (from the 1.x SGML tokenizer or the 2.x XML reader) into statements,
/// transactions and diagnostics.
///
/// Events: `open` for an aggregate, `leaf` for an element with a value, `close` for the end of an aggregate. A close
/// tag for an aggregate that is not the innermost one closes the ones inside it implicitly (SGML style).
struct OFXAggregateBuilder {
    private let path: String
    private let accountOverride: String?
    private let lines: OFXSourceLines

    private var stack: [String] = []
    private var statement: PendingStatement?
    private var transaction: PendingTransaction?
    private var status = StatusBlock()
    private var skipped: [(name: String, count: Int)] = []

    private(set) var statements: [StatementInfo] = []
    private(set) var transactions: [Transaction] = []
    /// Where transactions go as their statement ends, once `<OFX>` was seen (before that they are kept in
    /// `transactions`, and dropped with the file when no `<OFX>` follows); nil to keep them all.
    var sink: ((Transaction) -> Void)?
    /// Transactions made so far (kept or handed to `sink`), for their `position`.
    private(set) var emitted = 0
    /// Transactions handed to `sink` so far.
    private(set) var handedOver = 0
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var rejected = 0
    /// True once an `<OFX>` element was seen.
    private(set) var sawOFX = false
    /// Structural problems (stray closing tags, truncation): used to judge a lenient re-read of bad XML.
    private(set) var structuralProblems = 0

    init(path: String, accountOverride: String?, lines: OFXSourceLines) {
        self.path = path
        self.accountOverride = accountOverride
        self.lines = lines
    }

    // MARK: statement and transaction state

    private enum StatementKind { case bank, creditCard, investment }

    private struct PendingStatement {
        var kind: StatementKind
        var line: Int
        var index: Int
        var bankId: String?
        var accountId: String?
        var currency: String?
        var periodStart: (String, Int)?
        var periodEnd: (String, Int)?
        var ledger: (amount: String, asOf: String?, line: Int)?
        var available: (amount: String, asOf: String?, line: Int)?
        var availableCash: (String, Int)?
        /// Transactions waiting for the end of the statement (see `finishTransaction`).
        var transactions: [PendingTransaction] = []
        /// True once the account aggregate (`BANKACCTFROM`, `CCACCTFROM`, `INVACCTFROM`) has closed.
        var accountClosed = false
        /// The account and currency the statement's transactions were built with as they ended, once the first was.
        var early: (account: String, currency: CurrencyCode)?
    }

    private struct PendingTransaction {
        /// `STMTTRN`, or the investment aggregate (`BUYSTOCK`, `INCOME`, …).
        var kind: String
        var line: Int
        /// Stack depth inside the transaction's aggregate.
        var base: Int
        var fields: [RawField] = []
        /// The line of the amount (`TRNAMT`, or an investment's `TOTAL`), for messages about it.
        var amountLine: Int?

        /// The first field named `name` exactly.
        func field(_ name: String) -> String? { fields.first { $0.name == name }?.value }
        /// The first field whose last path component is `name`.
        func field(endingWith name: String) -> String? {
            fields.first { $0.name == name || $0.name.hasSuffix("/" + name) }?.value
        }
    }

    private struct StatusBlock {
        var code: String?
        var severity: String?
        var message: String?
    }

    /// Investment transactions whose `TOTAL` is their cash effect.
    private static let cashInvestmentAggregates: Set<String> = [
        "INCOME", "BUYSTOCK", "SELLSTOCK", "BUYMF", "SELLMF", "BUYDEBT", "SELLDEBT", "BUYOTHER", "SELLOTHER",
        "BUYOPT", "SELLOPT", "MARGININTEREST", "RETOFCAP", "INVEXPENSE",
    ]

    /// Elements that are always leaves: an empty, unclosed one (`<MEMO><NAME>x`) is not taken for an aggregate.
    private static let knownLeaves: Set<String> = [
        "TRNTYPE", "DTPOSTED", "DTUSER", "DTAVAIL", "TRNAMT", "FITID", "CORRECTFITID", "CORRECTACTION", "SRVRTID",
        "CHECKNUM", "REFNUM", "SIC", "PAYEEID", "NAME", "EXTDNAME", "MEMO", "INV401KSOURCE", "CURRATE", "CURSYM",
        "CURDEF", "BANKID", "BRANCHID", "ACCTID", "ACCTTYPE", "ACCTKEY", "BROKERID", "DTSTART", "DTEND", "BALAMT",
        "DTASOF", "CODE", "SEVERITY", "MESSAGE", "TRNUID", "DTSERVER", "LANGUAGE", "ORG", "FID", "ADDR1", "ADDR2",
        "ADDR3", "CITY", "STATE", "POSTALCODE", "COUNTRY", "PHONE", "UNITS", "UNITPRICE", "TOTAL", "FEES",
        "COMMISSION", "TAXES", "DTTRADE", "DTSETTLE", "UNIQUEID", "UNIQUEIDTYPE", "SUBACCTSEC", "SUBACCTFUND",
        "INCOMETYPE", "BUYTYPE", "SELLTYPE", "AVAILCASH", "CLTCOOKIE",
    ]

    // MARK: events

    /// An aggregate starts.
    mutating func open(_ name: String, line: Int) {
        if Self.knownLeaves.contains(name) {
            leaf(name, "", line: line)
            return
        }
        let parent = stack.last
        stack.append(name)
        switch name {
        case "OFX": sawOFX = true
        case "STATUS": status = StatusBlock()
        case "STMTRS", "CCSTMTRS", "INVSTMTRS":
            finishStatement()
            let kind: StatementKind = name == "STMTRS" ? .bank : name == "CCSTMTRS" ? .creditCard : .investment
            statement = PendingStatement(kind: kind, line: line, index: statements.count)
        case "STMTTRN":
            if transaction != nil { finishTransaction(endLine: line) }
            transaction = PendingTransaction(kind: name, line: line, base: stack.count)
        default:
            guard transaction == nil else { return }
            if parent == "INVTRANLIST" {
                if Self.cashInvestmentAggregates.contains(name) {
                    transaction = PendingTransaction(kind: name, line: line, base: stack.count)
                } else if name != "INVBANKTRAN" {
                    noteSkipped(name)
                }
            } else if parent == "INVSTMTRS", !["INVACCTFROM", "INVTRANLIST", "INVBAL"].contains(name) {
                noteSkipped(name)
            } else if parent == "OFX", name == "SECLISTMSGSRSV1" {
                noteSkipped(name)
            }
        }
    }

    /// An element with a value (already trimmed and decoded).
    mutating func leaf(_ name: String, _ value: String, line: Int) {
        if name == "OFX" { sawOFX = true }
        if let base = transaction?.base {
            var qualified = name
            if stack.count > base {
                qualified = stack[base...].joined(separator: "/") + "/" + name
            }
            // Appended in place: a copy of the pending transaction made its field array copy itself at every leaf.
            transaction?.fields.append(RawField(name: qualified, value: value))
            if name == "TRNAMT" || name == "TOTAL", transaction?.amountLine == nil { transaction?.amountLine = line }
            return
        }
        let parent = stack.last ?? ""
        if parent == "STATUS" {
            switch name {
            case "CODE": status.code = value
            case "SEVERITY": status.severity = value
            case "MESSAGE": status.message = value
            default: break
            }
            return
        }
        guard var current = statement else { return }
        switch (parent, name) {
        case ("BANKACCTFROM", "BANKID"): current.bankId = value
        case ("BANKACCTFROM", "ACCTID"), ("CCACCTFROM", "ACCTID"), ("INVACCTFROM", "ACCTID"):
            current.accountId = value
        case ("STMTRS", "CURDEF"), ("CCSTMTRS", "CURDEF"), ("INVSTMTRS", "CURDEF"): current.currency = value
        case ("BANKTRANLIST", "DTSTART"), ("INVTRANLIST", "DTSTART"): current.periodStart = (value, line)
        case ("BANKTRANLIST", "DTEND"), ("INVTRANLIST", "DTEND"): current.periodEnd = (value, line)
        case ("LEDGERBAL", "BALAMT"): current.ledger = (value, current.ledger?.asOf, line)
        case ("LEDGERBAL", "DTASOF"): current.ledger = (current.ledger?.amount ?? "", value, current.ledger?.line ?? line)
        case ("AVAILBAL", "BALAMT"): current.available = (value, current.available?.asOf, line)
        case ("AVAILBAL", "DTASOF"):
            current.available = (current.available?.amount ?? "", value, current.available?.line ?? line)
        case ("INVBAL", "AVAILCASH"): current.availableCash = (value, line)
        default: return
        }
        statement = current
    }

    /// An aggregate ends.
    mutating func close(_ name: String, line: Int) {
        guard let index = stack.lastIndex(of: name) else {
            if !Self.knownLeaves.contains(name) {
                structuralProblems += 1
                diagnose(.warning, "ofx.structure", "closing tag </\(name)> has no matching opening tag; ignored", line)
            }
            return
        }
        while stack.count > index {
            let closing = stack.removeLast()
            closed(closing, line: line)
        }
    }

    private mutating func closed(_ name: String, line: Int) {
        if let base = transaction?.base, stack.count < base {
            finishTransaction(endLine: line)
            return
        }
        switch name {
        case "STATUS":
            let severity = status.severity?.uppercased() ?? ""
            if severity == "ERROR" || (severity == "WARN" && status.code != "0") {
                let message = status.message.map { ": \($0)" } ?? ""
                diagnose(
                    .warning, "ofx.status",
                    "the server reported status \(status.code ?? "?") (\(severity))\(message)", line)
            }
        case "STMTRS", "CCSTMTRS", "INVSTMTRS": finishStatement()
        case "BANKACCTFROM", "CCACCTFROM", "INVACCTFROM": statement?.accountClosed = true
        default: break
        }
    }

    /// The end of the input. `truncated` when the body stopped inside a tag.
    mutating func finish(endLine: Int, truncatedTag: Bool) {
        if !stack.isEmpty || truncatedTag {
            structuralProblems += 1
            let inside = stack.isEmpty ? "a tag" : "<\(stack.joined(separator: "><"))>"
            diagnose(
                .error, "ofx.truncated", "the file ends inside \(inside): it looks truncated; what came before is kept",
                endLine)
        }
        if transaction != nil {
            if let current = transaction {
                diagnose(
                    .error, "ofx.truncated", "the <\(current.kind)> starting here is incomplete; it was not stored",
                    current.line)
                rejected += 1
            }
            transaction = nil
        }
        finishStatement()
        stack.removeAll()
        if !skipped.isEmpty {
            let list = skipped.map { "\($0.name) (\($0.count))" }.joined(separator: ", ")
            diagnostics.append(
                Diagnostic(
                    .note, code: "ofx.skipped",
                    message: "skipped investment content that has no cash transaction to store: \(list)",
                    location: SourceLocation(file: path)))
        }
        if statements.isEmpty && emitted == 0 && rejected == 0 && sawOFX {
            diagnostics.append(
                Diagnostic(
                    .note, code: "ofx.noStatements",
                    message: "the file holds no statement (e.g. a sign-on, profile or account-list response)",
                    location: SourceLocation(file: path)))
        }
    }

    // MARK: finishing

    private mutating func noteSkipped(_ name: String) {
        if let index = skipped.firstIndex(where: { $0.name == name }) {
            skipped[index].count += 1
        } else {
            skipped.append((name, 1))
        }
    }

    private mutating func finishTransaction(endLine: Int) {
        guard let current = transaction else { return }
        transaction = nil
        if statement == nil {
            // A transaction outside any statement aggregate: give it a statement of its own.
            statement = PendingStatement(kind: .bank, line: current.line, index: statements.count)
        }
        guard var pending = statement else { return }
        // Built at once when the statement's account and currency are final (OFX puts CURDEF and the account
        // aggregate before the transaction list), so that a stream hands rows to the store while the rest of a
        // one-statement file is read: 100,000 transactions in one statement were all kept until its end. Otherwise,
        // and for every later row once one had to wait (file order), at the end of the statement.
        if pending.transactions.isEmpty, let target = pending.early ?? finalTarget(of: pending) {
            pending.early = target
            statement = pending
            emit(current, account: target.account, currency: target.currency, statementIndex: pending.index)
            return
        }
        statement?.transactions.append(current)
    }

    /// The account and currency of `pending` when they can no longer change: the account aggregate has closed (or
    /// `accountOverride` names the account) and CURDEF is a currency. Nil when either is missing or in doubt, which
    /// `finishStatement` then reports.
    private func finalTarget(of pending: PendingStatement) -> (account: String, currency: CurrencyCode)? {
        guard let code = pending.currency, let currency = CurrencyCode(code),
            accountOverride != nil || pending.accountClosed, let account = accountName(of: pending)
        else { return nil }
        return (account, currency)
    }

    /// The account of `pending`: `accountOverride`, else `BANKID ACCTID` (or `ACCTID`); nil when the statement names
    /// none.
    private func accountName(of pending: PendingStatement) -> String? {
        if let accountOverride { return accountOverride }
        guard let id = pending.accountId, !id.isEmpty else { return nil }
        if let bank = pending.bankId, !bank.isEmpty { return bank + " " + id }
        return id
    }

    /// Builds `item` and hands it to `sink` (once `<OFX>` was seen) or keeps it; counts it as emitted or rejected.
    private mutating func emit(_ item: PendingTransaction, account: String, currency: CurrencyCode, statementIndex: Int) {
        guard let built = build(item, account: account, currency: currency, statementIndex: statementIndex) else {
            rejected += 1
            return
        }
        if let sink, sawOFX {
            sink(built)
            handedOver += 1
        } else {
            transactions.append(built)
        }
        emitted += 1
    }

    private mutating func finishStatement() {
        guard let pending = statement else { return }
        statement = nil
        // Rows built as they ended used `early`; the statement must say the same.
        let account: String
        if let name = pending.early?.account ?? accountName(of: pending) {
            account = name
        } else {
            account = "unknown"
            diagnose(.warning, "ofx.account", "the statement names no account (ACCTID); using \"unknown\"", pending.line)
        }
        var currency = pending.early?.currency ?? pending.currency.flatMap { CurrencyCode($0) }
        if currency == nil {
            let shown = pending.currency.map { "\"\($0)\"" } ?? "none"
            diagnose(
                .warning, "ofx.currency", "the statement's currency (CURDEF) is \(shown); amounts are read as XXX",
                pending.line)
            currency = CurrencyCode("XXX")
        }
        guard let currency else { return }
        var info = StatementInfo(account: account, currency: currency, location: location(pending.line))
        if let (text, line) = pending.periodStart {
            info.periodStart = OFXValues.date(text)
            if info.periodStart == nil { diagnose(.warning, "ofx.date", "DTSTART \"\(text)\" is not a date", line) }
        }
        if let (text, line) = pending.periodEnd {
            info.periodEnd = OFXValues.date(text)
            if info.periodEnd == nil { diagnose(.warning, "ofx.date", "DTEND \"\(text)\" is not a date", line) }
        }
        if let ledger = pending.ledger {
            if let money = balance(ledger.amount, name: "LEDGERBAL", currency: currency, line: ledger.line) {
                info.closingBalance = money
                info.balances.append(
                    StatementBalance(
                        kind: .closing, code: "LEDGERBAL", amount: money, date: ledger.asOf.flatMap(OFXValues.date),
                        location: location(ledger.line)))
            } else {
                diagnose(
                    .warning, "ofx.balance",
                    "the ledger balance (LEDGERBAL BALAMT) \"\(ledger.amount)\" is not an amount; no closing balance",
                    ledger.line)
            }
        }
        if let available = pending.available {
            let date = available.asOf.flatMap(OFXValues.date)
            if let money = balance(available.amount, name: "AVAILBAL", currency: currency, line: available.line) {
                diagnose(
                    .note, "ofx.availableBalance",
                    "available balance (AVAILBAL) \(money)\(date.map { " as of \($0.iso)" } ?? "")", available.line)
                info.balances.append(
                    StatementBalance(
                        kind: .available, code: "AVAILBAL", amount: money, date: date, location: location(available.line)))
            } else {
                diagnose(
                    .warning, "ofx.balance", "the available balance (AVAILBAL BALAMT) \"\(available.amount)\" is not an amount",
                    available.line)
            }
        }
        if let (text, line) = pending.availableCash,
            let money = balance(text, name: "INVBAL AVAILCASH", currency: currency, line: line)
        {
            diagnose(.note, "ofx.availableBalance", "available cash (INVBAL AVAILCASH) \(money)", line)
            info.balances.append(
                StatementBalance(kind: .available, code: "INVBAL/AVAILCASH", amount: money, location: location(line)))
        }
        let statementIndex = statements.count
        statements.append(info)
        for item in pending.transactions {
            emit(item, account: account, currency: currency, statementIndex: statementIndex)
        }
    }

    /// A balance amount in the statement's currency; a located warning when it had to be rounded (the exact text
    /// is in the warning, as balances have no raw fields). Nil when it is not an amount.
    private mutating func balance(_ text: String, name: String, currency: CurrencyCode, line: Int) -> Money? {
        guard let parsed = OFXValues.minorUnits(text, digits: currency.minorUnitDigits) else { return nil }
        let money = Money(minorUnits: parsed.value, currency: currency)
        if parsed.rounded {
            diagnose(
                .warning, "ofx.amount",
                "\(name) BALAMT \"\(text)\" has more decimals than \(currency.code) uses (\(currency.minorUnitDigits)); "
                    + "stored rounded half away from zero as \(money)", line)
        }
        return money
    }

    private mutating func build(
        _ item: PendingTransaction, account: String, currency: CurrencyCode, statementIndex: Int
    ) -> Transaction? {
        let investment = item.kind != "STMTTRN"
        let amountName = investment ? "TOTAL" : "TRNAMT"
        let dateName = investment ? "DTTRADE" : "DTPOSTED"
        let lookup: (String) -> String? = { investment ? item.field(endingWith: $0) : item.field($0) }
        guard let amountText = lookup(amountName) else {
            diagnose(.error, "ofx.amount", "<\(item.kind)> has no \(amountName); it was not stored", item.line)
            return nil
        }
        guard let dateText = lookup(dateName) else {
            diagnose(.error, "ofx.date", "<\(item.kind)> has no \(dateName); it was not stored", item.line)
            return nil
        }
        guard let date = OFXValues.date(dateText) else {
            diagnose(
                .error, "ofx.date", "\(dateName) \"\(dateText)\" is not a date (YYYYMMDD…); the transaction was not stored",
                item.line)
            return nil
        }
        guard let parsed = OFXValues.minorUnits(amountText, digits: currency.minorUnitDigits) else {
            diagnose(
                .error, "ofx.amount", "\(amountName) \"\(amountText)\" is not an amount; the transaction was not stored",
                item.line)
            return nil
        }
        // More decimals than the currency has (`<TRNAMT>-12.3456` in USD; brokers and some card exports write
        // them): rounding with a located warning beats rejecting the row, because a missing row is the worse
        // silent error (balances stop adding up, spending disappears) while a sub-cent rounding is visible here,
        // in the diagnostics table, and undone by the exact text kept in the row's raw_fields. Half away from zero
        // is commercial rounding, as banks round a single amount, and the same rule as the CURRATE conversions
        // below. `--strict` turns the warning into a rejection of the file for those who want no rounding at all.
        if parsed.rounded {
            diagnose(
                .warning, "ofx.amount",
                "\(amountName) \"\(amountText)\" has more decimals than \(currency.code) uses "
                    + "(\(currency.minorUnitDigits)); stored rounded half away from zero as "
                    + "\(Money(minorUnits: parsed.value, currency: currency)); the exact text stays in raw_fields "
                    + "(\(amountName))", item.amountLine ?? item.line)
        }
        var amount = Money(minorUnits: parsed.value, currency: currency)
        var originalAmount: Money?
        // CURRENCY: the amounts are in CURSYM; CURRATE converts them to CURDEF. ORIGCURRENCY: the amounts were
        // already converted to CURDEF from CURSYM at CURRATE.
        // The field names are written out: joining them per row (four String appends) was an eighth of the cost
        // of building a transaction.
        for (symbolName, rateName, inForeignCurrency) in [
            ("CURRENCY/CURSYM", "CURRENCY/CURRATE", true), ("ORIGCURRENCY/CURSYM", "ORIGCURRENCY/CURRATE", false),
        ] {
            guard let symbol = lookup(symbolName),
                let foreign = CurrencyCode(symbol)
            else { continue }
            let rate = lookup(rateName).flatMap(OFXValues.canonicalAmount).flatMap(OFXValues.Decimal.init)
            if inForeignCurrency {
                guard let foreignMinor = OFXValues.minorUnits(amountText, digits: foreign.minorUnitDigits) else { break }
                originalAmount = Money(minorUnits: foreignMinor.value, currency: foreign)
                if let rate,
                    let converted = OFXValues.convert(
                        foreignMinor.value, fromDigits: foreign.minorUnitDigits, toDigits: currency.minorUnitDigits,
                        rate: rate, divide: false)
                {
                    amount = Money(minorUnits: converted, currency: currency)
                } else {
                    diagnose(
                        .warning, "ofx.currency",
                        "the amount is in \(foreign.code) but CURRATE is missing or unreadable; kept as written in \(currency.code)",
                        item.line)
                }
            } else if let rate,
                let converted = OFXValues.convert(
                    parsed.value, fromDigits: currency.minorUnitDigits, toDigits: foreign.minorUnitDigits, rate: rate,
                    divide: true)
            {
                originalAmount = Money(minorUnits: converted, currency: foreign)
            }
            break
        }
        let memo = lookup("MEMO").flatMap { $0.isEmpty ? nil : $0 }
        let name = (investment ? nil : item.field("NAME")).flatMap { $0.isEmpty ? nil : $0 }
        let payeeName = item.field("PAYEE/NAME").flatMap { $0.isEmpty ? nil : $0 }
        let payee = name ?? payeeName
        var description = memo ?? payee ?? ""
        if description.isEmpty, investment {
            description = item.kind + (lookup("UNIQUEID").map { " " + $0 } ?? "")
        }
        let check = lookup("CHECKNUM").flatMap { $0.allSatisfy { $0 == "0" } ? nil : $0 }
        let reference = check ?? lookup("REFNUM").flatMap { $0.isEmpty ? nil : $0 }
        let valueDateText = investment ? lookup("DTSETTLE") : item.field("DTAVAIL")
        let bankId = lookup("FITID").flatMap { $0.isEmpty ? nil : $0 }
        return Transaction(
            account: account, bookingDate: date, valueDate: valueDateText.flatMap(OFXValues.date), amount: amount,
            originalAmount: originalAmount, description: description, payee: payee, reference: reference,
            bankId: bankId, location: location(item.line), position: emitted, rawFields: item.fields,
            statementIndex: statementIndex)
    }

    private func location(_ line: Int) -> SourceLocation {
        SourceLocation(file: path, line: line > 0 ? line : nil)
    }

    private mutating func diagnose(_ severity: Diagnostic.Severity, _ code: String, _ message: String, _ line: Int) {
        diagnostics.append(
            Diagnostic(severity, code: code, message: message, location: location(line), sourceLine: lines.text(line)))
    }

    /// Appends a diagnostic made elsewhere (header or XML problems).
    mutating func append(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }
}
