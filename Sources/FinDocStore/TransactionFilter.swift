import FinDocCore

/// Which transactions a query or export selects. Every field is optional; set fields combine with AND.
public struct TransactionFilter: Sendable, Hashable {
    /// Booking date on or after this day.
    public var from: LocalDate?
    /// Booking date on or before this day.
    public var to: LocalDate?
    /// Account identifier, exactly or as its ending (`5770` matches `************5770`).
    public var account: String?
    /// Case-insensitive substring of the description, payee or reference.
    public var text: String?
    /// Amount at least this (signed decimal text such as `-100` or `12.50`), in the row's own currency.
    public var minAmount: String?
    /// Amount at most this.
    public var maxAmount: String?
    /// Only transactions from this document.
    public var documentID: Int64?
    /// Also pending transactions that a booked transaction has replaced (left out by default: they would count the
    /// same money twice).
    public var includeReplaced: Bool = false
    /// At most this many rows (in booking-date order, then file order).
    public var limit: Int?

    /// Creates a filter.
    public init(
        from: LocalDate? = nil, to: LocalDate? = nil, account: String? = nil, text: String? = nil,
        minAmount: String? = nil, maxAmount: String? = nil, documentID: Int64? = nil, includeReplaced: Bool = false,
        limit: Int? = nil
    ) {
        self.from = from
        self.to = to
        self.account = account
        self.text = text
        self.minAmount = minAmount
        self.maxAmount = maxAmount
        self.documentID = documentID
        self.includeReplaced = includeReplaced
        self.limit = limit
    }

    /// Amount bounds are compared at 4 decimal places so that one number works across currencies of 0–4 digits.
    static let comparisonDigits = 4

    /// Parses an amount bound such as `-12.5`; nil when it is not a plain decimal number.
    public static func parseAmountBound(_ text: String) -> Int64? {
        Money.parseMinorUnits(text.trimmingASCIIWhitespace(), digits: comparisonDigits)
    }
}
