import FinDocCore
import FinDocStore

/// What happened to one input file in a batch.
public struct FileReport: Sendable {
    /// How the file ended.
    public enum Outcome: Sendable, Hashable {
        /// Read and stored (status ingested or partial).
        case stored(DocumentStatus)
        /// Read but nothing stored, because the whole file was rejected (status failed).
        case failed
        /// The same bytes were ingested before.
        case alreadyIngested(previousPath: String)
        /// `--dry-run`: read, not stored.
        case dryRun
        /// Could not even be read from disk.
        case unreadable
    }

    /// The path as given or found in a folder.
    public var path: String
    /// The format it was read as.
    public var format: DocumentFormat?
    /// The CSV profile used.
    public var profile: String?
    /// How it ended.
    public var outcome: Outcome
    /// Transactions read from the file.
    public var read: Int
    /// Records written: transactions, or the invoice lines of an invoice file.
    public var stored: Int
    /// Transactions already stored, not written again.
    public var duplicatesSkipped: Int
    /// Transactions kept but flagged as possible duplicates.
    public var possibleDuplicates: Int
    /// Records rejected.
    public var rejected: Int
    /// Pending transactions linked to their booked twins while storing this file.
    public var pendingMatched: Int = 0
    /// Findings, in order.
    public var diagnostics: [Diagnostic]

    /// True when the file counts as a failed input for the exit code: nothing or not everything was stored.
    public var isFailure: Bool {
        switch outcome {
        case .failed, .unreadable: true
        case .stored(let status): status != .ingested
        case .dryRun: rejected > 0 || diagnostics.contains { $0.severity == .error }
        case .alreadyIngested: false
        }
    }
}

/// The result of a batch: one report per file, and totals.
public struct BatchReport: Sendable {
    /// Per file, in the order they were processed.
    public var files: [FileReport] = []
    /// Wall-clock seconds.
    public var seconds: Double = 0

    /// Creates an empty report.
    public init() {}

    /// Transactions written across the batch.
    public var stored: Int { files.reduce(0) { $0 + $1.stored } }
    /// Transactions read across the batch.
    public var read: Int { files.reduce(0) { $0 + $1.read } }
    /// Duplicates skipped across the batch.
    public var duplicatesSkipped: Int { files.reduce(0) { $0 + $1.duplicatesSkipped } }
    /// Possible duplicates kept across the batch.
    public var possibleDuplicates: Int { files.reduce(0) { $0 + $1.possibleDuplicates } }
    /// Pending transactions matched to booked ones across the batch.
    public var pendingMatched: Int { files.reduce(0) { $0 + $1.pendingMatched } }
    /// Records rejected across the batch.
    public var rejected: Int { files.reduce(0) { $0 + $1.rejected } }
    /// Files that failed in whole or in part.
    public var failedFiles: [FileReport] { files.filter(\.isFailure) }
    /// Files skipped because they were ingested before.
    public var alreadyIngested: Int {
        files.filter { if case .alreadyIngested = $0.outcome { true } else { false } }.count
    }
}
