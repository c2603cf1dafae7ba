/// What an invoice ingestor read from one file: the invoice (when one could be read) and every finding — XML
/// errors, missing mandatory fields, broken calculation rules. An ingestor always returns one of these; it never
/// throws or traps because of the file's content.
public struct InvoiceDocument: Sendable {
    /// The format that was read (`ubl` or `cii`).
    public var format: DocumentFormat
    /// The invoice, nil when the file could not be read as one at all.
    public var invoice: Invoice?
    /// Everything worth telling the user, in the order found. Rule findings use the EN 16931 rule id as code
    /// (`BR-CO-10`) and carry the XPath of the element concerned.
    public var diagnostics: [Diagnostic]

    /// Creates a result.
    public init(format: DocumentFormat, invoice: Invoice?, diagnostics: [Diagnostic]) {
        self.format = format
        self.invoice = invoice
        self.diagnostics = diagnostics
    }

    /// True when no invoice could be read.
    public var unreadable: Bool { invoice == nil }

    /// True if any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
