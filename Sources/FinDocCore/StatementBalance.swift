/// One balance a statement reports, whatever its kind: opening and closing booked balances, and the available,
/// forward-available and interim balances that banks add (MT940 `:64:`/`:65:`, OFX `AVAILBAL`, camt `CLAV`, `FWAV`,
/// `ITBD`, …). Stored in `statement_balances`, so nothing a statement says about the account is lost.
public struct StatementBalance: Hashable, Sendable {
    /// What a balance means, across formats. The source's own code stays in `code`.
    public enum Kind: String, Sendable, CaseIterable {
        /// Booked balance at the start of the period (MT940 `:60F:`/`:60M:`, camt `OPBD`/`PRCD`).
        case opening
        /// Booked balance at the end of the period (MT940 `:62F:`/`:62M:`, camt `CLBD`, OFX `LEDGERBAL`, QIF `$`).
        case closing
        /// Funds available at the start of the period (camt `OPAV`).
        case openingAvailable = "opening_available"
        /// Funds available at the end of the period (MT940 `:64:`, camt `CLAV`, OFX `AVAILBAL`, `INVBAL/AVAILCASH`).
        case available
        /// Funds available on a later date (MT940 `:65:`, camt `FWAV`).
        case forwardAvailable = "forward_available"
        /// Booked balance during the period (camt `ITBD`).
        case interimBooked = "interim_booked"
        /// Available balance during the period (camt `ITAV`).
        case interimAvailable = "interim_available"
        /// Any other type code (camt `XPCD`, `INFO`, proprietary codes): see `code`.
        case other
    }

    /// The meaning, normalised across formats.
    public var kind: Kind
    /// The type code as the source writes it: the MT940 tag (`60F`, `64`), the camt code (`CLAV`), the OFX aggregate
    /// (`LEDGERBAL`, `AVAILBAL`, `INVBAL/AVAILCASH`) or the QIF field (`$`).
    public var code: String
    /// The signed amount, exact: negative when the balance is a debit (an overdrawn account).
    public var amount: Money
    /// The day the balance is given for, when the source says.
    public var date: LocalDate?
    /// Where the balance is written (line, and XPath for XML sources).
    public var location: SourceLocation?

    /// Creates a balance.
    public init(kind: Kind, code: String, amount: Money, date: LocalDate? = nil, location: SourceLocation? = nil) {
        self.kind = kind
        self.code = code
        self.amount = amount
        self.date = date
        self.location = location
    }

    /// The kind an ISO 20022 balance type code (`BalanceType12Code`) names; `other` for codes without a fixed meaning.
    public static func kind(camtCode code: String) -> Kind {
        switch code {
        case "OPBD", "PRCD": .opening
        case "CLBD": .closing
        case "OPAV": .openingAvailable
        case "CLAV": .available
        case "FWAV": .forwardAvailable
        case "ITBD": .interimBooked
        case "ITAV": .interimAvailable
        default: .other
        }
    }
}
