import FinDocStore
import Foundation
import Testing

/// `kill -9` in the middle of a batch leaves a store that opens, holds only whole documents, and a re-run finishes
/// the batch with exactly the right count. Runs the real `findoc` executable built beside the tests.
@Suite struct CrashRecoveryTests {
    /// The debug `findoc` next to the test bundle (SwiftPM builds every product before `swift test`).
    static let executable: String? = {
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("findoc").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let built = root.appendingPathComponent(".build/debug/findoc").path
        return FileManager.default.isExecutableFile(atPath: built) ? built : nil
    }()

    func run(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.executable, "findoc executable not built"))
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func killDuringBatchThenRerun() throws {
        let dir = NSTemporaryDirectory() + "findoc-kill-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = 4, rowsPerFile = 15_000
        for file in 0..<files {
            var text = "Date,Description,Amount\n"
            for row in 0..<rowsPerFile {
                text += "2024-\(String(format: "%02d", file + 1))-\(String(format: "%02d", row % 28 + 1)),shop \(row),-\(row % 500).\(String(format: "%02d", row % 100))\n"
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/in/part-\(file).csv"))
        }
        let db = dir + "/s.sqlite"
        let process = try run(["ingest", "--db", db, "--account", "test", dir + "/in"])
        // Wait until at least one document is committed, then kill without warning.
        let deadline = Date().addingTimeInterval(120)
        var committed = 0
        while Date() < deadline, process.isRunning {
            if FileManager.default.fileExists(atPath: db), let store = try? Store.open(path: db, mustExist: true) {
                committed = (try? store.statistics().documentsByStatus["ingested"]) ?? 0
                if committed >= 1 { break }
            }
            usleep(20_000)
        }
        let killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        print("crash test: killed=\(killed) after \(committed) committed document(s)")
        process.waitUntilExit()

        let afterKill = try Store.open(path: db, mustExist: true)
        let stats = try afterKill.statistics()
        let whole = stats.documentsByStatus["ingested"] ?? 0
        #expect(stats.transactions == whole * rowsPerFile, "only whole documents are committed")

        let rerun = try run(["ingest", "--db", db, "--account", "test", dir + "/in"])
        rerun.waitUntilExit()
        #expect(rerun.terminationStatus == 0)
        let final = try Store.open(path: db, mustExist: true).statistics()
        #expect(final.transactions == files * rowsPerFile)
        #expect(final.documentsByStatus["ingested"] == files)
    }
}
