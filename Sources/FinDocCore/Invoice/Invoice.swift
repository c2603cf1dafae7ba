/// An electronic invoice or credit note in the semantic model of EN 16931 (the European e-invoicing standard),
/// whatever syntax it arrived in (UBL 2.1 or UN/CEFACT CII). Property docs cite the business terms (BT-n) and groups
/// (BG-n) of EN 16931-1.
///
/// Signs: amounts are kept exactly as the document states them. A UBL `CreditNote` and a CII document of type 381
/// state positive amounts that mean money owed back to the buyer, while a corrective invoice (384) may state negative
/// amounts directly. A consumer that wants amounts signed by their effect (positive = the buyer owes the seller)
/// multiplies by `signFactor`, which is -1 for the credit-note type codes (81, 83, 381, 396, 532) and +1 otherwise.
public struct Invoice: Hashable, Sendable {
    /// The syntax the invoice was read from.
    public var syntax: InvoiceSyntax
    /// BT-1: the invoice number.
    public var number: String
    /// BT-2: the issue date.
    public var issueDate: LocalDate?
    /// BT-3: the UNTDID 1001 type code (380 commercial invoice, 381 credit note, 384 corrected invoice, 389
    /// self-billed, 326 partial, 875/876/877 partial construction invoices, ...).
    public var typeCode: String?
    /// BT-5: the invoice currency.
    public var currency: CurrencyCode?
    /// BT-6: the VAT accounting currency, when it differs.
    public var vatCurrency: CurrencyCode?
    /// BT-7: the tax point date.
    public var taxPointDate: LocalDate?
    /// BT-9: the payment due date.
    public var dueDate: LocalDate?
    /// BT-10: the buyer reference (in Germany the Leitweg-ID).
    public var buyerReference: String?
    /// BT-11: the project reference.
    public var projectReference: String?
    /// BT-12: the contract reference.
    public var contractReference: String?
    /// BT-13: the purchase order reference.
    public var orderReference: String?
    /// BT-14: the sales order reference.
    public var salesOrderReference: String?
    /// BT-19: the buyer's accounting reference.
    public var accountingCost: String?
    /// BT-20: payment terms, as text.
    public var paymentTerms: String?
    /// BT-22: invoice notes.
    public var notes: [String] = []
    /// BT-23: the business process (e.g. `urn:fdc:peppol.eu:2017:poacc:billing:01:1.0`).
    public var processID: String?
    /// BT-24: the specification identifier (CustomizationID / guideline), which names the profile (XRechnung,
    /// PEPPOL BIS 3, Factur-X MINIMUM ... EXTENDED).
    public var specificationID: String?
    /// BT-25: preceding invoice references (for credit notes and corrections).
    public var precedingInvoices: [String] = []
    /// BT-73 / BT-74: the invoicing period start.
    public var periodStart: LocalDate?
    /// BT-74: the invoicing period end.
    public var periodEnd: LocalDate?
    /// BG-4: the seller.
    public var seller = InvoiceParty()
    /// BG-7: the buyer.
    public var buyer = InvoiceParty()
    /// BG-10: the payee, when not the seller.
    public var payee: InvoiceParty?
    /// BT-90: the seller's bank-assigned creditor identifier (SEPA direct debit).
    public var creditorReferenceID: String?
    /// BG-16: payment instructions.
    public var paymentMeans: [InvoicePaymentMeans] = []
    /// BT-83: the remittance information (payment reference).
    public var remittanceInformation: String?
    /// BG-20 / BG-21: document-level allowances and charges.
    public var allowancesCharges: [InvoiceAllowanceCharge] = []
    /// BG-23: the VAT breakdown.
    public var vatBreakdown: [VATBreakdown] = []
    /// BG-22: the document totals.
    public var totals = InvoiceTotals()
    /// BG-25: the lines, in document order.
    public var lines: [InvoiceLine] = []
    /// Where the invoice's root element is.
    public var location: SourceLocation
    /// Where single-valued business terms were found, keyed by term (`BT-106`), so that findings can point at them.
    public var termLocations: [String: SourceLocation] = [:]

    /// Creates an invoice with its number and location; everything else is filled in by an ingestor.
    public init(syntax: InvoiceSyntax, number: String, location: SourceLocation) {
        self.syntax = syntax
        self.number = number
        self.location = location
    }

    /// UNTDID 1001 codes that EN 16931 treats as credit notes.
    public static let creditNoteTypeCodes: Set<String> = ["81", "83", "381", "396", "532"]

    /// True for a credit note: a UBL `CreditNote`, or a credit-note type code in either syntax.
    public var isCreditNote: Bool {
        syntax == .ublCreditNote || typeCode.map(Self.creditNoteTypeCodes.contains) == true
    }

    /// -1 for a credit note, +1 otherwise: multiply stated amounts by it to sign them by their effect (positive =
    /// the buyer owes the seller).
    public var signFactor: Int64 { isCreditNote ? -1 : 1 }
}

/// The syntax an invoice was written in.
public enum InvoiceSyntax: String, Hashable, Sendable, CaseIterable {
    /// UBL 2.1 `Invoice` (PEPPOL BIS Billing 3, XRechnung UBL).
    case ublInvoice = "ubl-invoice"
    /// UBL 2.1 `CreditNote`.
    case ublCreditNote = "ubl-creditnote"
    /// UN/CEFACT Cross-Industry Invoice D16B (Factur-X, ZUGFeRD 2.x, XRechnung CII).
    case cii
}
