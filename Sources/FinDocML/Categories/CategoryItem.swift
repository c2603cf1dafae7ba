/// The kind of thing a category is predicted for. Each kind maps its own columns onto named text fields, so the
/// feature code, the rules and the store repositories work for any kind without knowing it.
public struct CategoryItemKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The name stored in `predictions.item_kind` / `labels.item_kind`.
    public let rawValue: String

    /// Creates a kind from its stored name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A bank or card transaction: fields `description`, `payee`, `reference`.
    public static let transaction = CategoryItemKind(rawValue: "transaction")
    /// An invoice line: fields `name`, `description`, `seller`, `classification`.
    public static let invoiceLine = CategoryItemKind(rawValue: "invoice_line")

    public var description: String { rawValue }
}

/// One named text field of an item (a merchant, a payee, an invoice line's name).
public struct CategoryTextField: Hashable, Sendable {
    /// The field's name: a store column (`description`, `payee`) or a CSV header (`MERCHANT NAME`).
    public var name: String
    /// The raw text, kept as the source gave it.
    public var value: String

    /// Creates a field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// What the categoriser sees of one transaction or invoice line: its text fields, its amount and its account.
///
/// Amounts are exact minor units with their number of digits, never `Double`; the features only use a coarse
/// sign and magnitude bucket of them, and rules compare them exactly.
public struct CategoryItem: Hashable, Sendable {
    /// The kind of item.
    public var kind: CategoryItemKind
    /// Text fields, in a stable order (the model concatenates them; rules address them by name).
    public var fields: [CategoryTextField]
    /// The signed amount in minor units (negative is money out), if known.
    public var amountMinor: Int64?
    /// Digits after the decimal point of `amountMinor`'s currency.
    public var currencyDigits: Int
    /// ISO 4217 code of the amount's currency, if known.
    public var currency: String?
    /// The account (IBAN, masked card number) the item belongs to, if known.
    public var account: String?

    /// Creates an item.
    public init(
        kind: CategoryItemKind = .transaction, fields: [CategoryTextField], amountMinor: Int64? = nil,
        currencyDigits: Int = 2, currency: String? = nil, account: String? = nil
    ) {
        self.kind = kind
        self.fields = fields
        self.amountMinor = amountMinor
        self.currencyDigits = currencyDigits
        self.currency = currency
        self.account = account
    }

    /// The value of the field called `name` (compared case-insensitively), if present.
    public func field(_ name: String) -> String? {
        let key = name.lowercased()
        return fields.first { $0.name.lowercased() == key }?.value
    }
}

/// A labelled item: what training and evaluation read.
public struct LabelledCategoryItem: Hashable, Sendable {
    /// The item.
    public var item: CategoryItem
    /// Its category in the user's chart of accounts.
    public var label: String

    /// Creates a labelled item.
    public init(item: CategoryItem, label: String) {
        self.item = item
        self.label = label
    }
}
