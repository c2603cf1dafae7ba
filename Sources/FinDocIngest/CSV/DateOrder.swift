/// The order of day, month and year in all-numeric dates such as `03/01/17`.
public enum DateOrder: String, Sendable, Codable, CaseIterable {
    /// Day, month, year (`31/01/2017`): most of the world.
    case dmy
    /// Month, day, year (`01/31/2017`): the United States.
    case mdy
    /// Year, month, day (`17/01/31`); four-digit years first are always read this way.
    case ymd
}
