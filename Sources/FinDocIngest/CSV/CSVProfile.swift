#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import FinDocCore

/// How to read one bank's CSV export: which columns hold which fields, and the conventions of its numbers and
/// dates. Profiles are JSON files (format: `Schemas/profiles/README.md`); a few are shipped inside the binary.
public struct CSVProfile: Sendable, Codable, Hashable {
    /// Unique short name, e.g. `birmingham-pcard`; shown in results and used in default account names.
    public var name: String
    /// One line saying which export it reads.
    public var description: String?
    /// Headers that must all be present for the profile to be chosen automatically; nil: only when forced.
    public var matchHeaders: [String]?
    /// Column names per logical field: the first name present in the file wins (for `description`, all present
    /// ones are joined).
    public var columns: [CSVColumnRole: [String]]
    /// Order of all-numeric dates; when set, values are read in this order only.
    public var dateOrder: DateOrder?
    /// `.` or `,`; when nil it is decided from each amount column's values.
    public var decimalSeparator: String?
    /// Whether a positive amount means money out (card exports) or in.
    public var amountSign: AmountSign
    /// ISO 4217 code for rows without a currency column or value.
    public var defaultCurrency: String?
    /// Values of the `direction` column that mean debit (money out); nil: the built-in list.
    public var debitValues: [String]?
    /// Values of the `direction` column that mean credit (money in); nil: the built-in list.
    public var creditValues: [String]?
    /// Values of the `status` column that mean pending; anything else is booked. nil: the built-in list.
    public var pendingValues: [String]?
    /// Account identifier for files without an account column.
    public var account: String?

    /// Sign convention of a single amount column.
    public enum AmountSign: String, Sendable, Codable, Hashable, CaseIterable {
        /// Negative is money out, as in findoc.
        case asIs
        /// Positive is money out (a card purchase is positive): amounts are negated.
        case positiveIsDebit
    }

    /// Creates a profile.
    public init(
        name: String, description: String? = nil, matchHeaders: [String]? = nil, columns: [CSVColumnRole: [String]],
        dateOrder: DateOrder? = nil, decimalSeparator: String? = nil, amountSign: AmountSign = .asIs,
        defaultCurrency: String? = nil, debitValues: [String]? = nil, creditValues: [String]? = nil,
        pendingValues: [String]? = nil, account: String? = nil
    ) {
        self.name = name
        self.description = description
        self.matchHeaders = matchHeaders
        self.columns = columns
        self.dateOrder = dateOrder
        self.decimalSeparator = decimalSeparator
        self.amountSign = amountSign
        self.defaultCurrency = defaultCurrency
        self.debitValues = debitValues
        self.creditValues = creditValues
        self.pendingValues = pendingValues
        self.account = account
    }

    /// The profiles compiled into findoc (sources: `Schemas/profiles/*.json`).
    public static let shipped: [CSVProfile] = ShippedProfiles.sources.compactMap {
        try? CSVProfile.decode(json: Array($0.json.utf8), file: "shipped:" + $0.file)
    }

    /// Reads a profile from a JSON file; the error names the file and what is wrong.
    public static func load(from path: String) throws -> CSVProfile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CSVProfileError(file: path, message: "cannot be read (\(error))")
        }
        return try decode(json: Array(data), file: path)
    }

    /// Reads a profile from JSON bytes; `file` names the source in errors.
    public static func decode(json: [UInt8], file: String) throws -> CSVProfile {
        let profile: CSVProfile
        do {
            profile = try JSONDecoder().decode(CSVProfile.self, from: Data(json))
        } catch let problem as Problem {
            throw CSVProfileError(file: file, message: problem.message)
        } catch let error as DecodingError {
            throw CSVProfileError(file: file, message: Self.explain(error))
        } catch {
            throw CSVProfileError(file: file, message: "is not a valid profile (\(error))")
        }
        if let problem = profile.problem { throw CSVProfileError(file: file, message: problem) }
        return profile
    }

    /// The JSON field names, in the order they are documented.
    static let fieldNames = [
        "name", "description", "match", "columns", "dateOrder", "decimalSeparator", "amountSign", "defaultCurrency",
        "direction", "statusValues", "account",
    ]

    /// What makes the profile unusable, or nil.
    var problem: String? {
        if name.trimmingASCIIWhitespace().isEmpty { return "\"name\" must not be empty" }
        if columns[.date]?.isEmpty ?? true { return "\"columns\" must map \"date\" to a column name" }
        let amounts: [CSVColumnRole] = [.amount, .debit, .credit]
        if !amounts.contains(where: { !(columns[$0]?.isEmpty ?? true) }) {
            return "\"columns\" must map \"amount\", or \"debit\" and \"credit\", to column names"
        }
        if let separator = decimalSeparator, separator != ".", separator != "," {
            return "\"decimalSeparator\" must be \".\" or \",\", found \"\(separator)\""
        }
        if let code = defaultCurrency, CurrencyCode(code) == nil {
            return "\"defaultCurrency\" must be a three-letter ISO 4217 code, found \"\(code)\""
        }
        if let headers = matchHeaders, headers.isEmpty { return "\"match.headers\" must list at least one header" }
        return nil
    }

    // MARK: - Codable

    /// A problem found while decoding, reported without the decoder's coding-path noise.
    struct Problem: Error {
        let message: String
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes the documented JSON form and rejects unknown fields, so a typo does not silently change nothing.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        for key in c.allKeys where !Self.fieldNames.contains(key.stringValue) {
            throw Problem(
                message: "unknown field \"\(key.stringValue)\"; expected one of \(Self.fieldNames.joined(separator: ", "))")
        }
        name = try c.decode(String.self, forKey: Key("name"))
        description = try c.decodeIfPresent(String.self, forKey: Key("description"))
        if c.contains(Key("match")) {
            let match = try c.nestedContainer(keyedBy: Key.self, forKey: Key("match"))
            for key in match.allKeys where key.stringValue != "headers" {
                throw Problem(message: "unknown field \"match.\(key.stringValue)\"; expected \"headers\"")
            }
            matchHeaders = try match.decode([String].self, forKey: Key("headers"))
        } else {
            matchHeaders = nil
        }
        let columnContainer = try c.nestedContainer(keyedBy: Key.self, forKey: Key("columns"))
        var columns: [CSVColumnRole: [String]] = [:]
        for key in columnContainer.allKeys {
            guard let role = CSVColumnRole(rawValue: key.stringValue) else {
                let known = CSVColumnRole.allCases.map(\.rawValue).joined(separator: ", ")
                throw Problem(message: "unknown field \"columns.\(key.stringValue)\"; expected one of \(known)")
            }
            if let single = try? columnContainer.decode(String.self, forKey: key) {
                columns[role] = [single]
            } else if let list = try? columnContainer.decode([String].self, forKey: key) {
                columns[role] = list
            } else {
                throw Problem(message: "\"columns.\(key.stringValue)\" must be a column name or a list of column names")
            }
        }
        self.columns = columns
        if let order = try c.decodeIfPresent(String.self, forKey: Key("dateOrder")) {
            guard let parsed = DateOrder(rawValue: order) else {
                throw Problem(message: "\"dateOrder\" must be \"dmy\", \"mdy\" or \"ymd\", found \"\(order)\"")
            }
            dateOrder = parsed
        } else {
            dateOrder = nil
        }
        decimalSeparator = try c.decodeIfPresent(String.self, forKey: Key("decimalSeparator"))
        if let sign = try c.decodeIfPresent(String.self, forKey: Key("amountSign")) {
            guard let parsed = AmountSign(rawValue: sign) else {
                throw Problem(message: "\"amountSign\" must be \"asIs\" or \"positiveIsDebit\", found \"\(sign)\"")
            }
            amountSign = parsed
        } else {
            amountSign = .asIs
        }
        defaultCurrency = try c.decodeIfPresent(String.self, forKey: Key("defaultCurrency"))
        if c.contains(Key("direction")) {
            let direction = try c.nestedContainer(keyedBy: Key.self, forKey: Key("direction"))
            for key in direction.allKeys where key.stringValue != "debit" && key.stringValue != "credit" {
                throw Problem(message: "unknown field \"direction.\(key.stringValue)\"; expected \"debit\" and \"credit\"")
            }
            debitValues = try direction.decodeIfPresent([String].self, forKey: Key("debit"))
            creditValues = try direction.decodeIfPresent([String].self, forKey: Key("credit"))
        } else {
            debitValues = nil
            creditValues = nil
        }
        if c.contains(Key("statusValues")) {
            let status = try c.nestedContainer(keyedBy: Key.self, forKey: Key("statusValues"))
            for key in status.allKeys where key.stringValue != "pending" {
                throw Problem(message: "unknown field \"statusValues.\(key.stringValue)\"; expected \"pending\"")
            }
            pendingValues = try status.decodeIfPresent([String].self, forKey: Key("pending"))
        } else {
            pendingValues = nil
        }
        account = try c.decodeIfPresent(String.self, forKey: Key("account"))
    }

    /// Encodes the documented JSON form.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(name, forKey: Key("name"))
        try c.encodeIfPresent(description, forKey: Key("description"))
        if let matchHeaders {
            var match = c.nestedContainer(keyedBy: Key.self, forKey: Key("match"))
            try match.encode(matchHeaders, forKey: Key("headers"))
        }
        var columnContainer = c.nestedContainer(keyedBy: Key.self, forKey: Key("columns"))
        for role in CSVColumnRole.allCases {
            guard let names = columns[role] else { continue }
            if names.count == 1, let only = names.first {
                try columnContainer.encode(only, forKey: Key(role.rawValue))
            } else {
                try columnContainer.encode(names, forKey: Key(role.rawValue))
            }
        }
        try c.encodeIfPresent(dateOrder?.rawValue, forKey: Key("dateOrder"))
        try c.encodeIfPresent(decimalSeparator, forKey: Key("decimalSeparator"))
        if amountSign != .asIs { try c.encode(amountSign.rawValue, forKey: Key("amountSign")) }
        try c.encodeIfPresent(defaultCurrency, forKey: Key("defaultCurrency"))
        if debitValues != nil || creditValues != nil {
            var direction = c.nestedContainer(keyedBy: Key.self, forKey: Key("direction"))
            try direction.encodeIfPresent(debitValues, forKey: Key("debit"))
            try direction.encodeIfPresent(creditValues, forKey: Key("credit"))
        }
        if let pendingValues {
            var status = c.nestedContainer(keyedBy: Key.self, forKey: Key("statusValues"))
            try status.encode(pendingValues, forKey: Key("pending"))
        }
        try c.encodeIfPresent(account, forKey: Key("account"))
    }

    /// Turns a decoder error into a sentence naming the field.
    private static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "the top level" : "\"" + keys.map(\.stringValue).joined(separator: ".") + "\""
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in " + path(context.codingPath)
            return "missing required field \"\(key.stringValue)\"\(parent)"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) has the wrong type; expected \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) is null; expected \(type)"
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0))" } ?? ""
            return context.codingPath.isEmpty
                ? "is not valid JSON\(underlying)" : "\(path(context.codingPath)) is invalid: \(context.debugDescription)"
        @unknown default:
            return "is not a valid profile (\(error))"
        }
    }
}
