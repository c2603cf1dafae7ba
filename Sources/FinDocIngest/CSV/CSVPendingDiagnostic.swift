import FinDocCore

/// A diagnostic produced while converting rows, added to the file's sink afterwards in source order (once-per-file
/// ones only the first time).
struct CSVPendingDiagnostic: Sendable {
    /// How serious it is.
    var severity: Diagnostic.Severity
    /// Stable code, e.g. `csv.amount`.
    var code: String
    /// What is wrong and what was expected.
    var message: String
    /// 1-based physical line.
    var line: Int
    /// 1-based column, when known.
    var column: Int?
    /// The text of the line.
    var sourceLine: String?
    /// Said once per file however many rows trigger it (e.g. the assumed-currency warning).
    var oncePerFile = false
}
