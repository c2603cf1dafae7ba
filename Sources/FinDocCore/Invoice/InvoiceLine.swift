/// One invoice line (BG-25): the item a finance team classifies into its chart of accounts.
///
/// Quantities and prices are `ExactDecimal`, kept with the decimals they were written with (often four or more).
/// Amounts keep the sign the document states; see `Invoice.signFactor` for amounts signed by their effect.
public struct InvoiceLine: Hashable, Sendable {
    /// BT-126: the line identifier, unique within the invoice.
    public var id: String
    /// The parent line's identifier, for sub-lines of the CII EXTENDED profile (BT-X-304) and XRechnung-extension
    /// UBL sub-invoice lines (`cac:SubInvoiceLine`); nil for top-level lines.
    public var parentLineID: String?
    /// The line's status in the CII EXTENDED profile (BT-X-7): `DETAIL`, `GROUP` (a subtotal of its sub-lines) or
    /// `INFORMATION`; nil when not given. For UBL sub-invoice lines it is derived from the nesting (`GROUP` for a
    /// line with sub-lines, `DETAIL` for a sub-line without).
    public var lineStatusCode: String?
    /// BT-127: a free-text note on the line.
    public var note: String?
    /// BT-128: an object identifier (with its scheme) the line refers to.
    public var objectID: String?
    /// BT-129: the invoiced quantity (negative on some corrective invoices).
    public var quantity: ExactDecimal?
    /// BT-130: the quantity's unit (UN/ECE Recommendation 20/21 code, e.g. `C62`, `HUR`, `KGM`).
    public var unitCode: String?
    /// BT-131: the line net amount (quantity × net price ÷ base quantity − allowances + charges).
    public var netAmount: ExactDecimal?
    /// BT-132: the referenced purchase-order line.
    public var orderLineReference: String?
    /// BT-133: the buyer's accounting reference for the line.
    public var accountingCost: String?
    /// BT-134: the line's invoicing period start.
    public var periodStart: LocalDate?
    /// BT-135: the line's invoicing period end.
    public var periodEnd: LocalDate?
    /// BG-27 / BG-28: line allowances and charges.
    public var allowancesCharges: [InvoiceAllowanceCharge] = []
    /// BT-146: the item net price (after the price discount), per `baseQuantity`.
    public var netPrice: ExactDecimal?
    /// BT-147: the item price discount.
    public var priceDiscount: ExactDecimal?
    /// BT-148: the item gross price.
    public var grossPrice: ExactDecimal?
    /// BT-149: the quantity the price applies to (1 when absent).
    public var baseQuantity: ExactDecimal?
    /// BT-150: the base quantity's unit.
    public var baseQuantityUnitCode: String?
    /// BT-151: the VAT category code of the item.
    public var vatCategory: String?
    /// BT-152: the VAT rate of the item in percent.
    public var vatRate: ExactDecimal?
    /// BT-153: the item name.
    public var name: String?
    /// BT-154: the item description.
    public var description: String?
    /// BT-155: the seller's item identifier.
    public var sellerItemID: String?
    /// BT-156: the buyer's item identifier.
    public var buyerItemID: String?
    /// BT-157: the item's standard identifier (e.g. a GTIN), with its scheme as `scheme:value` when one is given.
    public var standardItemID: String?
    /// BT-158: item classification codes, each as `listID:code` (e.g. `STI:73201100`, `CG:...`) or the bare code.
    public var classifications: [String] = []
    /// BT-159: the item's country of origin.
    public var originCountry: String?
    /// BG-32: item attributes (BT-160 name, BT-161 value).
    public var attributes: [InvoiceItemAttribute] = []
    /// Where the line is in the source: its XPath and line number.
    public var location: SourceLocation

    /// True for lines that are priced items: not a `GROUP` subtotal or an `INFORMATION` line.
    public var isDetail: Bool {
        lineStatusCode.map { $0.uppercased() != "GROUP" && $0.uppercased() != "INFORMATION" } ?? true
    }

    /// Creates a line with its identifier and location.
    public init(id: String, location: SourceLocation) {
        self.id = id
        self.location = location
    }
}

/// An item attribute (BG-32): a name and a value, e.g. `Colour` = `Red`.
public struct InvoiceItemAttribute: Hashable, Sendable {
    /// BT-160.
    public var name: String
    /// BT-161.
    public var value: String

    /// Creates an attribute.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
