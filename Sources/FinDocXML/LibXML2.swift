import CLibXML2

/// libxml2's process-wide set-up, done exactly once.
///
/// libxml2 must be initialised before it is used from several threads, and its initialisation is not itself safe to
/// run twice at the same time; one `static let` (run once by the Swift runtime) is the single place that does it, for
/// the tree parser, the stream reader and the schema loader alike, and the batch ingester calls it before starting
/// its parse workers.
public enum LibXML2 {
    private static let initialised: Bool = {
        xmlInitParser()
        return true
    }()

    /// Initialises libxml2 for this process; cheap and thread-safe after the first call.
    public static func initialise() { _ = initialised }
}
