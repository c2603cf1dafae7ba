/// The kind of a `!Type:` (or `!Account`) section, which decides how its records are read.
enum QIFSection: Equatable, Sendable {
    /// `Bank`, `CCard`, `Cash`, `Oth A`, `Oth L`: one record per cash transaction, already signed.
    case cash(String)
    /// `Invst`: investment actions, of which only the cash-moving ones become transactions.
    case investment
    /// An `!Account` block: account definitions that also switch the current account.
    case account
    /// Lists without transactions (`Cat`, `Class`, `Memorized`, `Security`, `Prices`, …), skipped.
    case list(String)
    /// A `!Type:` or `!` header this reader does not know; its records are skipped with a warning.
    case unknown(String)

    /// The section named by a header line such as `!Type:Oth A` (without the `!`), matched case-insensitively;
    /// nil when the line is an option header (`!Option:AutoSwitch`, `!Clear:AutoSwitch`) that opens no section.
    static func from(header: Substring) -> QIFSection? {
        let trimmed = header.trimmingASCIIWhitespace()
        let lower = trimmed.lowercased()
        if lower.hasPrefix("option:") || lower.hasPrefix("clear:") { return nil }
        if lower == "account" { return .account }
        guard lower.hasPrefix("type:") else { return .unknown("!" + String(trimmed)) }
        let name = String(trimmed.dropFirst(5).trimmingASCIIWhitespace())
        // Exporters vary the spacing ("Oth A", "OthA", "Oth  A"); compare without spaces.
        switch name.lowercased().filter({ $0 != " " }) {
        case "bank", "ccard", "cash", "otha", "othl": return .cash(name)
        case "invst", "invest": return .investment
        case "cat", "class", "memorized", "security", "prices", "invitem", "template", "budget": return .list(name)
        default: return .unknown("!" + String(trimmed))
        }
    }
}
