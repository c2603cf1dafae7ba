/// A party of an invoice: the seller (BG-4), the buyer (BG-7) or the payee (BG-10), in EN 16931 terms.
public struct InvoiceParty: Hashable, Sendable {
    /// BT-27 seller name / BT-44 buyer name / BT-59 payee name.
    public var name: String?
    /// BT-28 seller trading name / BT-45 buyer trading name.
    public var tradingName: String?
    /// BT-29 seller identifiers / BT-46 buyer identifier / BT-60 payee identifier (e.g. a GLN), as written.
    public var identifiers: [String] = []
    /// BT-30 seller / BT-47 buyer / BT-61 payee legal registration identifier.
    public var legalID: String?
    /// BT-31 seller / BT-48 buyer VAT identifier (with its country prefix, e.g. `DE123456789`).
    public var vatID: String?
    /// BT-32 seller tax registration identifier (a national tax number, not the VAT id).
    public var taxRegistrationID: String?
    /// BT-34 seller / BT-49 buyer electronic address (e.g. a PEPPOL participant id or an e-mail).
    public var electronicAddress: String?
    /// BT-35 / BT-50 address line 1.
    public var addressLine1: String?
    /// BT-36 / BT-51 address line 2.
    public var addressLine2: String?
    /// BT-162 / BT-163 address line 3.
    public var addressLine3: String?
    /// BT-37 / BT-52 city.
    public var city: String?
    /// BT-38 / BT-53 post code.
    public var postcode: String?
    /// BT-39 / BT-54 country subdivision.
    public var subdivision: String?
    /// BT-40 / BT-55 ISO 3166-1 alpha-2 country code.
    public var country: String?
    /// BT-41 / BT-56 contact point (a person or department).
    public var contactName: String?
    /// BT-42 / BT-57 contact telephone.
    public var contactPhone: String?
    /// BT-43 / BT-58 contact e-mail.
    public var contactEmail: String?

    /// Creates a party; every field is optional because the syntaxes allow partial parties (the rules then report).
    public init(name: String? = nil) {
        self.name = name
    }
}
