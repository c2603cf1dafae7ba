import FinDocCore

/// Collects a file's diagnostics, keeping at most `cap` of each code so a file with 100,000 bad rows does not bury
/// the user; the rest are counted and summarised in one closing diagnostic per code.
struct CSVDiagnosticSink: Sendable {
    /// The file, for locations.
    let file: String
    /// Diagnostics kept per code.
    let cap: Int
    private(set) var items: [Diagnostic] = []
    private var kept: [String: Int] = [:]
    private var dropped: [String: (count: Int, severity: Diagnostic.Severity)] = [:]
    private var droppedOrder: [String] = []

    /// Creates an empty sink.
    init(file: String, cap: Int = 100) {
        self.file = file
        self.cap = cap
    }

    /// Records a diagnostic, or counts it when its code already reached the cap.
    mutating func add(
        _ severity: Diagnostic.Severity, _ code: String, _ message: String, line: Int? = nil, column: Int? = nil,
        sourceLine: String? = nil
    ) {
        let count = kept[code, default: 0]
        guard count < cap else {
            if let previous = dropped[code] {
                dropped[code] = (previous.count + 1, max(previous.severity, severity))
            } else {
                dropped[code] = (1, severity)
                droppedOrder.append(code)
            }
            return
        }
        kept[code] = count + 1
        items.append(
            Diagnostic(
                severity, code: code, message: message,
                location: SourceLocation(file: file, line: line, column: column), sourceLine: sourceLine))
    }

    /// All diagnostics, with one summary per capped code at the end.
    func finish() -> [Diagnostic] {
        var out = items
        for code in droppedOrder {
            guard let (count, severity) = dropped[code] else { continue }
            out.append(
                Diagnostic(
                    severity, code: code,
                    message: "… and \(count) more \(code) \(severity == .note ? "notes" : severity.rawValue + "s") "
                        + "in this file (only the first \(cap) are shown)",
                    location: SourceLocation(file: file)))
        }
        return out
    }
}
