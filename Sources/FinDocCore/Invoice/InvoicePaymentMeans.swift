/// How the buyer is asked to pay (BG-16), with the account to pay to (BG-17) or direct-debit details (BG-19).
public struct InvoicePaymentMeans: Hashable, Sendable {
    /// BT-81: UNTDID 4461 code (30 credit transfer, 58 SEPA credit transfer, 59 SEPA direct debit, 48 card, ...).
    public var typeCode: String?
    /// BT-82: the payment means as text.
    public var text: String?
    /// BT-84: the payment account (an IBAN for SEPA).
    public var accountID: String?
    /// BT-85: the account's name.
    public var accountName: String?
    /// BT-86: the payment service provider (BIC).
    public var serviceProviderID: String?
    /// BT-89: the direct-debit mandate reference.
    public var mandateReference: String?
    /// BT-91: the debited account (direct debit).
    public var debitedAccountID: String?

    /// Creates empty payment means.
    public init() {}
}
