import ArgumentParser
import FinDocCore
import FinDocStore

/// `findoc query entities [--call ID] [--type TYPE] [--speaker NAME] [--run ID]`.
struct QueryEntities: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entities",
        abstract: "List the entities found in transcript sentences (`findoc label --task entities`).",
        discussion: """
            One row per entity: PER, ORG and LOC from an entity model; MONEY, PERCENT, DATE and TICKER from the \
            recognisers, with a normalised value (84300000000 USD, 12.5%, 2022-Q3, FY2023, 2025-05-12, NASDAQ:AAPL). \
            MONEY rows carry the exact amount as a decimal string and the currency. start_offset/end_offset are \
            code-point offsets into the sentence's text (`findoc query sentences`). By default each sentence shows \
            its newest labelling run; --run picks one. Columns are stable (see Schemas/export/entities.md).

            Examples:
              findoc label --task entities
              findoc query entities --call 1
              findoc query entities --type money --type percent --format csv > amounts.csv
              findoc query entities --call 2 --speaker "Ana Lima" --format jsonl
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Only this call (see `findoc query calls`).")
    var call: Int64?
    @Option(help: "Only this type: PER, ORG, LOC, MONEY, PERCENT, DATE or TICKER (repeatable; case-insensitive).")
    var type: [String] = []
    @Option(help: "Only sentences of this speaker (case-insensitive; part of the name is enough).")
    var speaker: String?
    @Option(name: .customLong("run"), help: "Only the rows of this labelling run id (default: each sentence's newest run).")
    var runID: String?
    @Option(help: "At most this many rows.")
    var limit: Int?
    @Option(help: "Output format: table, csv, jsonl.")
    var format: OutputFormat = .table

    static let knownTypes: Set<String> = ["PER", "ORG", "LOC", "MONEY", "PERCENT", "DATE", "TICKER"]

    func validate() throws {
        for name in type where !Self.knownTypes.contains(name.uppercased()) {
            throw ValidationError("--type expects one of \(Self.knownTypes.sorted().joined(separator: ", ")), not \(name)")
        }
        if let limit, limit < 0 { throw ValidationError("--limit expects a number of rows, 0 or more") }
    }

    func run() throws {
        let store = try store.open(mustExist: true)
        if let call { try TranscriptOutput.requireCall(call, in: store) }
        let output = TextOutput.standardOutput()
        let filter = EntityFilter(call: call, types: type.map { $0.uppercased() }, speaker: speaker, runID: runID, limit: limit)
        try store.entities(matching: filter, into: TranscriptOutput.sink(format, output))
        try output.finish()
    }
}
