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
    private var signalSource: (any DispatchSourceSignal)?

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
    /// The signal is ignored at the process level and delivered through a Dispatch source, so nothing runs in
    /// signal-handler context; the source is registered before this returns.
    public func installSignalHandler(onFirstSignal: @escaping @Sendable () -> Void = {}) {
        lock.lock()
        defer { lock.unlock() }
        guard signalSource == nil else { return }
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue.global())
        source.setEventHandler { [weak self] in
            guard let self else { return }
            if self.request() {
                onFirstSignal()
            } else {
                exit(130)
            }
        }
        // The source registers with the kernel asynchronously, and a SIGINT before that would be lost (ignored):
        // wait for the registration so that Ctrl-C works from the moment this returns.
        let registered = DispatchSemaphore(value: 0)
        source.setRegistrationHandler { registered.signal() }
        source.resume()
        _ = registered.wait(timeout: .now() + 2)
        signalSource = source
    }

    /// Gives SIGINT back its default action (end the process).
    public func removeSignalHandler() {
        lock.lock()
        defer { lock.unlock() }
        guard let source = signalSource else { return }
        source.cancel()
        signalSource = nil
        signal(SIGINT, SIG_DFL)
    }
}
