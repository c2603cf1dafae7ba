import FinDocCore

/// Which invoices (or invoice lines) a query or export selects. Every field is optional; set fields combine with AND.
public struct InvoiceFilter: Sendable, Hashable {
    /// Case-insensitive text in the seller's name, or the seller's VAT id exactly.
    public var seller: String?
    /// Issue date on or after this day.
    public var from: LocalDate?
    /// Issue date on or before this day.
    public var to: LocalDate?
    /// The invoice number (BT-1), exactly.
    public var invoiceNumber: String?
    /// Case-insensitive (ASCII) text in an invoice line's name (BT-153), description (BT-154) or note (BT-127):
    /// line queries keep the matching lines, invoice queries the invoices with at least one.
    public var text: String?
    /// At most this many rows.
    public var limit: Int?

    /// Creates a filter.
    public init(
        seller: String? = nil, from: LocalDate? = nil, to: LocalDate? = nil, invoiceNumber: String? = nil,
        limit: Int? = nil, text: String? = nil
    ) {
        self.seller = seller
        self.from = from
        self.to = to
        self.invoiceNumber = invoiceNumber
        self.limit = limit
        self.text = text
    }
}
