/// A document-level allowance (BG-20) or charge (BG-21), or a line-level one (BG-27 / BG-28).
///
/// Amounts are positive as the standard requires; whether it reduces or increases the total is `isCharge`.
public struct InvoiceAllowanceCharge: Hashable, Sendable {
    /// False for an allowance (reduces the amount), true for a charge (increases it).
    public var isCharge: Bool
    /// BT-92 / BT-99 (document) or BT-136 / BT-141 (line): the amount, without VAT.
    public var amount: ExactDecimal?
    /// BT-93 / BT-100 / BT-137 / BT-142: the base amount a percentage applies to.
    public var baseAmount: ExactDecimal?
    /// BT-94 / BT-101 / BT-138 / BT-143: the percentage.
    public var percentage: ExactDecimal?
    /// BT-95 / BT-102: the VAT category code of a document-level allowance or charge (S, Z, E, AE, K, G, O, L, M).
    public var vatCategory: String?
    /// BT-96 / BT-103: its VAT rate in percent.
    public var vatRate: ExactDecimal?
    /// BT-97 / BT-104 / BT-139 / BT-144: the reason, as text.
    public var reason: String?
    /// BT-98 / BT-105 / BT-140 / BT-145: the reason code (UNTDID 5189 for allowances, 7161 for charges).
    public var reasonCode: String?
    /// Where it is in the source document.
    public var xpath: String?

    /// Creates an allowance (`isCharge` false) or charge.
    public init(isCharge: Bool) {
        self.isCharge = isCharge
    }

    /// The amount signed by its effect on the invoice total: negative for an allowance, positive for a charge.
    public var signedAmount: ExactDecimal? {
        amount.map { isCharge ? $0 : ExactDecimal(significand: -$0.significand, scale: $0.scale) }
    }
}
