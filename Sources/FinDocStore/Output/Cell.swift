/// One value of a result row, typed the way the writers need: JSON Lines keeps numbers as numbers and nested JSON
/// as objects, CSV writes everything as text.
public enum Cell: Sendable, Hashable {
    /// SQL NULL: an empty CSV field, JSON `null`.
    case null
    /// An integer.
    case integer(Int64)
    /// A floating-point value (only ever from user SQL; findoc's own money columns are exact decimal text).
    case real(Double)
    /// Text.
    case text(String)
    /// An exact decimal written as text in CSV and as a JSON string (never a float) in JSON Lines.
    case decimal(String)
    /// A JSON document kept as JSON in JSON Lines (e.g. `raw_fields`) and as its text in CSV.
    case json(String)

    /// The value as it appears in CSV and table output.
    public var text: String {
        switch self {
        case .null: ""
        case let .integer(value): String(value)
        case let .real(value): String(value)
        case let .text(value), let .decimal(value), let .json(value): value
        }
    }
}

/// Receives a result set row by row; implemented by the CSV, JSON Lines and table writers.
public protocol RowSink: AnyObject {
    /// Called once, before any row, with the column names.
    func begin(columns: [String]) throws
    /// Called once per row; `cells.count` equals the number of columns.
    func row(_ cells: [Cell]) throws
    /// Called once after the last row.
    func end() throws
}
