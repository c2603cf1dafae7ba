/// What happened to one input file.
public enum DocumentStatus: String, Sendable, Hashable, CaseIterable {
    /// Everything in it was stored.
    case ingested
    /// Some records were rejected (each has an error diagnostic); the rest was stored.
    case partial
    /// Nothing was stored: not readable as a supported format, or rejected as a whole (`--strict`).
    case failed
}
