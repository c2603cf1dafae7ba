import FinDocCore
import FinDocXML

/// Maps a UN/CEFACT Cross-Industry Invoice (D16B as profiled by Factur-X MINIMUM … EXTENDED, ZUGFeRD 2.x and
/// XRechnung CII) onto the EN 16931 model, following the EN 16931-3-3 CII binding.
///
/// Choices where the binding leaves room:
/// - of several `TaxTotalAmount`s, the one in the invoice currency is BT-110, one in another currency BT-111;
/// - `SpecifiedTaxRegistration/ID` with scheme `VA` is the VAT identifier, `FC` the tax registration identifier;
/// - several payment-terms descriptions are joined with a line break;
/// - sub-lines of the EXTENDED profile are read as lines, as they appear, with their `ParentLineID` and status;
/// - EXTENDED logistics service charges are read as document-level charges.
struct CIIInvoiceReader {
    var fields: InvoiceFieldReader

    init(path: String) {
        fields = InvoiceFieldReader(path: path)
    }

    mutating func read(_ root: XMLElement) -> Invoice {
        let header = root.child("ExchangedDocument")
        let idElement = header?.child("ID")
        var invoice = Invoice(syntax: .cii, number: idElement?.text ?? "", location: fields.location(root))
        fields.note("BT-1", idElement)
        if let context = root.child("ExchangedDocumentContext") {
            invoice.processID = context.text("BusinessProcessSpecifiedDocumentContextParameter", "ID")
            let guideline = context.first("GuidelineSpecifiedDocumentContextParameter", "ID")
            invoice.specificationID = guideline?.text
            fields.note("BT-24", guideline)
        }
        if let header {
            let typeElement = header.child("TypeCode")
            invoice.typeCode = typeElement?.text
            fields.note("BT-3", typeElement)
            let issue = header.first("IssueDateTime", "DateTimeString")
            invoice.issueDate = fields.date(issue, term: "BT-2 (IssueDateTime)")
            fields.note("BT-2", issue)
            for note in header.children("IncludedNote") { invoice.notes.append(ifPresent: note.text("Content")) }
        }
        guard let transaction = root.child("SupplyChainTradeTransaction") else {
            invoice.termLocations = fields.termLocations
            return invoice
        }
        if let agreement = transaction.child("ApplicableHeaderTradeAgreement") {
            invoice.buyerReference = agreement.text("BuyerReference")
            if let seller = agreement.child("SellerTradeParty") {
                invoice.seller = party(seller)
                fields.note("BG-4", seller)
            }
            if let buyer = agreement.child("BuyerTradeParty") {
                invoice.buyer = party(buyer)
                fields.note("BG-7", buyer)
            }
            invoice.salesOrderReference = agreement.text("SellerOrderReferencedDocument", "IssuerAssignedID")
            invoice.orderReference = agreement.text("BuyerOrderReferencedDocument", "IssuerAssignedID")
            invoice.contractReference = agreement.text("ContractReferencedDocument", "IssuerAssignedID")
            invoice.projectReference = agreement.text("SpecifiedProcuringProject", "ID")
        }
        if let settlement = transaction.child("ApplicableHeaderTradeSettlement") {
            readSettlement(settlement, into: &invoice)
        }
        for element in transaction.children("IncludedSupplyChainTradeLineItem") {
            invoice.lines.append(line(element))
        }
        invoice.termLocations = fields.termLocations
        return invoice
    }

    private mutating func readSettlement(_ settlement: XMLElement, into invoice: inout Invoice) {
        invoice.remittanceInformation = settlement.text("PaymentReference")
        invoice.creditorReferenceID = settlement.text("CreditorReferenceID")
        invoice.currency = fields.currency(settlement.child("InvoiceCurrencyCode"), term: "BT-5 (InvoiceCurrencyCode)")
        fields.note("BT-5", settlement.child("InvoiceCurrencyCode"))
        invoice.vatCurrency = fields.currency(settlement.child("TaxCurrencyCode"), term: "BT-6 (TaxCurrencyCode)")
        if let payee = settlement.child("PayeeTradeParty") {
            var party = InvoiceParty(name: payee.text("Name"))
            for id in payee.children("ID") + payee.children("GlobalID") { party.identifiers.append(ifPresent: id.text) }
            party.legalID = payee.text("SpecifiedLegalOrganization", "ID")
            invoice.payee = party
        }
        for means in settlement.children("SpecifiedTradeSettlementPaymentMeans") {
            var item = InvoicePaymentMeans()
            item.typeCode = means.text("TypeCode")
            item.text = means.text("Information")
            item.accountID =
                means.text("PayeePartyCreditorFinancialAccount", "IBANID")
                ?? means.text("PayeePartyCreditorFinancialAccount", "ProprietaryID")
            item.accountName = means.text("PayeePartyCreditorFinancialAccount", "AccountName")
            item.serviceProviderID = means.text("PayeeSpecifiedCreditorFinancialInstitution", "BICID")
            item.debitedAccountID = means.text("PayerPartyDebtorFinancialAccount", "IBANID")
            invoice.paymentMeans.append(item)
        }
        for tax in settlement.children("ApplicableTradeTax") {
            var group = VATBreakdown()
            group.taxAmount = fields.decimal(tax.child("CalculatedAmount"), term: "BT-117 (CalculatedAmount)")
            group.taxableAmount = fields.decimal(tax.child("BasisAmount"), term: "BT-116 (BasisAmount)")
            group.category = tax.text("CategoryCode")
            group.rate = fields.decimal(tax.child("RateApplicablePercent"), term: "BT-119 (RateApplicablePercent)")
            group.exemptionReason = tax.text("ExemptionReason")
            group.exemptionReasonCode = tax.text("ExemptionReasonCode")
            group.xpath = tax.xpath
            invoice.vatBreakdown.append(group)
            if invoice.taxPointDate == nil {
                invoice.taxPointDate = fields.date(tax.first("TaxPointDate", "DateString"), term: "BT-7 (TaxPointDate)")
            }
        }
        if let period = settlement.child("BillingSpecifiedPeriod") {
            invoice.periodStart = fields.date(
                period.first("StartDateTime", "DateTimeString"), term: "BT-73 (StartDateTime)")
            invoice.periodEnd = fields.date(period.first("EndDateTime", "DateTimeString"), term: "BT-74 (EndDateTime)")
        }
        for element in settlement.children("SpecifiedTradeAllowanceCharge") {
            invoice.allowancesCharges.append(allowanceCharge(element, documentLevel: true))
        }
        // EXTENDED logistics service charges (freight, packing) count in BT-108 like document-level charges.
        for element in settlement.children("SpecifiedLogisticsServiceCharge") {
            var charge = InvoiceAllowanceCharge(isCharge: true)
            charge.amount = fields.decimal(element.child("AppliedAmount"), term: "logistics charge amount")
            charge.reason = element.text("Description")
            charge.vatCategory = element.text("AppliedTradeTax", "CategoryCode")
            charge.vatRate = fields.decimal(
                element.first("AppliedTradeTax", "RateApplicablePercent"), term: "logistics charge VAT rate")
            charge.xpath = element.xpath
            invoice.allowancesCharges.append(charge)
        }
        var termsText: [String] = []
        for terms in settlement.children("SpecifiedTradePaymentTerms") {
            termsText.append(ifPresent: terms.text("Description"))
            if invoice.dueDate == nil {
                invoice.dueDate = fields.date(
                    terms.first("DueDateDateTime", "DateTimeString"), term: "BT-9 (DueDateDateTime)")
            }
            if let mandate = terms.text("DirectDebitMandateID") {
                for index in invoice.paymentMeans.indices where invoice.paymentMeans[index].mandateReference == nil {
                    invoice.paymentMeans[index].mandateReference = mandate
                }
            }
        }
        if !termsText.isEmpty { invoice.paymentTerms = termsText.joined(separator: "\n") }
        for reference in settlement.children("InvoiceReferencedDocument") {
            invoice.precedingInvoices.append(ifPresent: reference.text("IssuerAssignedID"))
        }
        invoice.accountingCost = settlement.text("ReceivableSpecifiedTradeAccountingAccount", "ID")
        if let summation = settlement.child("SpecifiedTradeSettlementHeaderMonetarySummation") {
            fields.note("BG-22", summation)
            func read(_ name: String, _ term: String) -> ExactDecimal? {
                let child = summation.child(name)
                fields.note(term, child)
                return fields.decimal(child, term: "\(term) (\(name))")
            }
            invoice.totals.lineNetTotal = read("LineTotalAmount", "BT-106")
            invoice.totals.chargeTotal = read("ChargeTotalAmount", "BT-108")
            invoice.totals.allowanceTotal = read("AllowanceTotalAmount", "BT-107")
            invoice.totals.taxExclusiveTotal = read("TaxBasisTotalAmount", "BT-109")
            for taxTotal in summation.children("TaxTotalAmount") {
                let currency = taxTotal.attribute("currencyID").map { $0.uppercased() }
                let amount = fields.decimal(taxTotal, term: "BT-110 (TaxTotalAmount)")
                if currency == nil || currency == invoice.currency?.code, invoice.totals.taxTotal == nil {
                    invoice.totals.taxTotal = amount
                    fields.note("BT-110", taxTotal)
                } else {
                    invoice.totals.taxTotalInAccountingCurrency = amount
                }
            }
            invoice.totals.roundingAmount = read("RoundingAmount", "BT-114")
            invoice.totals.taxInclusiveTotal = read("GrandTotalAmount", "BT-112")
            invoice.totals.prepaidAmount = read("TotalPrepaidAmount", "BT-113")
            invoice.totals.payableAmount = read("DuePayableAmount", "BT-115")
        }
    }

    private mutating func party(_ element: XMLElement) -> InvoiceParty {
        var party = InvoiceParty(name: element.text("Name"))
        for id in element.children("ID") + element.children("GlobalID") { party.identifiers.append(ifPresent: id.text) }
        if let legal = element.child("SpecifiedLegalOrganization") {
            party.legalID = legal.text("ID")
            party.tradingName = legal.text("TradingBusinessName")
        }
        for registration in element.children("SpecifiedTaxRegistration") {
            guard let id = registration.child("ID") else { continue }
            if id.attribute("schemeID")?.uppercased() == "VA" {
                party.vatID = party.vatID ?? id.text
            } else {
                party.taxRegistrationID = party.taxRegistrationID ?? id.text
            }
        }
        party.electronicAddress = element.text("URIUniversalCommunication", "URIID")
        if let address = element.child("PostalTradeAddress") {
            party.addressLine1 = address.text("LineOne")
            party.addressLine2 = address.text("LineTwo")
            party.addressLine3 = address.text("LineThree")
            party.city = address.text("CityName")
            party.postcode = address.text("PostcodeCode")
            party.subdivision = address.text("CountrySubDivisionName")
            party.country = address.text("CountryID")
        }
        if let contact = element.child("DefinedTradeContact") {
            party.contactName = contact.text("PersonName") ?? contact.text("DepartmentName")
            party.contactPhone = contact.text("TelephoneUniversalCommunication", "CompleteNumber")
            party.contactEmail = contact.text("EmailURIUniversalCommunication", "URIID")
        }
        return party
    }

    private mutating func allowanceCharge(_ element: XMLElement, documentLevel: Bool) -> InvoiceAllowanceCharge {
        let indicator = element.first("ChargeIndicator", "Indicator")?.text ?? element.text("ChargeIndicator")
        var item = InvoiceAllowanceCharge(isCharge: InvoiceFieldReader.bool(indicator) ?? false)
        let kind = item.isCharge ? "charge" : "allowance"
        item.amount = fields.decimal(element.child("ActualAmount"), term: "\(kind) amount")
        item.baseAmount = fields.decimal(element.child("BasisAmount"), term: "\(kind) base amount")
        item.percentage = fields.decimal(element.child("CalculationPercent"), term: "\(kind) percentage")
        item.reason = element.text("Reason")
        item.reasonCode = element.text("ReasonCode")
        if documentLevel, let tax = element.child("CategoryTradeTax") {
            item.vatCategory = tax.text("CategoryCode")
            item.vatRate = fields.decimal(tax.child("RateApplicablePercent"), term: "\(kind) VAT rate")
        }
        item.xpath = element.xpath
        return item
    }

    private mutating func line(_ element: XMLElement) -> InvoiceLine {
        let document = element.child("AssociatedDocumentLineDocument")
        var line = InvoiceLine(id: document?.text("LineID") ?? "", location: fields.location(element))
        line.note = document?.children("IncludedNote").compactMap { $0.text("Content") }.first
        line.parentLineID = document?.text("ParentLineID")
        line.lineStatusCode = document?.text("LineStatusReasonCode")
        if let product = element.child("SpecifiedTradeProduct") {
            line.name = product.text("Name")
            line.description = product.text("Description")
            line.sellerItemID = product.text("SellerAssignedID")
            line.buyerItemID = product.text("BuyerAssignedID")
            if let global = product.child("GlobalID"), let value = global.text {
                line.standardItemID = global.attribute("schemeID").map { "\($0):\(value)" } ?? value
            }
            for classification in product.all("DesignatedProductClassification", "ClassCode") {
                guard let code = classification.text else { continue }
                line.classifications.append(classification.attribute("listID").map { "\($0):\(code)" } ?? code)
            }
            line.originCountry = product.text("OriginTradeCountry", "ID")
            for characteristic in product.children("ApplicableProductCharacteristic") {
                if let name = characteristic.text("Description"), let value = characteristic.text("Value") {
                    line.attributes.append(InvoiceItemAttribute(name: name, value: value))
                }
            }
        }
        if let agreement = element.child("SpecifiedLineTradeAgreement") {
            line.orderLineReference = agreement.text("BuyerOrderReferencedDocument", "LineID")
            if let gross = agreement.child("GrossPriceProductTradePrice") {
                line.grossPrice = fields.decimal(gross.child("ChargeAmount"), term: "BT-148 (gross price)")
                if let discount = gross.child("AppliedTradeAllowanceCharge") {
                    line.priceDiscount = fields.decimal(discount.child("ActualAmount"), term: "BT-147 (price discount)")
                }
            }
            if let net = agreement.child("NetPriceProductTradePrice") {
                line.netPrice = fields.decimal(net.child("ChargeAmount"), term: "BT-146 (net price)")
                // BT-149 may be given on the net or on the gross price.
                if let base = net.child("BasisQuantity") ?? agreement.first("GrossPriceProductTradePrice", "BasisQuantity") {
                    line.baseQuantity = fields.decimal(base, term: "BT-149 (BasisQuantity)")
                    line.baseQuantityUnitCode = base.attribute("unitCode")
                }
            }
        }
        if let quantity = element.first("SpecifiedLineTradeDelivery", "BilledQuantity") {
            line.quantity = fields.decimal(quantity, term: "BT-129 (BilledQuantity)")
            line.unitCode = quantity.attribute("unitCode")
        }
        if let settlement = element.child("SpecifiedLineTradeSettlement") {
            if let tax = settlement.child("ApplicableTradeTax") {
                line.vatCategory = tax.text("CategoryCode")
                line.vatRate = fields.decimal(tax.child("RateApplicablePercent"), term: "BT-152 (RateApplicablePercent)")
            }
            if let period = settlement.child("BillingSpecifiedPeriod") {
                line.periodStart = fields.date(
                    period.first("StartDateTime", "DateTimeString"), term: "BT-134 (StartDateTime)")
                line.periodEnd = fields.date(period.first("EndDateTime", "DateTimeString"), term: "BT-135 (EndDateTime)")
            }
            for charge in settlement.children("SpecifiedTradeAllowanceCharge") {
                line.allowancesCharges.append(allowanceCharge(charge, documentLevel: false))
            }
            line.netAmount = fields.decimal(
                settlement.first("SpecifiedTradeSettlementLineMonetarySummation", "LineTotalAmount"),
                term: "BT-131 (LineTotalAmount)")
            line.accountingCost = settlement.text("ReceivableSpecifiedTradeAccountingAccount", "ID")
            for reference in settlement.children("AdditionalReferencedDocument") where line.objectID == nil {
                line.objectID = reference.text("IssuerAssignedID")
            }
        }
        return line
    }
}
