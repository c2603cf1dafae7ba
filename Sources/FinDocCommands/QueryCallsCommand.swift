import ArgumentParser
import FinDocCore
import FinDocStore

/// `findoc query calls`: one row per stored earnings call.
struct QueryCalls: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls",
        abstract: "List stored earnings calls with counts of participants, utterances and sentences.",
        discussion: """
            One row per transcript, in the order they were stored. `call_id` is what `query utterances --call` and \
            `query sentences --call` take; `qa_start` is the position of the first question-and-answer turn. \
            Columns are stable (see Schemas/export/calls.md).

            Examples:
              findoc ingest transcripts/
              findoc query calls
              findoc query calls --format csv > calls.csv
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Output format: table, csv, jsonl.")
    var format: OutputFormat = .table

    func run() throws {
        let store = try store.open(mustExist: true)
        let output = TextOutput.standardOutput()
        try store.calls(into: TranscriptOutput.sink(format, output))
        try output.finish()
    }
}

/// `findoc query utterances --call ID`: the turns of one call.
struct QueryUtterances: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "utterances",
        abstract: "List the turns of one call: speaker, role, section and text, in spoken order.",
        discussion: """
            `speaker` is the participant (one spelling per person), `speaker_label` the name as written at the turn. \
            Columns are stable (see Schemas/export/utterances.md). The table view shortens long text; csv and jsonl \
            carry it whole.

            Examples:
              findoc query utterances --call 1
              findoc query utterances --call 1 --format jsonl
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The call id (see `findoc query calls`).")
    var call: Int64
    @Option(help: "Output format: table, csv, jsonl.")
    var format: OutputFormat = .table

    func run() throws {
        let store = try store.open(mustExist: true)
        try TranscriptOutput.requireCall(call, in: store)
        let output = TextOutput.standardOutput()
        try store.utterances(call: call, into: TranscriptOutput.sink(format, output))
        try output.finish()
    }
}

/// `findoc query sentences --call ID [--speaker NAME] [--section prepared|qa]`.
struct QuerySentences: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sentences",
        abstract: "List the sentences of one call, optionally of one speaker or section.",
        discussion: """
            `sentence_id` is the id predictions and labels use (item_kind 'sentence'). `start_offset`/`end_offset` \
            are code-point offsets into the utterance's text (Python str indices). Columns are stable (see \
            Schemas/export/sentences.md).

            Examples:
              findoc query sentences --call 1
              findoc query sentences --call 1 --section qa --format csv
              findoc query sentences --call 1 --speaker "Tim Cook" --format jsonl
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The call id (see `findoc query calls`).")
    var call: Int64
    @Option(help: "Only this speaker (case-insensitive; part of the name is enough).")
    var speaker: String?
    @Option(help: "Only this section: prepared or qa.")
    var section: TranscriptSection?
    @Option(help: "Output format: table, csv, jsonl.")
    var format: OutputFormat = .table

    func run() throws {
        let store = try store.open(mustExist: true)
        try TranscriptOutput.requireCall(call, in: store)
        let output = TextOutput.standardOutput()
        try store.sentences(call: call, speaker: speaker, section: section, into: TranscriptOutput.sink(format, output))
        try output.finish()
    }
}

extension TranscriptSection: ExpressibleByArgument {}

/// Helpers shared by the transcript queries.
enum TranscriptOutput {
    static func sink(_ format: OutputFormat, _ output: TextOutput) -> RowSink {
        switch format {
        case .table: ShortTextSink(TableWriter(output: output), limit: 80)
        case .csv: CSVWriter(output: output)
        case .jsonl: JSONLinesWriter(output: output)
        }
    }

    /// Fails with a usage-style message when no call has this id.
    static func requireCall(_ id: Int64, in store: Store) throws {
        guard try store.callExists(id) else {
            Terminal.error("no call with id \(id); `findoc query calls` lists them")
            throw ExitCode.failure
        }
    }
}

/// Shortens long text cells for the table view.
final class ShortTextSink: RowSink {
    private let inner: RowSink
    private let limit: Int

    init(_ inner: RowSink, limit: Int) {
        self.inner = inner
        self.limit = limit
    }

    func begin(columns: [String]) throws { try inner.begin(columns: columns) }

    func row(_ cells: [Cell]) throws {
        try inner.row(
            cells.map { cell in
                guard case let .text(value) = cell else { return cell }
                let flat = String(value.map { $0 == "\n" ? " " : $0 })
                return flat.count > limit ? .text(String(flat.prefix(limit - 3)) + "...") : .text(flat)
            })
    }

    func end() throws { try inner.end() }
}
