import FinDocCore

/// One input file, read and ready to be stored in a single transaction.
public struct DocumentImport: Sendable {
    /// sha256 of the file's bytes (hex).
    public var sha256: String
    /// The path as the user gave it.
    public var path: String
    /// Size of the file in bytes.
    public var sizeBytes: Int
    /// The format it was read as, when one was recognised.
    public var format: DocumentFormat?
    /// What the ingestor read; its transactions are stored unless the document failed.
    public var document: StatementDocument
    /// One de-duplication key per transaction of `document`, in the same order (see `DedupKey` in FinDocIngest).
    public var dedupKeys: [String]
    /// Reject the whole document if any record was rejected or any warning was raised.
    public var strict: Bool
    /// The raw fields of each transaction as JSON (`RawFieldsEncoder`), when the caller built them already (the
    /// pipeline does, on its parse thread, so that this work overlaps storing the previous file); else empty.
    public var rawFieldsJSON: [String] = []

    /// Creates an import.
    public init(
        sha256: String, path: String, sizeBytes: Int, format: DocumentFormat?, document: StatementDocument,
        dedupKeys: [String], strict: Bool = false
    ) {
        self.sha256 = sha256
        self.path = path
        self.sizeBytes = sizeBytes
        self.format = format
        self.document = document
        self.dedupKeys = dedupKeys
        self.strict = strict
    }

    /// The status the document will get: failed when unreadable, empty because of errors, or — with `strict` — when
    /// anything was rejected or warned about (a balance that does not add up, an assumed currency).
    public var status: DocumentStatus { status(of: document, transactionCount: document.transactions.count) }

    /// The status of `document` read with `transactionCount` transactions (a streamed document holds none itself).
    func status(of document: StatementDocument, transactionCount: Int) -> DocumentStatus {
        if document.unreadable { return .failed }
        if strict && document.diagnostics.contains(where: { $0.severity >= .warning }) { return .failed }
        if transactionCount == 0 && document.hasErrors { return .failed }
        if document.rejectedRecords > 0 || document.hasErrors { return .partial }
        return .ingested
    }
}

/// A piece of a document streamed into the store (`Store.importStreamedDocument`): transactions in file order with
/// one dedup key each and, when already built, their raw-field JSON.
public struct ImportChunk: Sendable {
    /// The transactions, in file order.
    public var transactions: [Transaction]
    /// One key per transaction (`DedupKey.Builder` in FinDocIngest).
    public var dedupKeys: [String]
    /// One JSON object per transaction, or none (then it is built from each transaction's `rawFields`).
    public var rawFieldsJSON: [String]

    /// Creates a chunk.
    public init(transactions: [Transaction] = [], dedupKeys: [String] = [], rawFieldsJSON: [String] = []) {
        self.transactions = transactions
        self.dedupKeys = dedupKeys
        self.rawFieldsJSON = rawFieldsJSON
    }
}

/// What storing one document did.
public struct ImportOutcome: Sendable, Hashable {
    /// The document's row id.
    public var documentID: Int64
    /// Its final status.
    public var status: DocumentStatus
    /// Transactions written.
    public var stored: Int
    /// Transactions already in the store (same bank id, or the same rows of an overlapping export): not written.
    public var duplicatesSkipped: Int
    /// Transactions that look like one already stored but were kept, flagged with `duplicate_of`, because this file
    /// is not an overlapping export of the earlier one.
    public var possibleDuplicates: Int
    /// Source records rejected by the ingestor.
    public var rejected: Int
    /// Pending transactions linked to their booked twins (in either direction) while storing this document.
    public var pendingMatched: Int
    /// Diagnostics added while storing (possible duplicates), beyond the ingestor's.
    public var storeDiagnostics: [Diagnostic]
}

/// A document already in the store.
public struct KnownDocument: Sendable, Hashable {
    /// Its row id.
    public var id: Int64
    /// The path it was ingested from.
    public var path: String
    /// Its status then.
    public var status: DocumentStatus
    /// Transactions stored from it.
    public var recordsStored: Int
}
