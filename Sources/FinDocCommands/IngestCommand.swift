import ArgumentParser
import FinDocCore
import FinDocPipeline
import FinDocStore
import Foundation

/// `findoc ingest PATH...`: read statement files into the store.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read statement files (or folders of them) into the store.",
        discussion: """
            Each file is recognised by its content (documentation files such as README.md found in folders are \
            skipped) and stored in one transaction, with every row traced back to its file and line. A file already \
            ingested (same bytes) is skipped; rows already stored from an overlapping export are not added twice. \
            Bad rows are reported with file and line and the rest is stored.

            Examples:
              findoc ingest statements/                      every file below the folder
              findoc ingest export.csv --account "Joint current" --currency GBP
              findoc ingest pcard-2017-05.csv --profile birmingham-pcard --dry-run
              findoc ingest bank.csv --profile my-bank.json --strict
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @Argument(help: "Files or folders to ingest (folders are searched recursively).")
    var paths: [String]

    func run() throws {
        let report = try BatchRun.ingest(paths: paths, read: read, store: store, command: "ingest")
        if !report.failedFiles.isEmpty { throw ExitCode.failure }
    }
}

/// `findoc run PATH...`: the main job, ingest then every labelling step that exists.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The main job: ingest files, then run every labelling step available.",
        discussion: """
            After ingesting, new transactions are categorised when a category model has been trained (`findoc train \
            categories` writes the default bundle), and new transcript sentences get their sentiment when the base \
            model is installed (otherwise one note says how to install it; the batch does not fail for that) and \
            their entities: MONEY, PERCENT, DATE and TICKER by rules, plus PER, ORG and LOC by the shipped \
            Models/entities-minilm-lora when the base model is installed.

            Examples:
              findoc run Samples/
              findoc run ~/Downloads/statements --db ~/finance.sqlite
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @Argument(help: "Files or folders to process.")
    var paths: [String]

    func run() throws {
        let report = try BatchRun.ingest(paths: paths, read: read, store: store, command: "run")
        if !read.dryRun {
            try CategoryLabelling.labelAfterRun(storeOptions: store)
            try SentimentLabelling.labelAfterRun(storeOptions: store)
            try EntityLabelling.labelAfterRun(storeOptions: store)
        }
        if !report.failedFiles.isEmpty { throw ExitCode.failure }
    }
}

/// The shared body of `ingest` and `run`.
enum BatchRun {
    /// Diagnostics shown per file before the rest are summarised (all are stored in the `diagnostics` table).
    static let diagnosticsShownPerFile = 10

    static func ingest(paths: [String], read: ReadOptions, store storeOptions: StoreOptions, command: String) throws
        -> BatchReport
    {
        let options = try read.ingestOptions()
        let store = options.dryRun ? nil : try storeOptions.open(mustExist: false)
        let verbose = read.verbose
        let ingester = BatchIngester(options: options) { done, total, file in
            Terminal.endProgress()
            BatchRun.report(file, verbose: verbose)
            Terminal.progress("[\(done)/\(total)] \(Terminal.grouped(file.stored)) stored from \(file.path)")
        }
        let batch = ingester.run(paths: paths, store: store)
        Terminal.endProgress()
        Terminal.output(summary(batch, command: command, dryRun: options.dryRun, storePath: storeOptions.path))
        return batch
    }

    /// Prints one file's diagnostics (errors and warnings; notes only when verbose) to stderr.
    static func report(_ file: FileReport, verbose: Bool) {
        let shown = file.diagnostics.filter { verbose || $0.severity != .note }
        for diagnostic in shown.prefix(diagnosticsShownPerFile) { Terminal.diagnostic(diagnostic.description) }
        if shown.count > diagnosticsShownPerFile {
            Terminal.diagnostic(
                "... and \(shown.count - diagnosticsShownPerFile) more findings in \(file.path) "
                    + "(all are in the store: findoc sql \"SELECT * FROM diagnostics\")")
        }
        if verbose || file.isFailure {
            Terminal.diagnostic("\(describe(file.outcome)): \(file.path)\(counts(file))")
        }
    }

    static func describe(_ outcome: FileReport.Outcome) -> String {
        switch outcome {
        case .stored(.ingested): "ingested"
        case .stored(.partial): "partly ingested"
        case .stored(.failed), .failed: "failed"
        case .alreadyIngested(let previous): "already ingested (as \(previous))"
        case .dryRun: "read (dry run)"
        case .unreadable: "failed"
        }
    }

    static func counts(_ file: FileReport) -> String {
        var parts: [String] = []
        if let format = file.format { parts.append(format.rawValue + (file.profile.map { ", profile \($0)" } ?? "")) }
        if file.read > 0 { parts.append("\(Terminal.grouped(file.read)) read") }
        if file.stored > 0 { parts.append("\(Terminal.grouped(file.stored)) stored") }
        if file.duplicatesSkipped > 0 { parts.append("\(Terminal.grouped(file.duplicatesSkipped)) duplicates skipped") }
        if file.rejected > 0 { parts.append("\(Terminal.grouped(file.rejected)) rejected") }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }

    static func summary(_ report: BatchReport, command: String, dryRun: Bool, storePath: String) -> String {
        let rate = report.seconds > 0 ? Int(Double(report.read) / report.seconds) : 0
        var lines: [String] = []
        // Invoice files count invoice lines in `stored`; report them apart so the totals match `findoc stats`.
        let invoiceFiles = report.files.filter { $0.format == .ubl || $0.format == .cii }
        let invoiceLines = invoiceFiles.reduce(0) { $0 + $1.stored }
        let invoices = invoiceFiles.filter { $0.stored > 0 }.count
        lines.append(
            "findoc \(command): \(report.files.count) file\(report.files.count == 1 ? "" : "s") in "
                + String(format: "%.2f s", report.seconds) + (rate > 0 ? " (\(Terminal.grouped(rate)) rows/s)" : ""))
        if dryRun {
            lines.append("  \(Terminal.grouped(report.read)) transactions read; nothing stored (--dry-run)")
        } else {
            lines.append(
                "  \(Terminal.grouped(report.stored - invoiceLines)) transactions stored in \(storePath)"
                    + ", \(Terminal.grouped(report.duplicatesSkipped)) duplicates skipped"
                    + (report.possibleDuplicates > 0
                        ? ", \(Terminal.grouped(report.possibleDuplicates)) possible duplicates kept and flagged" : ""))
        }
        // Transcripts store calls, not transactions: say so, or "0 transactions stored" would be all a user sees.
        let calls = report.files.filter { file in
            guard file.format == .transcript, case .stored = file.outcome else { return false }
            return true
        }.count
        if !dryRun && invoices > 0 {
            lines.append(
                "  \(invoices) invoice(s) with \(Terminal.grouped(invoiceLines)) line(s) stored; `findoc query invoices` lists them")
        }
        if calls > 0 { lines.append("  \(calls) earnings call(s) stored; `findoc query calls` lists them") }
        if report.alreadyIngested > 0 {
            lines.append("  \(report.alreadyIngested) file(s) already ingested earlier, skipped")
        }
        if report.pendingMatched > 0 {
            lines.append("  \(Terminal.grouped(report.pendingMatched)) pending transactions matched to their bookings")
        }
        if report.rejected > 0 { lines.append("  \(Terminal.grouped(report.rejected)) rows rejected (see messages above)") }
        let failed = report.failedFiles
        if failed.isEmpty {
            lines.append("  all files OK")
        } else {
            lines.append("  \(failed.count) file(s) with problems:")
            for file in failed {
                let first = file.diagnostics.first { $0.severity == .error }
                lines.append("    \(describe(file.outcome)): \(file.path)" + (first.map { " — \($0.message)" } ?? ""))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
