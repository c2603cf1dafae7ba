/// A kind of named entity: the model's PER, ORG and LOC, and the deterministic recognisers' MONEY, PERCENT, DATE and
/// TICKER. Open for other types a model may emit.
public struct EntityType: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The upper-case name, e.g. `ORG`.
    public let rawValue: String

    /// Creates a type from its name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A person.
    public static let person = EntityType(rawValue: "PER")
    /// An organisation (companies, banks, regulators).
    public static let organization = EntityType(rawValue: "ORG")
    /// A location.
    public static let location = EntityType(rawValue: "LOC")
    /// An amount of money with its currency.
    public static let money = EntityType(rawValue: "MONEY")
    /// A percentage, percentage points or basis points.
    public static let percent = EntityType(rawValue: "PERCENT")
    /// A date, quarter, half or fiscal year.
    public static let date = EntityType(rawValue: "DATE")
    /// A stock ticker symbol.
    public static let ticker = EntityType(rawValue: "TICKER")

    /// The types the deterministic recognisers produce.
    public static let ruleTypes: Set<EntityType> = [.money, .percent, .date, .ticker]

    public var description: String { rawValue }

    public static func < (a: EntityType, b: EntityType) -> Bool { a.rawValue < b.rawValue }
}

/// Where an entity span came from.
public enum EntitySource: String, Sendable, Hashable {
    /// A token-classification model.
    case model
    /// A deterministic recogniser.
    case rule
}

/// One entity found in a sentence.
///
/// Offsets are half-open **Unicode scalar** (code point) indices into the sentence text — the unit transcript
/// sentences and utterances are stored in (Python `str` indices), so `start..<end` of a stored sentence's text is the
/// entity's `text`.
public struct EntitySpan: Hashable, Sendable, CustomStringConvertible {
    /// First scalar of the entity.
    public var start: Int
    /// One past the last scalar.
    public var end: Int
    /// The entity's type.
    public var type: EntityType
    /// The text of the span, as written.
    public var text: String
    /// A normalised value: `84300000000 USD`, `12.5%`, `2022-Q3`, `FY2023`, `2025-05-12`, `NASDAQ:AAPL`; nil for
    /// PER/ORG/LOC.
    public var normalized: String?
    /// For MONEY: the exact amount in major units as a canonical decimal (`84300000000`, `1200000`, `0.5`).
    public var amount: String?
    /// For MONEY: the currency.
    public var currency: CurrencyCode?
    /// Model or rule.
    public var source: EntitySource
    /// The model's probability for the span (nil for rules).
    public var probability: Double?

    /// Creates a span.
    public init(
        start: Int, end: Int, type: EntityType, text: String, normalized: String? = nil, amount: String? = nil,
        currency: CurrencyCode? = nil, source: EntitySource, probability: Double? = nil
    ) {
        self.start = start
        self.end = end
        self.type = type
        self.text = text
        self.normalized = normalized
        self.amount = amount
        self.currency = currency
        self.source = source
        self.probability = probability
    }

    /// For MONEY, the amount as exact `Money` when it fits the currency's minor units (nil for `$1.234` in USD or
    /// amounts beyond 64 bits).
    public var money: Money? {
        guard let amount, let currency else { return nil }
        return Money(decimal: amount, currency: currency)
    }

    /// Number of scalars covered.
    public var length: Int { end - start }

    /// Whether two spans share at least one scalar.
    public func overlaps(_ other: EntitySpan) -> Bool { start < other.end && other.start < end }

    /// `TYPE[start..<end] "text" → normalized`.
    public var description: String {
        "\(type)[\(start)..<\(end)] \"\(text)\"" + (normalized.map { " → \($0)" } ?? "")
    }
}
