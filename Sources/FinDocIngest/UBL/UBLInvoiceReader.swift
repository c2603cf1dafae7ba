import FinDocCore
import FinDocXML

/// Maps a UBL 2.1 `Invoice` or `CreditNote` (PEPPOL BIS Billing 3, XRechnung UBL) onto the EN 16931 model.
///
/// The mapping follows the EN 16931-3-2 UBL binding. Choices where the binding leaves room:
/// - notes written `#ADU#text` (the XRechnung way of giving BT-21) keep only the text;
/// - of several `TaxTotal`s, the one whose `TaxAmount` is in the invoice currency gives BT-110 and the breakdown, the
///   one in the VAT accounting currency (BT-6) gives BT-111;
/// - a `PartyTaxScheme` with scheme `VAT` gives the VAT identifier, any other the tax registration identifier;
/// - sub-invoice lines (an XRechnung extension) are not read; only top-level lines are.
struct UBLInvoiceReader {
    var fields: InvoiceFieldReader

    init(path: String) {
        fields = InvoiceFieldReader(path: path)
    }

    mutating func read(_ root: XMLElement, creditNote: Bool) -> Invoice {
        let idElement = root.child("ID")
        var invoice = Invoice(
            syntax: creditNote ? .ublCreditNote : .ublInvoice, number: idElement?.text ?? "",
            location: fields.location(root))
        fields.note("BT-1", idElement)
        invoice.specificationID = root.text("CustomizationID")
        fields.note("BT-24", root.child("CustomizationID"))
        invoice.processID = root.text("ProfileID")
        invoice.issueDate = fields.date(root.child("IssueDate"), term: "BT-2 (IssueDate)")
        fields.note("BT-2", root.child("IssueDate"))
        let typeElement = root.child(creditNote ? "CreditNoteTypeCode" : "InvoiceTypeCode")
        invoice.typeCode = typeElement?.text
        fields.note("BT-3", typeElement)
        invoice.dueDate = fields.date(root.child("DueDate"), term: "BT-9 (DueDate)")
        invoice.taxPointDate = fields.date(root.child("TaxPointDate"), term: "BT-7 (TaxPointDate)")
        invoice.currency = fields.currency(root.child("DocumentCurrencyCode"), term: "BT-5 (DocumentCurrencyCode)")
        fields.note("BT-5", root.child("DocumentCurrencyCode"))
        invoice.vatCurrency = fields.currency(root.child("TaxCurrencyCode"), term: "BT-6 (TaxCurrencyCode)")
        invoice.accountingCost = root.text("AccountingCost")
        invoice.buyerReference = root.text("BuyerReference")
        for note in root.children("Note") {
            guard var text = note.text else { continue }
            // "#ADU#text": a subject code (BT-21) in front of the note text.
            if text.hasPrefix("#"), text.count > 5 {
                let afterHash = text.dropFirst()
                if let close = afterHash.firstIndex(of: "#"), afterHash.distance(from: afterHash.startIndex, to: close) == 3 {
                    text = String(afterHash[afterHash.index(after: close)...])
                }
            }
            invoice.notes.append(text)
        }
        if let period = root.child("InvoicePeriod") {
            invoice.periodStart = fields.date(period.child("StartDate"), term: "BT-73 (StartDate)")
            invoice.periodEnd = fields.date(period.child("EndDate"), term: "BT-74 (EndDate)")
        }
        invoice.orderReference = root.text("OrderReference", "ID")
        invoice.salesOrderReference = root.text("OrderReference", "SalesOrderID")
        invoice.contractReference = root.text("ContractDocumentReference", "ID")
        invoice.projectReference = root.text("ProjectReference", "ID")
        for reference in root.all("BillingReference", "InvoiceDocumentReference") {
            invoice.precedingInvoices.append(ifPresent: reference.text("ID"))
        }
        if let seller = root.first("AccountingSupplierParty", "Party") {
            invoice.seller = party(seller)
            invoice.creditorReferenceID = Self.sepaIdentifier(seller)
            fields.note("BG-4", seller)
        }
        if let buyer = root.first("AccountingCustomerParty", "Party") {
            invoice.buyer = party(buyer)
            fields.note("BG-7", buyer)
        }
        if let payee = root.child("PayeeParty") {
            var party = InvoiceParty(name: payee.text("PartyName", "Name"))
            for id in payee.children("PartyIdentification") where id.child("ID")?.attribute("schemeID") != "SEPA" {
                party.identifiers.append(ifPresent: id.text("ID"))
            }
            party.legalID = payee.text("PartyLegalEntity", "CompanyID")
            invoice.payee = party
            invoice.creditorReferenceID = Self.sepaIdentifier(payee) ?? invoice.creditorReferenceID
        }
        for means in root.children("PaymentMeans") {
            var item = InvoicePaymentMeans()
            item.typeCode = means.text("PaymentMeansCode")
            item.text = means.child("PaymentMeansCode")?.attribute("name")
            item.accountID = means.text("PayeeFinancialAccount", "ID")
            item.accountName = means.text("PayeeFinancialAccount", "Name")
            item.serviceProviderID = means.text("PayeeFinancialAccount", "FinancialInstitutionBranch", "ID")
            item.mandateReference = means.text("PaymentMandate", "ID")
            item.debitedAccountID = means.text("PaymentMandate", "PayerFinancialAccount", "ID")
            if invoice.remittanceInformation == nil { invoice.remittanceInformation = means.text("PaymentID") }
            invoice.paymentMeans.append(item)
        }
        let terms = root.all("PaymentTerms", "Note").compactMap(\.text)
        if !terms.isEmpty { invoice.paymentTerms = terms.joined(separator: "\n") }
        for element in root.children("AllowanceCharge") {
            invoice.allowancesCharges.append(allowanceCharge(element, documentLevel: true))
        }
        readTaxTotals(root, into: &invoice)
        // XRechnung extension: third-party payments (BG-DEX-09) are added to the amount due.
        let thirdParty = root.children("PrepaidPayment").map { fields.decimal($0.child("PaidAmount"), term: "BT-DEX-002 (PaidAmount)") }
        if !thirdParty.isEmpty {
            invoice.totals.thirdPartyPaymentsTotal = thirdParty.reduce(ExactDecimal.zero as ExactDecimal?) { total, value in
                guard let total, let value else { return nil }
                return ExactDecimal.sum(total, value)
            }
        }
        if let totals = root.child("LegalMonetaryTotal") {
            invoice.totals = readTotals(totals, existing: invoice.totals)
        }
        for element in root.children(creditNote ? "CreditNoteLine" : "InvoiceLine") {
            appendLine(element, parent: nil, creditNote: creditNote, to: &invoice.lines)
        }
        invoice.termLocations = fields.termLocations
        return invoice
    }

    private mutating func party(_ element: XMLElement) -> InvoiceParty {
        var party = InvoiceParty(name: element.text("PartyLegalEntity", "RegistrationName"))
        party.tradingName = element.text("PartyName", "Name")
        if party.name == nil {
            // PEPPOL requires RegistrationName; older UBL put the name in PartyName only.
            party.name = party.tradingName
        }
        // A SEPA-scheme identification is the creditor reference (BT-90), not a party identifier.
        for id in element.children("PartyIdentification") where id.child("ID")?.attribute("schemeID") != "SEPA" {
            party.identifiers.append(ifPresent: id.text("ID"))
        }
        party.legalID = element.text("PartyLegalEntity", "CompanyID")
        for scheme in element.children("PartyTaxScheme") {
            let id = scheme.text("CompanyID")
            if scheme.text("TaxScheme", "ID")?.uppercased() == "VAT" {
                party.vatID = party.vatID ?? id
            } else {
                party.taxRegistrationID = party.taxRegistrationID ?? id
            }
        }
        party.electronicAddress = element.text("EndpointID")
        if let address = element.child("PostalAddress") {
            party.addressLine1 = address.text("StreetName")
            party.addressLine2 = address.text("AdditionalStreetName")
            party.addressLine3 = address.text("AddressLine", "Line")
            party.city = address.text("CityName")
            party.postcode = address.text("PostalZone")
            party.subdivision = address.text("CountrySubentity")
            party.country = address.text("Country", "IdentificationCode")
        }
        if let contact = element.child("Contact") {
            party.contactName = contact.text("Name")
            party.contactPhone = contact.text("Telephone")
            party.contactEmail = contact.text("ElectronicMail")
        }
        return party
    }

    /// The SEPA creditor identifier (BT-90) among a party's identifications.
    private static func sepaIdentifier(_ party: XMLElement) -> String? {
        party.children("PartyIdentification").first { $0.child("ID")?.attribute("schemeID") == "SEPA" }?.text("ID")
    }

    private mutating func allowanceCharge(_ element: XMLElement, documentLevel: Bool) -> InvoiceAllowanceCharge {
        var item = InvoiceAllowanceCharge(isCharge: InvoiceFieldReader.bool(element.text("ChargeIndicator")) ?? false)
        let kind = item.isCharge ? "charge" : "allowance"
        item.amount = fields.decimal(element.child("Amount"), term: "\(kind) amount")
        item.baseAmount = fields.decimal(element.child("BaseAmount"), term: "\(kind) base amount")
        item.percentage = fields.decimal(element.child("MultiplierFactorNumeric"), term: "\(kind) percentage")
        item.reason = element.text("AllowanceChargeReason")
        item.reasonCode = element.text("AllowanceChargeReasonCode")
        if documentLevel, let category = element.child("TaxCategory") {
            item.vatCategory = category.text("ID")
            item.vatRate = fields.decimal(category.child("Percent"), term: "\(kind) VAT rate")
        }
        item.xpath = element.xpath
        return item
    }

    private mutating func readTaxTotals(_ root: XMLElement, into invoice: inout Invoice) {
        let documentCurrency = invoice.currency?.code
        for total in root.children("TaxTotal") {
            guard let amountElement = total.child("TaxAmount") else { continue }
            let currency = amountElement.attribute("currencyID").map { $0.uppercased() }
            let amount = fields.decimal(amountElement, term: "BT-110 (TaxAmount)")
            let inDocumentCurrency = currency == nil || currency == documentCurrency
            if inDocumentCurrency, invoice.totals.taxTotal == nil {
                invoice.totals.taxTotal = amount
                fields.note("BT-110", amountElement)
            } else if !inDocumentCurrency {
                invoice.totals.taxTotalInAccountingCurrency = amount
                continue
            }
            for subtotal in total.children("TaxSubtotal") {
                var group = VATBreakdown()
                group.taxableAmount = fields.decimal(subtotal.child("TaxableAmount"), term: "BT-116 (TaxableAmount)")
                group.taxAmount = fields.decimal(subtotal.child("TaxAmount"), term: "BT-117 (TaxAmount)")
                if let category = subtotal.child("TaxCategory") {
                    group.category = category.text("ID")
                    group.rate = fields.decimal(category.child("Percent"), term: "BT-119 (Percent)")
                    group.exemptionReasonCode = category.text("TaxExemptionReasonCode")
                    group.exemptionReason = category.text("TaxExemptionReason")
                }
                group.xpath = subtotal.xpath
                invoice.vatBreakdown.append(group)
            }
        }
    }

    private mutating func readTotals(_ element: XMLElement, existing: InvoiceTotals) -> InvoiceTotals {
        var totals = existing
        func read(_ name: String, _ term: String) -> ExactDecimal? {
            let child = element.child(name)
            fields.note(term, child)
            return fields.decimal(child, term: "\(term) (\(name))")
        }
        totals.thirdPartyPaymentsTotal = existing.thirdPartyPaymentsTotal
        totals.lineNetTotal = read("LineExtensionAmount", "BT-106")
        totals.allowanceTotal = read("AllowanceTotalAmount", "BT-107")
        totals.chargeTotal = read("ChargeTotalAmount", "BT-108")
        totals.taxExclusiveTotal = read("TaxExclusiveAmount", "BT-109")
        totals.taxInclusiveTotal = read("TaxInclusiveAmount", "BT-112")
        totals.prepaidAmount = read("PrepaidAmount", "BT-113")
        totals.roundingAmount = read("PayableRoundingAmount", "BT-114")
        totals.payableAmount = read("PayableAmount", "BT-115")
        fields.note("BG-22", element)
        return totals
    }

    /// Appends a line and then, depth first, its XRechnung-extension sub-lines (`cac:SubInvoiceLine`, in a credit
    /// note `cac:SubCreditNoteLine`, which nest): each sub-line is stored as a line whose `parentLineID` is its
    /// parent's BT-126, as the CII EXTENDED profile writes `ram:ParentLineID`. A line with sub-lines is a subtotal
    /// of them, so it gets status `GROUP` and a sub-line without sub-lines `DETAIL` (the CII profile's codes, here
    /// derived from the nesting): sums and spend reports then count every amount once.
    private mutating func appendLine(
        _ element: XMLElement, parent: String?, creditNote: Bool, to lines: inout [InvoiceLine]
    ) {
        var line = line(element, creditNote: creditNote)
        line.parentLineID = parent
        let subLines = element.children(creditNote ? "SubCreditNoteLine" : "SubInvoiceLine")
        if !subLines.isEmpty {
            line.lineStatusCode = "GROUP"
        } else if parent != nil {
            line.lineStatusCode = "DETAIL"
        }
        let id = line.id
        lines.append(line)
        for subLine in subLines { appendLine(subLine, parent: id, creditNote: creditNote, to: &lines) }
    }

    private mutating func line(_ element: XMLElement, creditNote: Bool) -> InvoiceLine {
        var line = InvoiceLine(id: element.text("ID") ?? "", location: fields.location(element))
        line.note = element.children("Note").compactMap(\.text).first
        let quantity = element.child(creditNote ? "CreditedQuantity" : "InvoicedQuantity")
        line.quantity = fields.decimal(quantity, term: "BT-129 (quantity)")
        line.unitCode = quantity?.attribute("unitCode")
        line.netAmount = fields.decimal(element.child("LineExtensionAmount"), term: "BT-131 (LineExtensionAmount)")
        line.accountingCost = element.text("AccountingCost")
        line.orderLineReference = element.text("OrderLineReference", "LineID")
        for reference in element.children("DocumentReference") where line.objectID == nil {
            line.objectID = reference.text("ID")
        }
        if let period = element.child("InvoicePeriod") {
            line.periodStart = fields.date(period.child("StartDate"), term: "BT-134 (StartDate)")
            line.periodEnd = fields.date(period.child("EndDate"), term: "BT-135 (EndDate)")
        }
        for charge in element.children("AllowanceCharge") {
            line.allowancesCharges.append(allowanceCharge(charge, documentLevel: false))
        }
        if let item = element.child("Item") {
            line.name = item.text("Name")
            line.description = item.text("Description")
            line.sellerItemID = item.text("SellersItemIdentification", "ID")
            line.buyerItemID = item.text("BuyersItemIdentification", "ID")
            if let standard = item.first("StandardItemIdentification", "ID"), let value = standard.text {
                line.standardItemID = standard.attribute("schemeID").map { "\($0):\(value)" } ?? value
            }
            for classification in item.all("CommodityClassification", "ItemClassificationCode") {
                guard let code = classification.text else { continue }
                line.classifications.append(classification.attribute("listID").map { "\($0):\(code)" } ?? code)
            }
            line.originCountry = item.text("OriginCountry", "IdentificationCode")
            if let category = item.child("ClassifiedTaxCategory") {
                line.vatCategory = category.text("ID")
                line.vatRate = fields.decimal(category.child("Percent"), term: "BT-152 (Percent)")
            }
            for property in item.children("AdditionalItemProperty") {
                if let name = property.text("Name"), let value = property.text("Value") {
                    line.attributes.append(InvoiceItemAttribute(name: name, value: value))
                }
            }
        }
        if let price = element.child("Price") {
            line.netPrice = fields.decimal(price.child("PriceAmount"), term: "BT-146 (PriceAmount)")
            if let base = price.child("BaseQuantity") {
                line.baseQuantity = fields.decimal(base, term: "BT-149 (BaseQuantity)")
                line.baseQuantityUnitCode = base.attribute("unitCode")
            }
            if let discount = price.child("AllowanceCharge") {
                line.priceDiscount = fields.decimal(discount.child("Amount"), term: "BT-147 (price discount)")
                line.grossPrice = fields.decimal(discount.child("BaseAmount"), term: "BT-148 (gross price)")
            }
        }
        return line
    }
}
