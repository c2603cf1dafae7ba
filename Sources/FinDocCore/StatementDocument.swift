/// What a statement ingestor read from one file: its transactions, the statements or accounts it found, and the
/// diagnostics. An ingestor always returns one of these; it never throws or traps because of the file's content.
public struct StatementDocument: Sendable {
    /// The format that was read.
    public var format: DocumentFormat
    /// The column-mapping profile used (CSV), if any.
    public var profile: String?
    /// Statement-level facts (period, balances) per account, when the format carries them.
    public var statements: [StatementInfo]
    /// The transactions that were read successfully, in source order.
    public var transactions: [Transaction]
    /// Everything worth telling the user, in source order.
    public var diagnostics: [Diagnostic]
    /// Number of source records that were not stored because of an error (each has an error diagnostic).
    public var rejectedRecords: Int
    /// True when nothing in the file could be read as this format at all (wrong kind of file, binary, empty).
    public var unreadable: Bool

    /// Creates a document result.
    public init(
        format: DocumentFormat, profile: String? = nil, statements: [StatementInfo] = [],
        transactions: [Transaction] = [], diagnostics: [Diagnostic] = [], rejectedRecords: Int = 0,
        unreadable: Bool = false
    ) {
        self.format = format
        self.profile = profile
        self.statements = statements
        self.transactions = transactions
        self.diagnostics = diagnostics
        self.rejectedRecords = rejectedRecords
        self.unreadable = unreadable
    }

    /// True if any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Facts about one statement of one account: its period and balances, when the source gives them.
public struct StatementInfo: Hashable, Sendable {
    /// The account, as in `Transaction.account`.
    public var account: String
    /// The account's currency, when known.
    public var currency: CurrencyCode?
    /// First day covered.
    public var periodStart: LocalDate?
    /// Last day covered.
    public var periodEnd: LocalDate?
    /// Opening booked balance.
    public var openingBalance: Money?
    /// Closing booked balance.
    public var closingBalance: Money?
    /// The bank's statement id or sequence number.
    public var identifier: String?
    /// Where the statement starts in the file, for messages that name it.
    public var location: SourceLocation?
    /// Every balance the statement reports, in source order: the opening and closing ones again, and the available,
    /// forward and interim ones that have no field of their own.
    public var balances: [StatementBalance]

    /// Creates statement facts.
    public init(
        account: String, currency: CurrencyCode? = nil, periodStart: LocalDate? = nil, periodEnd: LocalDate? = nil,
        openingBalance: Money? = nil, closingBalance: Money? = nil, identifier: String? = nil,
        location: SourceLocation? = nil, balances: [StatementBalance] = []
    ) {
        self.account = account
        self.currency = currency
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.openingBalance = openingBalance
        self.closingBalance = closingBalance
        self.identifier = identifier
        self.location = location
        self.balances = balances
    }
}
