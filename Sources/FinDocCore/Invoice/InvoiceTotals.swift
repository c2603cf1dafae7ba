/// The document totals (BG-22), BT-106 to BT-115, in the invoice currency (BT-5) except BT-111.
public struct InvoiceTotals: Hashable, Sendable {
    /// BT-106: sum of the invoice lines' net amounts.
    public var lineNetTotal: ExactDecimal?
    /// BT-107: sum of document-level allowances.
    public var allowanceTotal: ExactDecimal?
    /// BT-108: sum of document-level charges.
    public var chargeTotal: ExactDecimal?
    /// BT-109: invoice total without VAT.
    public var taxExclusiveTotal: ExactDecimal?
    /// BT-110: invoice total VAT amount in the invoice currency.
    public var taxTotal: ExactDecimal?
    /// BT-111: invoice total VAT amount in the VAT accounting currency (BT-6), when that differs.
    public var taxTotalInAccountingCurrency: ExactDecimal?
    /// BT-112: invoice total with VAT.
    public var taxInclusiveTotal: ExactDecimal?
    /// BT-113: amount paid in advance.
    public var prepaidAmount: ExactDecimal?
    /// BT-114: rounding amount.
    public var roundingAmount: ExactDecimal?
    /// The sum of third-party payments (XRechnung extension BG-DEX-09, Σ BT-DEX-002): amounts the seller collects
    /// for others, which the extension adds to the amount due.
    public var thirdPartyPaymentsTotal: ExactDecimal?
    /// BT-115: amount due for payment.
    public var payableAmount: ExactDecimal?

    /// Creates empty totals.
    public init() {}
}
