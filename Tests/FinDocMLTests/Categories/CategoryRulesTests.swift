import Foundation
import Testing

@testable import FinDocML

@Suite struct CategoryRulesTests {
    static let rulesJSON = """
        {"rules": [
          {"name": "fuel", "label": "Vehicle Fuel", "match": [{"field": "description", "regex": "^(shell|esso) "}]},
          {"name": "small-tesco", "label": "Food", "match": [{"contains": "TESCO"}],
           "amount": {"min": "-50.00", "max": "-0.01", "currency": "GBP"}},
          {"name": "any-tesco", "label": "Groceries", "match": [{"field": "description", "contains": "tesco"}]},
          {"name": "team-card", "label": "Travel", "account": {"ends_with": "5770"}}
        ]}
        """

    static func item(_ text: String, _ minor: Int64? = nil, account: String? = nil) -> CategoryItem {
        CategoryItem(
            fields: [CategoryTextField(name: "description", value: text)], amountMinor: minor, currency: "GBP",
            account: account)
    }

    @Test func firstMatchingRuleWinsAndAmountsAreExact() throws {
        let rules = try CategoryRules.parse(Data(Self.rulesJSON.utf8), path: "rules.json")
        #expect(rules.firstMatch(Self.item("shell kings 587"))?.name == "fuel")
        #expect(rules.firstMatch(Self.item("SHELL KINGS 587"))?.name == "fuel")  // case-insensitive by default
        #expect(rules.firstMatch(Self.item("tesco stores", -5000))?.name == "small-tesco")  // bound is inclusive
        #expect(rules.firstMatch(Self.item("tesco stores", -5001))?.name == "any-tesco")  // one penny over
        #expect(rules.firstMatch(Self.item("tesco stores", 0))?.name == "any-tesco")
        #expect(rules.firstMatch(Self.item("tesco stores"))?.name == "any-tesco")  // no amount: amount rule cannot hold
        #expect(rules.firstMatch(Self.item("travelodge", account: "************5770"))?.name == "team-card")
        #expect(rules.firstMatch(Self.item("travelodge", account: "************5771")) == nil)
        #expect(rules.id.hasPrefix("rules:") && rules.id.count == 18)
    }

    @Test func rulesWinOverTheModel() throws {
        let rows = (0..<40).map {
            LabelledCategoryItem(item: Self.item($0 % 2 == 0 ? "shell kings \($0)" : "waterstones \($0)"), label: $0 % 2 == 0 ? "Books" : "Fuel")
        }
        let result = try CategoryTrainer(options: CategoryTrainingOptions(epochs: 5, calibrationFraction: 0)).train(rows)
        let bundle = CategoryBundle(result: result, training: CategoryTrainingOptions(), textFields: ["description"])
        let rules = try CategoryRules.parse(Data(Self.rulesJSON.utf8), path: "rules.json")
        let modelOnly = CategoryClassifier(rules: nil, bundle: bundle).classify(Self.item("shell kings 1"))
        #expect(modelOnly?.label == "Books")
        #expect(modelOnly?.reason == "model")
        let decision = CategoryClassifier(rules: rules, bundle: bundle).classify(Self.item("shell kings 1"), explain: true)
        #expect(decision?.label == "Vehicle Fuel")
        #expect(decision?.reason == "rule:fuel")
        #expect(decision?.probability == 1)
        #expect(decision?.modelID == rules.id)
    }

    @Test(arguments: [
        (#"{"rules": [{"name": "a", "label": "X"}]}"#, "at least one condition"),
        (#"{"rules": [{"name": "a", "label": "X", "match": [{"regex": "(shell"}]}]}"#, "invalid regex"),
        (#"{"rules": [{"name": "a", "label": "X", "match": [{"contains": "a", "equals": "b"}]}]}"#, "exactly one"),
        (#"{"rules": [{"name": "a", "label": "X", "amount": {"min": "ten"}}]}"#, "not a decimal"),
        (#"{"rules": [{"name": "a", "label": "X", "account": {"equals": "1"}}, {"name": "a", "label": "Y", "account": {"equals": "2"}}]}"#, "unique"),
        (#"{"rules": [{"label": "X"}]}"#, "missing \"name\""),
    ])
    func badFilesNameTheRule(json: String, message: String) {
        do {
            _ = try CategoryRules.parse(Data(json.utf8), path: "my-rules.json")
            Issue.record("accepted \(json)")
        } catch {
            let text = "\(error)"
            #expect(text.hasPrefix("my-rules.json: "))
            #expect(text.contains(message), "\(text)")
        }
    }
}
