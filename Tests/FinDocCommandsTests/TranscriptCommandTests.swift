import ArgumentParser
import FinDocStore
import Foundation
import Testing

@testable import FinDocCommands

/// The transcript queries: help with examples, usage errors, a missing call.
@Suite struct TranscriptCommandTests {
    static let subcommands: [ParsableCommand.Type] = [QueryCalls.self, QueryUtterances.self, QuerySentences.self]

    @Test(arguments: subcommands.map { String(describing: $0) })
    func helpHasExamples(name: String) throws {
        let type = try #require(Self.subcommands.first { String(describing: $0) == name })
        let help = Findoc.helpMessage(for: type)
        #expect(help.contains("Examples:"))
        #expect(help.contains("findoc query "))
    }

    @Test func usageErrorsExit64() {
        for arguments in [
            ["query", "sentences", "--call", "1", "--section", "intro"], ["query", "utterances"],
            ["query", "calls", "--format", "xml"],
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

    @Test func ingestThenQueryAndAMissingCall() throws {
        let dir = NSTemporaryDirectory() + "findoc-tx-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let db = dir + "/s.sqlite"
        var ingest = try Findoc.parseAsRoot(["ingest", "--db", db, root + "/Samples/transcripts"])
        try ingest.run()
        let store = try Store.open(path: db, mustExist: true)
        #expect(try store.callExists(1))
        for arguments in [
            ["query", "calls", "--db", db, "--format", "csv"], ["query", "utterances", "--db", db, "--call", "1"],
            ["query", "sentences", "--db", db, "--call", "2", "--section", "qa", "--format", "jsonl"],
        ] {
            var command = try Findoc.parseAsRoot(arguments)
            try command.run()
        }
        do {
            var command = try Findoc.parseAsRoot(["query", "utterances", "--db", db, "--call", "999"])
            try command.run()
            Issue.record("a missing call was accepted")
        } catch {
            #expect(Findoc.exitCode(for: error).rawValue == 1)
        }
    }
}
