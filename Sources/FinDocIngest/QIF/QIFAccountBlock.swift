import FinDocCore

/// One `!Account` block: the account it names and, when the exporter wrote them, the statement balance (`$`) and
/// its date (`/`). Quicken writes these two in account lists (`!Option:AutoSwitch`) and before an account's
/// transactions; most exports leave them out.
struct QIFAccountBlock: Sendable {
    /// The account name (`N`).
    var name: String
    /// The line of the block's first field.
    var line: Int
    /// The statement balance field (`$`), as written.
    var balance: QIFField?
    /// The statement balance date field (`/`), as written.
    var balanceDate: QIFField?

    /// The block's statement balance as statement facts (a closing balance, also in `balances`), or a located
    /// warning when the balance or its date cannot be read. Nil (and no warning) when the block has no balance.
    func statement(
        path: String, currency: CurrencyCode, values: QIFValueReader, sourceLine: (Int) -> String?
    ) -> (info: StatementInfo?, warnings: [Diagnostic]) {
        guard let balance, !balance.value.trimmingASCIIWhitespace().isEmpty else { return (nil, []) }
        let text = String(balance.value.trimmingASCIIWhitespace())
        var warnings: [Diagnostic] = []
        guard case .success(let minor) = values.amount(text) else {
            warnings.append(
                Diagnostic(
                    .warning, code: "qif.balance",
                    message: "account \(name): statement balance $\(text) is not an amount with at most "
                        + "\(currency.minorUnitDigits) decimals; the balance is not stored",
                    location: SourceLocation(file: path, line: balance.line), sourceLine: sourceLine(balance.line)))
            return (nil, warnings)
        }
        var date: LocalDate?
        if let balanceDate, !balanceDate.value.trimmingASCIIWhitespace().isEmpty {
            let dateText = String(balanceDate.value.trimmingASCIIWhitespace())
            switch values.date(dateText) {
            case .success(let day): date = day
            case .failure:
                warnings.append(
                    Diagnostic(
                        .warning, code: "qif.balance",
                        message: "account \(name): statement balance date /\(dateText) is not a date "
                            + "(\(values.datePattern)); the balance is stored without a date",
                        location: SourceLocation(file: path, line: balanceDate.line),
                        sourceLine: sourceLine(balanceDate.line)))
            }
        }
        let money = Money(minorUnits: minor, currency: currency)
        let info = StatementInfo(
            account: name, currency: currency, periodEnd: date, closingBalance: money,
            location: SourceLocation(file: path, line: line),
            balances: [
                StatementBalance(
                    kind: .closing, code: "$", amount: money, date: date,
                    location: SourceLocation(file: path, line: balance.line))
            ])
        return (info, warnings)
    }
}
