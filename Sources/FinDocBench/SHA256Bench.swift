import FinDocCore
import Foundation

/// `findoc-bench --sha256 FILE`: hashes FILE (already in memory, so only the digest is timed) with
/// `FinDocCore.SHA256`, on its default path and, where that is the hardware one, on the portable one too, then runs `sha256sum FILE` on the same file in the same run, and prints both digests with
/// MB/s by wall clock and by this process's CPU time. Exit 1 when the digests differ.
enum SHA256Bench {
    static func run(path: String) -> Int32 {
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("error: \(path): cannot read the file\n".utf8))
            return 1
        }
        let bytes = [UInt8](data)
        let megabytes = Double(bytes.count) / 1e6
        var ours = ""
        // The default path (the SHA extensions where the CPU has them), then the portable Swift rounds.
        for portable in [false, true] where !portable || SHA256.hardwareAvailable {
            let cpuStart = cpuSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            var hasher = SHA256(portable: portable)
            hasher.update(bytes)
            let digest = hasher.finalizeHex()
            let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let cpu = cpuSeconds() - cpuStart
            let label = portable ? "findoc SHA256 (portable Swift)" : "findoc SHA256"
            print(
                String(
                    format: "%@: %@  %.1f MB: %.1f MB/s wall (%.3f s), %.1f MB/s CPU (%.3f s)", label, digest, megabytes,
                    megabytes / wall, wall, megabytes / cpu, cpu))
            if ours.isEmpty {
                ours = digest
            } else if digest != ours {
                FileHandle.standardError.write(Data("error: the two block functions disagree\n".utf8))
                return 1
            }
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        let coreutilsStart = DispatchTime.now().uptimeNanoseconds
        do {
            try process.run()
        } catch {
            FileHandle.standardError.write(Data("error: cannot run sha256sum: \(error)\n".utf8))
            return 1
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let coreutilsWall = Double(DispatchTime.now().uptimeNanoseconds - coreutilsStart) / 1e9
        let theirs = String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
        print(
            String(
                format: "sha256sum:     %@  %.1f MB: %.1f MB/s wall (%.3f s, includes reading the file)", theirs,
                megabytes, megabytes / coreutilsWall, coreutilsWall))
        guard theirs == ours else {
            print("error: the digests differ")
            return 1
        }
        return 0
    }

    /// CPU time of this process (user + system), in seconds.
    private static func cpuSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
