import FinDocCore

/// One `Bal` of a camt report, statement or notification: its type code (`OPBD`, `CLBD`, `ITBD`, …), signed amount
/// and date.
struct CAMTBalance: Sendable {
    /// The type code as written (`Tp/CdOrPrtry/Cd`, or `Tp/Cd` in camt.052.001.01), or the proprietary type.
    var code: String
    /// The amount, negative when `CdtDbtInd` is `DBIT` (an overdrawn account).
    var money: Money
    /// The balance date (`Dt/Dt` or the date of `Dt/DtTm`).
    var date: LocalDate?
    /// Where the `Bal` starts.
    var line: Int
    /// The `Bal` element's XPath, set by the parser that knows its position.
    var xpath: String?

    /// Reads a balance from its leaves; an error message (with the line it concerns) when it cannot be used.
    static func read(_ leaves: [CAMTLeaf], line: Int, accountCurrency: CurrencyCode?) -> Result<CAMTBalance, CAMTProblem> {
        var code: String?
        var amount: CAMTLeaf?
        var indicator: String?
        var date: LocalDate?
        for leaf in leaves {
            switch leaf.path {
            case "Tp/CdOrPrtry/Cd", "Tp/Cd": code = leaf.value
            case "Tp/CdOrPrtry/Prtry", "Tp/Prtry": code = code ?? leaf.value
            case "Amt": amount = leaf
            case "CdtDbtInd": indicator = leaf.value
            case "Dt/Dt", "Dt/DtTm": date = CAMTDate.parse(leaf.value)
            default: break
            }
        }
        guard let amount else {
            return .failure(CAMTProblem(line: line, message: "balance \(code ?? "?") has no Amt"))
        }
        guard let currency = amount.currency.flatMap(CurrencyCode.init) ?? accountCurrency else {
            return .failure(
                CAMTProblem(line: amount.line, message: "balance \(code ?? "?") has no Ccy currency on its Amt"))
        }
        guard let minor = Money.parseMinorUnits(amount.value, digits: currency.minorUnitDigits), minor >= 0 else {
            return .failure(
                CAMTProblem(
                    line: amount.line,
                    message: "balance amount \"\(amount.value)\" is not a non-negative decimal with at most "
                        + "\(currency.minorUnitDigits) decimals in \(currency.code)"))
        }
        let sign: Int64
        switch indicator {
        case "CRDT": sign = 1
        case "DBIT": sign = -1
        default:
            return .failure(
                CAMTProblem(
                    line: line, message: "balance \(code ?? "?") has CdtDbtInd \"\(indicator ?? "")\"; expected CRDT or DBIT"))
        }
        return .success(
            CAMTBalance(code: code ?? "", money: Money(minorUnits: sign * minor, currency: currency), date: date, line: line))
    }
}

/// A problem found while interpreting collected leaves: the line it concerns and what was wrong.
struct CAMTProblem: Error, Sendable {
    /// 1-based line.
    var line: Int
    /// What is wrong and what was expected.
    var message: String
}
