/// What an investment action (`N` line of a `!Type:Invst` record) does to the account's cash.
enum QIFInvestmentAction: Equatable, Sendable {
    /// Cash moves in the investment account: +1 in, -1 out, 0 as written (the `Cash` action is already signed).
    case cash(direction: Int)
    /// Cash moves through another account (the `…X` actions); that account's own section records it.
    case linked
    /// No cash moves (reinvestments, share transfers, splits, reminders, option grants).
    case noCash
    /// An action this reader does not know.
    case unknown

    /// The effect of an action name, matched case-insensitively.
    static func of(_ name: String) -> QIFInvestmentAction {
        switch name.lowercased() {
        case "buy", "margint", "miscexp", "xout": return .cash(direction: -1)
        case "sell", "div", "intinc", "cglong", "cgmid", "cgshort", "miscinc", "rtrncap", "xin":
            return .cash(direction: 1)
        case "cash": return .cash(direction: 0)
        case "buyx", "sellx", "divx", "intincx", "cglongx", "cgmidx", "cgshortx", "miscincx", "miscexpx", "rtrncapx",
            "margintx", "contribx", "withdrwx":
            return .linked
        case "reinvdiv", "reinvint", "reinvlg", "reinvmd", "reinvsh", "shrsin", "shrsout", "stksplit", "reminder",
            "vest", "exercise", "expire", "grant", "exercisx":
            return .noCash
        default: return .unknown
        }
    }
}
