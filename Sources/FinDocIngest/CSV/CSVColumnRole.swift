/// What a CSV column means to findoc: the logical fields a profile maps column names to.
public enum CSVColumnRole: String, Sendable, Codable, CaseIterable, Hashable {
    /// Booking (posting) date; required.
    case date
    /// Value date.
    case valueDate
    /// One signed amount.
    case amount
    /// Money out, in a column of its own.
    case debit
    /// Money in, in a column of its own.
    case credit
    /// Says whether `amount` is a debit or a credit ("D"/"C", "DR"/"CR", "S"/"H").
    case direction
    /// ISO 4217 code of the amount.
    case currency
    /// Free text; every listed column that exists is used, joined by a space (e.g. Description + Memo).
    case description
    /// Counterparty.
    case payee
    /// Customer or end-to-end reference.
    case reference
    /// The bank's unique transaction id.
    case bankId
    /// Account identifier (IBAN, masked card number).
    case account
    /// The source's own category label.
    case category
    /// Amount in the currency of the original purchase.
    case originalAmount
    /// ISO 4217 code of `originalAmount`.
    case originalCurrency
    /// Booked or pending.
    case status
}
