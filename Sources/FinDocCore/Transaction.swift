/// One bank or card transaction as read from a statement, before it is stored.
public struct Transaction: Hashable, Sendable {
    /// The account it belongs to, as the source identifies it (IBAN, masked card number, or a name).
    public var account: String
    /// The booking (posting) date.
    public var bookingDate: LocalDate
    /// The value date, when the source gives one.
    public var valueDate: LocalDate?
    /// The signed amount in the account's currency (negative = money out).
    public var amount: Money
    /// The amount in the currency of the original purchase, when the source gives one (e.g. a euro purchase billed
    /// in pounds).
    public var originalAmount: Money?
    /// The free text describing it: merchant string, remittance information, memo.
    public var description: String
    /// The counterparty, when the source separates it from the description.
    public var payee: String?
    /// A customer or end-to-end reference.
    public var reference: String?
    /// The bank's own unique id (OFX FITID, camt AcctSvcrRef, an id column); used first for de-duplication.
    public var bankId: String?
    /// Booked, pending or informational.
    public var status: BookingStatus
    /// A category label that came with the source (e.g. an expense-category column in a card export).
    public var sourceCategory: String?
    /// Where it was read: file plus line (CSV) or XPath (XML).
    public var location: SourceLocation
    /// 0-based position of the transaction in its document, for a stable order.
    public var position: Int
    /// Every field of the source record, by column name, in source order: nothing the file said is dropped.
    public var rawFields: [RawField]
    /// Index into `StatementDocument.statements` of the statement this transaction belongs to, when the format has
    /// statements (OFX, MT940, camt); nil for formats without them (CSV, QIF).
    public var statementIndex: Int?

    /// Creates a transaction.
    public init(
        account: String, bookingDate: LocalDate, valueDate: LocalDate? = nil, amount: Money,
        originalAmount: Money? = nil, description: String, payee: String? = nil, reference: String? = nil,
        bankId: String? = nil, status: BookingStatus = .booked, sourceCategory: String? = nil,
        location: SourceLocation, position: Int, rawFields: [RawField] = [], statementIndex: Int? = nil
    ) {
        self.account = account
        self.bookingDate = bookingDate
        self.valueDate = valueDate
        self.amount = amount
        self.originalAmount = originalAmount
        self.description = description
        self.payee = payee
        self.reference = reference
        self.bankId = bankId
        self.status = status
        self.sourceCategory = sourceCategory
        self.location = location
        self.position = position
        self.rawFields = rawFields
        self.statementIndex = statementIndex
    }
}

/// One named field of a source record, kept verbatim.
public struct RawField: Hashable, Sendable {
    /// The column or element name as the source spells it (trimmed).
    public var name: String
    /// The value as the source spells it.
    public var value: String

    /// Creates a field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
