import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A request to stop training, checked by `FineTuner` between optimiser steps: the step under way finishes, no
/// checkpoint is written for the unfinished epoch, and the last epoch's checkpoint stands.
///
/// Anyone may call `request()` (a test, a time limit, a UI). `installSignalHandler()` makes Ctrl-C (SIGINT) call
/// it: the first Ctrl-C asks training to stop cleanly, a second one ends the process at once with the usual
/// status 130, for a user who does not want to wait for the step to finish.
public final class TrainingInterrupt: @unchecked Sendable {
    // A lock rather than `Synchronization.Atomic`, which needs macOS 15 while the package supports macOS 14.
    private let lock = NSLock()
    private var requested = false

    /// A flag not yet raised.
    public init() {}

    /// True once a stop was requested.
    public var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }

    /// Asks training to stop after the current step; returns true if this is the first request.
    @discardableResult
    public func request() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let first = !requested
        requested = true
        return first
    }

    /// Routes SIGINT to this flag until `removeSignalHandler()`: the first Ctrl-C calls `request()` and then
    /// `onFirstSignal` (say on stderr that training stops after this step); the next one exits with status 130.
    ///
    /// The signal is ignored at the process level and delivered through one Dispatch source shared by every
    /// installed flag (two trainings in one process — tests, an embedding app — each hear it, and removing one
    /// leaves the other's handling in place), so nothing runs in signal-handler context; the source is registered
    /// before this returns.
    public func installSignalHandler(onFirstSignal: @escaping @Sendable () -> Void = {}) {
        SignalRouter.shared.add(self, onFirstSignal: onFirstSignal)
    }

    /// Stops routing SIGINT to this flag; when no flag is left, SIGINT gets back its default action (end the
    /// process).
    public func removeSignalHandler() {
        SignalRouter.shared.remove(self)
    }
}

/// The process's one SIGINT source and the flags listening to it.
final class SignalRouter: @unchecked Sendable {
    static let shared = SignalRouter()

    private let lock = NSLock()
    private var listeners: [ObjectIdentifier: (interrupt: TrainingInterrupt, onFirst: @Sendable () -> Void)] = [:]
    private var source: (any DispatchSourceSignal)?

    func add(_ interrupt: TrainingInterrupt, onFirstSignal: @escaping @Sendable () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        listeners[ObjectIdentifier(interrupt)] = (interrupt, onFirstSignal)
        guard source == nil else { return }
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue.global())
        source.setEventHandler { [weak self] in self?.deliver() }
        // The source registers with the kernel asynchronously, and a SIGINT before that would be lost (ignored):
        // wait for the registration so that Ctrl-C works from the moment this returns.
        let registered = DispatchSemaphore(value: 0)
        source.setRegistrationHandler { registered.signal() }
        source.resume()
        _ = registered.wait(timeout: .now() + 2)
        self.source = source
    }

    func remove(_ interrupt: TrainingInterrupt) {
        lock.lock()
        defer { lock.unlock() }
        guard listeners.removeValue(forKey: ObjectIdentifier(interrupt)) != nil, listeners.isEmpty, let source else {
            return
        }
        source.cancel()
        self.source = nil
        signal(SIGINT, SIG_DFL)
    }

    /// Flags listening now.
    var listenerCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return listeners.count
    }

    /// One Ctrl-C: every listening flag is raised; a flag already raised means the user asked twice, so the
    /// process ends at once. `only` limits delivery to those flags (tests, which share the process with others).
    func deliver(only: [TrainingInterrupt]? = nil) {
        lock.lock()
        let wanted = only.map { Set($0.map(ObjectIdentifier.init)) }
        let current = listeners.filter { wanted?.contains($0.key) ?? true }.map(\.value)
        lock.unlock()
        for listener in current {
            if listener.interrupt.request() {
                listener.onFirst()
            } else {
                exit(130)
            }
        }
    }
}
