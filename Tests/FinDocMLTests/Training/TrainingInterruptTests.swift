import Foundation
import Testing

@testable import FinDocML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("TrainingInterrupt")
struct TrainingInterruptTests {
    @Test("request raises the flag once")
    func request() {
        let interrupt = TrainingInterrupt()
        #expect(!interrupt.isRequested)
        #expect(interrupt.request())
        #expect(!interrupt.request())
        #expect(interrupt.isRequested)
    }

    @Test("with the handler installed, SIGINT raises the flag instead of ending the process")
    func signalRaisesFlag() async throws {
        let interrupt = TrainingInterrupt()
        let heard = TrainingInterrupt()
        interrupt.installSignalHandler { heard.request() }
        defer { interrupt.removeSignalHandler() }
        kill(getpid(), SIGINT)
        // The Dispatch source delivers asynchronously: wait up to 5 s.
        for _ in 0..<500 where !interrupt.isRequested { try await Task.sleep(for: .milliseconds(10)) }
        #expect(interrupt.isRequested)
        for _ in 0..<100 where !heard.isRequested { try await Task.sleep(for: .milliseconds(10)) }
        #expect(heard.isRequested)
    }
}
