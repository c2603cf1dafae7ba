import FinDocCore

/// One transcript file, read and ready to be stored in a single transaction.
public struct TranscriptImport: Sendable {
    /// sha256 of the file's bytes (hex).
    public var sha256: String
    /// The path as the user gave it.
    public var path: String
    /// Size of the file in bytes.
    public var sizeBytes: Int
    /// What the transcript reader returned.
    public var document: TranscriptDocument

    /// Creates an import.
    public init(sha256: String, path: String, sizeBytes: Int, document: TranscriptDocument) {
        self.sha256 = sha256
        self.path = path
        self.sizeBytes = sizeBytes
        self.document = document
    }

    /// failed when unreadable; partial when errors were raised but turns were read; else ingested.
    public var status: DocumentStatus {
        if document.unreadable || document.transcript.utterances.isEmpty { return .failed }
        return document.hasErrors ? .partial : .ingested
    }
}

/// What storing one transcript did.
public struct TranscriptImportOutcome: Sendable, Hashable {
    /// The document's row id.
    public var documentID: Int64
    /// The transcript's row id (the call id of `findoc query calls`), nil when the document failed.
    public var transcriptID: Int64?
    /// Its final status.
    public var status: DocumentStatus
    /// Utterances written.
    public var utterances: Int
    /// Sentences written.
    public var sentences: Int
}
