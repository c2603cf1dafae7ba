import ArgumentParser

/// The `findoc` command line: the root command and its subcommands.
///
/// Lives in a library so every command can be run in-process by tests; the `findoc` executable only calls
/// `Findoc.main()`.
public struct Findoc: ParsableCommand {
    /// The version printed by `findoc --version`.
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "findoc",
        abstract: "Turn bank statements into labelled, queryable data in a local SQLite store.",
        discussion: """
            Everything runs on this machine; nothing is sent anywhere. The store is ./findoc.sqlite unless --db or \
            FINDOC_DB says otherwise.

            Examples:
              findoc run Samples/                       ingest (and label) a folder
              findoc query transactions --text tesco    look at what was stored
              findoc export transactions --out all.csv  stable CSV columns
              findoc sql "SELECT source_category, COUNT(*) FROM transactions GROUP BY 1"

            Exit codes: 0 all good; 1 some inputs failed (they are listed, the rest was stored); 64 usage error.
            """,
        version: version,
        subcommands: [
            IngestCommand.self, RunCommand.self, QueryCommand.self, ExportCommand.self, SQLCommand.self,
            StatsCommand.self, TrainCommand.self, EvalCommand.self, LabelCommand.self, CorrectCommand.self,
            ReportCommand.self, ModelsCommand.self, EmbedCommand.self,
        ]
    )

    /// Creates the root command (ArgumentParser needs it).
    public init() {}
}
