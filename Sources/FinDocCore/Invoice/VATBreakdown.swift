/// One VAT breakdown group (BG-23): the taxable base and tax of one VAT category and rate.
public struct VATBreakdown: Hashable, Sendable {
    /// BT-116: the sum of line net amounts minus allowances plus charges of this category and rate.
    public var taxableAmount: ExactDecimal?
    /// BT-117: the VAT amount of this category.
    public var taxAmount: ExactDecimal?
    /// BT-118: the VAT category code (UNTDID 5305 subset: S, Z, E, AE, K, G, O, L, M).
    public var category: String?
    /// BT-119: the rate in percent.
    public var rate: ExactDecimal?
    /// BT-120: why the amount is exempt, as text.
    public var exemptionReason: String?
    /// BT-121: the exemption reason code (VATEX list).
    public var exemptionReasonCode: String?
    /// Where it is in the source document.
    public var xpath: String?

    /// Creates an empty group.
    public init() {}
}
