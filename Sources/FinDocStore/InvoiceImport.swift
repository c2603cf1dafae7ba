import FinDocCore

/// One invoice file, read and ready to be stored in a single transaction.
public struct InvoiceImport: Sendable {
    /// sha256 of the file's bytes (hex).
    public var sha256: String
    /// The path as the user gave it.
    public var path: String
    /// Size of the file in bytes.
    public var sizeBytes: Int
    /// What the invoice ingestor read, with its findings.
    public var document: InvoiceDocument

    /// Creates an import.
    public init(sha256: String, path: String, sizeBytes: Int, document: InvoiceDocument) {
        self.sha256 = sha256
        self.path = path
        self.sizeBytes = sizeBytes
        self.document = document
    }

    /// Failed when no invoice could be read; partial when it was read but has errors (a broken rule, a missing
    /// field: it is stored with its findings); ingested otherwise.
    public var status: DocumentStatus {
        if document.invoice == nil { return .failed }
        return document.hasErrors ? .partial : .ingested
    }
}

/// What storing one invoice file did.
public struct InvoiceImportOutcome: Sendable, Hashable {
    /// The document's row id.
    public var documentID: Int64
    /// Its status.
    public var status: DocumentStatus
    /// The invoice's row id; nil when none was stored (unreadable, or a duplicate).
    public var invoiceID: Int64?
    /// Lines written.
    public var linesStored: Int
    /// The stored invoice this one repeats (same seller, number and type), when it was skipped for that.
    public var duplicateOf: Int64?
    /// Diagnostics added while storing (the duplicate note), beyond the ingestor's.
    public var storeDiagnostics: [Diagnostic]
}
