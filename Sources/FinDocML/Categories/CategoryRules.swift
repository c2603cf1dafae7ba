import FinDocCore
import Foundation

/// An ordered list of user rules that label items before any model does; the first rule that matches wins.
///
/// The file format is documented in `Schemas/rules.md` (JSON Schema: `Schemas/rules.schema.json`):
///
/// ```json
/// {"rules": [
///   {"name": "fuel", "label": "Vehicle Fuel",
///    "match": [{"field": "description", "regex": "^(shell|esso|bp) "}],
///    "amount": {"min": "-250.00", "max": "-0.01"}}
/// ]}
/// ```
public struct CategoryRules: Sendable {
    /// The rules, in the order they are tried.
    public let rules: [Rule]
    /// `rules:` + the first 12 hex digits of the file's sha256: the model id of rule predictions.
    public let id: String

    /// One rule: all of its conditions must hold.
    public struct Rule: Sendable {
        /// Unique name, recorded as `rule:<name>`.
        public let name: String
        /// The label it gives.
        public let label: String
        let text: [TextCondition]
        let minMinor: String?
        let maxMinor: String?
        let currency: String?
        let account: String?
        let accountEndsWith: String?

        /// True when every condition holds for `item`.
        public func matches(_ item: CategoryItem) -> Bool {
            for condition in text where !condition.matches(item) { return false }
            if let currency, item.currency?.uppercased() != currency.uppercased() { return false }
            if minMinor != nil || maxMinor != nil {
                guard let amount = item.amountMinor else { return false }
                // Bounds are decimal text compared exactly in the item's own minor units.
                if let minMinor, let bound = Money.parseMinorUnits(minMinor, digits: item.currencyDigits), amount < bound {
                    return false
                }
                if let maxMinor, let bound = Money.parseMinorUnits(maxMinor, digits: item.currencyDigits), amount > bound {
                    return false
                }
            }
            if let account, item.account != account { return false }
            if let accountEndsWith, !(item.account ?? "").hasSuffix(accountEndsWith) { return false }
            return true
        }
    }

    struct TextCondition: @unchecked Sendable {
        // @unchecked: NSRegularExpression is immutable after creation and documented thread-safe.
        enum Operation { case equals(String), contains(String), regex(NSRegularExpression) }
        let field: String
        let operation: Operation
        let caseSensitive: Bool

        func matches(_ item: CategoryItem) -> Bool {
            let values: [String] = field == "any" ? item.fields.map(\.value) : (item.field(field).map { [$0] } ?? [])
            return values.contains { value in
                switch operation {
                case .equals(let wanted):
                    return caseSensitive ? value == wanted : value.lowercased() == wanted.lowercased()
                case .contains(let wanted):
                    return caseSensitive ? value.contains(wanted) : value.lowercased().contains(wanted.lowercased())
                case .regex(let expression):
                    return expression.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
                }
            }
        }
    }

    /// The first rule that matches `item`, if any.
    public func firstMatch(_ item: CategoryItem) -> Rule? {
        rules.first { $0.matches(item) }
    }

    /// A rules file that cannot be used, with the file and the rule at fault.
    public struct RulesError: Error, CustomStringConvertible {
        /// The file.
        public let path: String
        /// What is wrong and where (rule number and name).
        public let message: String

        public var description: String { "\(path): \(message)" }
    }

    private struct FileFormat: Decodable {
        var rules: [RuleFormat]
    }

    private struct RuleFormat: Decodable {
        var name: String
        var label: String
        var match: [ConditionFormat]?
        var amount: AmountFormat?
        var account: AccountFormat?
    }

    private struct ConditionFormat: Decodable {
        var field: String?
        var equals: String?
        var contains: String?
        var regex: String?
        var caseSensitive: Bool?

        enum CodingKeys: String, CodingKey {
            case field, equals, contains, regex, caseSensitive = "case_sensitive"
        }
    }

    private struct AmountFormat: Decodable {
        var min: String?
        var max: String?
        var currency: String?
    }

    private struct AccountFormat: Decodable {
        var equals: String?
        var endsWith: String?

        enum CodingKeys: String, CodingKey {
            case equals, endsWith = "ends_with"
        }
    }

    /// Reads and checks a rules file.
    public static func load(path: String) throws -> CategoryRules {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RulesError(path: path, message: "cannot read the file")
        }
        return try parse(data, path: path)
    }

    /// Parses rules from JSON bytes; `path` names them in errors.
    public static func parse(_ data: Data, path: String) throws -> CategoryRules {
        let file: FileFormat
        do {
            file = try JSONDecoder().decode(FileFormat.self, from: data)
        } catch DecodingError.keyNotFound(let key, let context) {
            throw RulesError(path: path, message: "missing \"\(key.stringValue)\" at \(Self.describe(context.codingPath))")
        } catch DecodingError.typeMismatch(_, let context) {
            throw RulesError(path: path, message: "wrong type at \(Self.describe(context.codingPath)): \(context.debugDescription)")
        } catch {
            throw RulesError(path: path, message: "not valid rules JSON: \(error)")
        }
        var names = Set<String>()
        var rules: [Rule] = []
        for (index, rule) in file.rules.enumerated() {
            let at = "rule \(index + 1) (\"\(rule.name)\")"
            guard !rule.name.isEmpty, names.insert(rule.name).inserted else {
                throw RulesError(path: path, message: "\(at): names must be non-empty and unique")
            }
            guard !rule.label.isEmpty else { throw RulesError(path: path, message: "\(at): empty label") }
            var conditions: [TextCondition] = []
            for condition in rule.match ?? [] {
                let given = [condition.equals, condition.contains, condition.regex].compactMap { $0 }
                guard given.count == 1 else {
                    throw RulesError(path: path, message: "\(at): each match needs exactly one of equals, contains, regex")
                }
                let caseSensitive = condition.caseSensitive ?? false
                let operation: TextCondition.Operation
                if let equals = condition.equals {
                    operation = .equals(equals)
                } else if let contains = condition.contains {
                    operation = .contains(contains)
                } else {
                    let pattern = condition.regex ?? ""
                    do {
                        operation = .regex(
                            try NSRegularExpression(pattern: pattern, options: caseSensitive ? [] : [.caseInsensitive]))
                    } catch {
                        throw RulesError(path: path, message: "\(at): invalid regex \"\(pattern)\"")
                    }
                }
                conditions.append(TextCondition(field: condition.field ?? "any", operation: operation, caseSensitive: caseSensitive))
            }
            for bound in [rule.amount?.min, rule.amount?.max].compactMap({ $0 })
            where Money.parseMinorUnits(bound, digits: 4) == nil {
                throw RulesError(path: path, message: "\(at): amount bound \"\(bound)\" is not a decimal number such as -12.50")
            }
            guard !conditions.isEmpty || rule.amount != nil || rule.account != nil else {
                throw RulesError(path: path, message: "\(at): a rule needs at least one condition (match, amount or account)")
            }
            rules.append(
                Rule(
                    name: rule.name, label: rule.label, text: conditions, minMinor: rule.amount?.min,
                    maxMinor: rule.amount?.max, currency: rule.amount?.currency, account: rule.account?.equals,
                    accountEndsWith: rule.account?.endsWith))
        }
        return CategoryRules(rules: rules, id: "rules:" + SHA256.hex(of: [UInt8](data)).prefix(12))
    }

    private static func describe(_ path: [CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}
