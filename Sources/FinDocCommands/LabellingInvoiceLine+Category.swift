import FinDocML
import FinDocStore

extension LabellingInvoiceLine {
    /// The line as the categoriser sees it: fields `name`, `description`, `seller`, `classification` (the codes,
    /// space-separated) and `item_id` (seller's, buyer's and standard identifiers, space-separated), and the net
    /// amount signed from the buyer's side (negative = money out, positive for a credit note), so amount rules and
    /// the amount features read invoice lines like transactions.
    var categoryItem: CategoryItem {
        var fields: [CategoryTextField] = []
        func add(_ name: String, _ value: String?) {
            if let value, !value.isEmpty { fields.append(CategoryTextField(name: name, value: value)) }
        }
        add("name", name)
        add("description", description)
        add("seller", seller)
        add("classification", classifications.joined(separator: " "))
        add("item_id", itemIDs.joined(separator: " "))
        return CategoryItem(
            kind: .invoiceLine, fields: fields, amountMinor: signedAmountMinor, currencyDigits: currencyDigits,
            currency: currency, account: nil)
    }
}
