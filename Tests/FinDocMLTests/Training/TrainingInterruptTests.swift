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

    // A real SIGINT sent to the test process would also reach any training another test runs at the same time
    // (they share the process), so the kernel path is tested on a child `findoc` process instead
    // (`FineTuneInterruptCommandTests`); here the routing is driven directly.
    @Test("a Ctrl-C raises every installed flag and calls its first-signal hook; a removed flag hears nothing")
    func routing() {
        let first = TrainingInterrupt()
        let second = TrainingInterrupt()
        let heard = TrainingInterrupt()
        first.installSignalHandler()
        second.installSignalHandler { heard.request() }
        first.removeSignalHandler()
        defer { second.removeSignalHandler() }
        #expect(SignalRouter.shared.listenerCount >= 1)
        SignalRouter.shared.deliver(only: [first, second])
        #expect(second.isRequested && heard.isRequested)
        #expect(!first.isRequested)
    }
}
