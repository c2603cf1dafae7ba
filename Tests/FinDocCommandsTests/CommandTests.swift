import ArgumentParser
import FinDocStore
import Foundation
import Testing

@testable import FinDocCommands

/// The command layer, run in-process.
@Suite struct CommandTests {
    static let subcommands: [ParsableCommand.Type] = [
        IngestCommand.self, RunCommand.self, QueryTransactions.self, ExportTransactions.self, SQLCommand.self,
        StatsCommand.self,
    ]

    @Test(arguments: subcommands.map { String(describing: $0) })
    func everyCommandHelpHasExamples(name: String) throws {
        let type = try #require(Self.subcommands.first { String(describing: $0) == name })
        let help = Findoc.helpMessage(for: type)
        #expect(help.contains("Examples:"), "\(name) --help has no examples")
        #expect(help.contains("findoc "), "\(name) examples should show findoc invocations")
    }

    @Test func rootHelpListsCommandsAndExitCodes() {
        let help = Findoc.helpMessage()
        for name in ["ingest", "run", "query", "export", "sql", "stats"] { #expect(help.contains(name)) }
        #expect(help.contains("Exit codes"))
    }

    @Test func versionIsSemantic() {
        #expect(Findoc.version.split(separator: ".").count == 3)
    }

    @Test func usageErrorsExit64() {
        for arguments in [
            ["query", "transactions", "--from", "2024-13-01"], ["query", "transactions", "--min", "ten"],
            ["ingest", "--currency", "POUNDS", "x.csv"], ["ingest", "--profile", "no-such-profile", "x.csv"],
            ["ingest", "--format", "pdf", "x.csv"], ["frobnicate"],
        ] {
            do {
                var command = try Findoc.parseAsRoot(arguments)
                try command.run()
                Issue.record("\(arguments) was accepted")
            } catch {
                #expect(Findoc.exitCode(for: error).rawValue == 64, "\(arguments): \(error)")
            }
        }
    }

    @Test func ingestQueryExportAndSQLEndToEnd() throws {
        let dir = NSTemporaryDirectory() + "findoc-cmd-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/s.sqlite"
        try Data("Date,Description,Amount\n2024-01-03,\"Tea, cake\",-2.10\n2024-01-04,Salary,2500\n".utf8)
            .write(to: URL(fileURLWithPath: dir + "/a.csv"))
        try Data("Date,Description,Amount\n2024-01-05,Bun,oops\n".utf8).write(to: URL(fileURLWithPath: dir + "/b.csv"))

        var ingest = try Findoc.parseAsRoot(["ingest", "--db", db, dir + "/a.csv"])
        try ingest.run()
        // A file with a bad row: the run reports failure (exit 1), the good file stays stored.
        var bad = try Findoc.parseAsRoot(["ingest", "--db", db, dir + "/b.csv"])
        #expect(throws: ExitCode.failure) { try bad.run() }

        var export = try Findoc.parseAsRoot(["export", "transactions", "--db", db, "--out", dir + "/out.csv"])
        try export.run()
        let csv = try String(contentsOfFile: dir + "/out.csv", encoding: .utf8)
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == Store.transactionColumns.joined(separator: ","))
        #expect(lines.count == 3)
        #expect(lines[1].contains("2024-01-03") && lines[1].contains("-2.10") && lines[1].contains("\"Tea, cake\""))

        var jsonl = try Findoc.parseAsRoot(["export", "transactions", "--db", db, "--out", dir + "/out.jsonl"])
        try jsonl.run()
        let objects = try String(contentsOfFile: dir + "/out.jsonl", encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(objects.count == 2)
        #expect(objects.first??["amount"] as? String == "-2.10")
        #expect(Set(objects.first??.keys.map { $0 } ?? []) == Set(Store.transactionColumns))

        var write = try Findoc.parseAsRoot(["sql", "--db", db, "DELETE FROM transactions"])
        #expect(throws: ExitCode(64)) { try write.run() }
        let store = try Store.open(path: db)
        #expect(try store.statistics().transactions == 2)

        var missing = try Findoc.parseAsRoot(["stats", "--db", dir + "/nope.sqlite"])
        #expect(throws: ExitCode.failure) { try missing.run() }
        #expect(!FileManager.default.fileExists(atPath: dir + "/nope.sqlite"))
    }
}
