import Foundation

/// Wall-clock and process CPU time, for the timings `train` and `eval` print. On a shared machine the wall time
/// depends on everyone else's load; the CPU time says what the work itself cost.
struct CPUClock {
    private let wall = DispatchTime.now().uptimeNanoseconds
    private let cpu = CPUClock.processCPUSeconds()

    /// Seconds of wall time since creation.
    var wallSeconds: Double { Double(DispatchTime.now().uptimeNanoseconds - wall) / 1e9 }
    /// Seconds of CPU time (all threads of this process) since creation.
    var cpuSeconds: Double { CPUClock.processCPUSeconds() - cpu }

    static func processCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
