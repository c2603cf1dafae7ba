import FinDocML
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C during `findoc train entities`, on a real child process: it exits with status 130, writes no bundle, leaves
/// the checkpoint of the last finished epoch, and `--resume` continues from it to the bundle.
@Suite struct FineTuneInterruptCommandTests {
    @Test func ctrlCLeavesTheCheckpointAndResumeFinishes() throws {
        let executable = try #require(CrashRecoveryTests.executable, "findoc executable not built")
        let dir = NSTemporaryDirectory() + "findoc-int-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/entities"
        let checkpoint = out + "/checkpoint.safetensors"
        let arguments = [
            "train", "entities", "--data", EntityFineTuneCommandTests.data, "--out", out, "--epochs", "40",
            "--batch-size", "2", "--patience", "0", "--seed", "9",
        ]
        func start(_ extra: [String]) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments + extra
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        let first = try start([])
        // Wait for the first epoch's checkpoint, then press Ctrl-C.
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline, first.isRunning, !FileManager.default.fileExists(atPath: checkpoint) { usleep(50_000) }
        #expect(first.isRunning, "training ended before it could be interrupted")
        kill(first.processIdentifier, SIGINT)
        first.waitUntilExit()
        #expect(first.terminationReason == .exit && first.terminationStatus == 130)
        #expect(FileManager.default.fileExists(atPath: checkpoint))
        #expect(!FileManager.default.fileExists(atPath: out + "/" + FineTunedBundle.configFile))
        let saved = try TrainingCheckpoint.read(from: checkpoint)
        let finished = saved.state.epochsCompleted
        #expect(finished >= 1 && finished < 40)

        // Resume with fewer epochs left would be a different run; the same command with --resume finishes it.
        let second = try start(["--resume"])
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)
        let bundle = try FineTunedBundle.load(from: URL(fileURLWithPath: out, isDirectory: true))
        #expect(bundle.config.history.count == 40)
        #expect(bundle.config.history.prefix(finished).map(\.epoch) == Array(1...finished))
        #expect(!FileManager.default.fileExists(atPath: checkpoint))
    }
}
