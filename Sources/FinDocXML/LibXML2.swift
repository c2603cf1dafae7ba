import CLibXML2

/// libxml2's process-wide set-up, done exactly once.
///
/// libxml2 must be initialised before it is used from several threads, and its initialisation is not itself safe to
/// run twice at the same time. One `static let` (run exactly once by the Swift runtime, whichever thread asks first)
/// is the single place that does it, for the tree parser, the stream reader and the schema loader alike; before,
/// the tree parser and the stream reader each had their own, and two parse workers could run both at once.
public enum LibXML2 {
    private static let initialised: Bool = {
        xmlInitParser()
        return true
    }()

    /// Initialises libxml2 for this process; cheap and thread-safe after the first call.
    public static func initialise() { _ = initialised }
}
