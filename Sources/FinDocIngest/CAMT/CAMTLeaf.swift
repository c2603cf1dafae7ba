import FinDocCore

/// One element with text content inside a camt balance or entry, kept as read: its path relative to the `Bal` or
/// `Ntry` element (`BookgDt/Dt`, `TxDtls/Refs/EndToEndId`), its text, its `Ccy` attribute and its line.
///
/// An entry is collected as a flat list of these while streaming and interpreted when its end tag arrives, so memory
/// holds one entry at a time, and every value the bank sent is still there for the raw fields.
struct CAMTLeaf: Sendable {
    /// Path below the collected element, names joined by `/`, without namespace prefixes; inside a transaction
    /// detail it starts at `TxDtls/` (`TxDtls/Refs/EndToEndId`), the `NtryDtls/` before it dropped.
    var path: String
    /// The text, trimmed of surrounding white space.
    var value: String
    /// The `Ccy` attribute of amount elements.
    var currency: String?
    /// 1-based line of the element's start tag.
    var line: Int
    /// 1-based index of the `TxDtls` this leaf is in; 0 for entry-level leaves.
    var detail: Int
}

/// Date handling shared by balances and entries: camt writes `Dt` (`2014-12-31`, sometimes with a zone) or `DtTm`
/// (`2014-12-31T10:15:00+01:00`); the calendar date as written is what the statement means.
enum CAMTDate {
    /// The date part of an ISO date or date-time; nil when it is not a valid `YYYY-MM-DD` start.
    static func parse(_ text: String) -> LocalDate? {
        let u = text.utf8
        guard u.count >= 10 else { return nil }
        if u.count > 10 {
            let next = u[u.index(u.startIndex, offsetBy: 10)]
            // T (time), Z or a +/- zone may follow the date; anything else is not an ISO date.
            guard next == UInt8(ascii: "T") || next == UInt8(ascii: "Z") || next == UInt8(ascii: "+")
                || next == UInt8(ascii: "-") || next == UInt8(ascii: " ")
            else { return nil }
        }
        return LocalDate(iso: text.prefix(10))
    }
}
