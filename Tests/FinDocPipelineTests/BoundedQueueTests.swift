import Foundation
import Testing

@testable import FinDocPipeline

/// The queue between the statement stream's stages: order, end of input, and cancellation from either side.
@Suite struct BoundedQueueTests {
    @Test("items come out in order across threads, and pop returns nil after close once the queue is empty")
    func orderAndClose() {
        let queue = BoundedQueue<Int>(depth: 2)
        let producer = Thread {
            for i in 0..<1_000 { _ = queue.push(i) }
            queue.close()
        }
        producer.start()
        var seen: [Int] = []
        while let item = queue.pop() { seen.append(item) }
        #expect(seen == Array(0..<1_000))
        #expect(queue.pop() == nil)
    }

    @Test("cancel wakes a producer waiting on a full queue, its push fails, and pops return nil")
    func cancelUnblocksProducer() {
        let queue = BoundedQueue<Int>(depth: 1)
        #expect(queue.push(1))
        let done = DispatchSemaphore(value: 0)
        let result = ResultFlag()
        let producer = Thread {
            result.set(queue.push(2))
            done.signal()
        }
        producer.start()
        Thread.sleep(forTimeInterval: 0.05)
        queue.cancel()
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(result.value == false)
        #expect(queue.pop() == nil)
    }
}

/// A Bool set on one thread and read on another.
private final class ResultFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Bool?
    func set(_ value: Bool) { lock.withLock { stored = value } }
    var value: Bool? { lock.withLock { stored } }
}
