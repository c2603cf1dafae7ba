import FinDocML
import FinDocStore

extension LabellingTransaction {
    /// The transaction as the categoriser sees it: description, payee and reference as text, exact amount, account.
    var categoryItem: CategoryItem {
        var fields = [CategoryTextField(name: "description", value: description)]
        if let payee, !payee.isEmpty { fields.append(CategoryTextField(name: "payee", value: payee)) }
        if let reference, !reference.isEmpty { fields.append(CategoryTextField(name: "reference", value: reference)) }
        return CategoryItem(
            kind: .transaction, fields: fields, amountMinor: amountMinor, currencyDigits: currencyDigits,
            currency: currency, account: account)
    }
}
