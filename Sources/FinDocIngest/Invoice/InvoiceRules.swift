import FinDocCore

/// The EN 16931 business rules findoc checks natively: the mandatory-field rules it needs (BR-01 … BR-27), the
/// document calculation rules (BR-CO-10 … BR-CO-16), the decimal rules for totals and line amounts (BR-DEC-*), and a
/// line net amount check.
///
/// Each finding is a `Diagnostic` whose code is the rule id and whose location carries the XPath of the element
/// concerned (or of its parent when the element is missing). The rules compare exact decimals: the calculation
/// rules demand equality, as the standard's own Schematron does. The line check (`findoc.line-net`, a warning: the
/// standard states the formula but leaves rounding to the seller) allows one cent either way after rounding
/// quantity × net price ÷ base quantity − allowances + charges to two decimals.
///
/// Reduced profiles (Factur-X / ZUGFeRD MINIMUM and BASIC WL) carry no lines and no addresses by design; the rules
/// about those are skipped for them.
public enum InvoiceRules {
    /// The line net tolerance, in hundredths: one cent.
    public static let lineNetToleranceCents: Int64 = 1

    /// True for the Factur-X / ZUGFeRD MINIMUM and BASIC WL profiles (no lines).
    public static func isReducedProfile(_ specificationID: String?) -> Bool {
        // A byte search: `String.contains` went through Foundation's `range(of:)` here, about 18,000 instructions a
        // call (callgrind, 500 UBL invoices), for a check made on every invoice.
        guard let id = specificationID else { return false }
        let bytes = Array(id.utf8)
        return ByteSearch.contains(bytes, ":minimum", foldingCase: true)
            || ByteSearch.contains(bytes, ":basicwl", foldingCase: true)
    }

    /// Checks `invoice` and returns the findings, in rule order.
    public static func check(_ invoice: Invoice, path: String) -> [Diagnostic] {
        var findings = Findings(invoice: invoice, path: path)
        let reduced = isReducedProfile(invoice.specificationID)
        findings.mandatory(reduced: reduced)
        findings.decimals()
        findings.calculations(reduced: reduced)
        if !reduced { findings.lineNetAmounts() }
        return findings.items
    }
}

/// The findings of one check run.
private struct Findings {
    let invoice: Invoice
    let path: String
    var items: [Diagnostic] = []

    init(invoice: Invoice, path: String) {
        self.invoice = invoice
        self.path = path
    }

    /// Where a term is, else where its group is, else the root.
    func location(_ terms: String...) -> SourceLocation {
        for term in terms { if let location = invoice.termLocations[term] { return location } }
        return invoice.location
    }

    mutating func add(
        _ rule: String, _ message: String, at location: SourceLocation, severity: Diagnostic.Severity = .error
    ) {
        items.append(Diagnostic(severity, code: rule, message: message, location: location))
    }

    mutating func mandatory(reduced: Bool) {
        let t = invoice.totals
        if invoice.specificationID == nil { add("BR-01", "the specification identifier (BT-24) is missing", at: location()) }
        if invoice.number.isEmpty { add("BR-02", "the invoice number (BT-1) is missing", at: location("BT-1")) }
        if invoice.issueDate == nil { add("BR-03", "the issue date (BT-2) is missing or unreadable", at: location("BT-2")) }
        if invoice.typeCode == nil { add("BR-04", "the invoice type code (BT-3) is missing", at: location("BT-3")) }
        if invoice.currency == nil { add("BR-05", "the invoice currency (BT-5) is missing", at: location("BT-5")) }
        if invoice.seller.name == nil { add("BR-06", "the seller name (BT-27) is missing", at: location("BG-4")) }
        if invoice.buyer.name == nil { add("BR-07", "the buyer name (BT-44) is missing", at: location("BG-7")) }
        if invoice.seller.country == nil {
            add("BR-09", "the seller country code (BT-40) is missing", at: location("BG-4"))
        }
        if !reduced, invoice.buyer.country == nil, invoice.buyer.city != nil || invoice.buyer.postcode != nil {
            add("BR-11", "the buyer address has no country code (BT-55)", at: location("BG-7"))
        }
        if !reduced, t.lineNetTotal == nil {
            add("BR-12", "the sum of line net amounts (BT-106) is missing", at: location("BG-22"))
        }
        if t.taxExclusiveTotal == nil {
            add("BR-13", "the total without VAT (BT-109) is missing", at: location("BG-22"))
        }
        if t.taxInclusiveTotal == nil {
            add("BR-14", "the total with VAT (BT-112) is missing", at: location("BG-22"))
        }
        if t.payableAmount == nil { add("BR-15", "the amount due (BT-115) is missing", at: location("BG-22")) }
        guard !reduced else { return }
        if invoice.lines.isEmpty { add("BR-16", "the invoice has no lines (BG-25)", at: location()) }
        for line in invoice.lines {
            let at = line.location
            // CII (EXTENDED) lines are flat and the rules hold for DETAIL ones; in UBL they hold for every
            // cac:InvoiceLine/cac:CreditNoteLine, and an XRechnung-extension cac:SubInvoiceLine is outside them (the
            // EN 16931 schematron's context), though findoc marks its parents GROUP.
            let detail = invoice.syntax == .cii ? line.isDetail : line.parentLineID == nil
            let name = line.id.isEmpty ? "a line" : "line \(line.id)"
            if line.id.isEmpty { add("BR-21", "a line has no identifier (BT-126)", at: at) }
            if detail, line.quantity == nil { add("BR-22", "\(name) has no invoiced quantity (BT-129)", at: at) }
            if detail, line.unitCode == nil { add("BR-23", "\(name) has no unit of measure (BT-130)", at: at) }
            if line.netAmount == nil { add("BR-24", "\(name) has no net amount (BT-131)", at: at) }
            if line.name == nil { add("BR-25", "\(name) has no item name (BT-153)", at: at) }
            if detail, line.netPrice == nil { add("BR-26", "\(name) has no item net price (BT-146)", at: at) }
            if let price = line.netPrice, price.isNegative {
                add("BR-27", "\(name) has a negative item net price (BT-146) \(price)", at: at)
            }
        }
    }

    /// BR-DEC: amounts of the totals, the VAT breakdown and the lines have at most two decimals as written.
    mutating func decimals() {
        let t = invoice.totals
        let totals: [(String, String, ExactDecimal?)] = [
            ("BR-DEC-09", "BT-106", t.lineNetTotal), ("BR-DEC-10", "BT-107", t.allowanceTotal),
            ("BR-DEC-11", "BT-108", t.chargeTotal), ("BR-DEC-12", "BT-109", t.taxExclusiveTotal),
            ("BR-DEC-13", "BT-110", t.taxTotal), ("BR-DEC-14", "BT-112", t.taxInclusiveTotal),
            ("BR-DEC-16", "BT-113", t.prepaidAmount), ("BR-DEC-17", "BT-114", t.roundingAmount),
            ("BR-DEC-18", "BT-115", t.payableAmount),
        ]
        for (rule, term, value) in totals {
            if let value, value.scale > 2 {
                add(rule, "\(term) has more than two decimals: \(value)", at: location(term, "BG-22"))
            }
        }
        for group in invoice.vatBreakdown {
            let at = SourceLocation(file: path, xpath: group.xpath)
            if let value = group.taxableAmount, value.scale > 2 {
                add("BR-DEC-19", "the VAT category taxable amount (BT-116) has more than two decimals: \(value)", at: at)
            }
            if let value = group.taxAmount, value.scale > 2 {
                add("BR-DEC-20", "the VAT category tax amount (BT-117) has more than two decimals: \(value)", at: at)
            }
        }
        for line in invoice.lines {
            if let value = line.netAmount, value.scale > 2 {
                add(
                    "BR-DEC-23", "the net amount (BT-131) of line \(line.id) has more than two decimals: \(value)",
                    at: line.location)
            }
        }
    }

    /// The sum of `values`, nil if any is missing or on overflow.
    static func sum(_ values: [ExactDecimal?]) -> ExactDecimal? {
        var total = ExactDecimal.zero
        for value in values {
            guard let value, let next = ExactDecimal.sum(total, value) else { return nil }
            total = next
        }
        return total
    }

    mutating func mismatch(_ rule: String, _ what: String, stated: ExactDecimal, expected: ExactDecimal, at: SourceLocation) {
        guard !stated.isEqualInValue(to: expected) else { return }
        add(rule, "\(what): stated \(stated), calculated \(expected)", at: at)
    }

    mutating func calculations(reduced: Bool) {
        let t = invoice.totals
        let zero = ExactDecimal.zero
        // Sub-lines (EXTENDED) are already inside their GROUP line's amount; INFORMATION lines carry none.
        let counted = invoice.lines.filter {
            $0.parentLineID == nil && $0.lineStatusCode?.uppercased() != "INFORMATION"
        }
        if !reduced, let stated = t.lineNetTotal, !counted.isEmpty, let sum = Self.sum(counted.map(\.netAmount))
        {
            mismatch(
                "BR-CO-10", "the sum of line net amounts (BT-106) is not the sum of the lines' net amounts (BT-131)",
                stated: stated, expected: sum, at: location("BT-106", "BG-22"))
        }
        let allowances = invoice.allowancesCharges.filter { !$0.isCharge }
        let charges = invoice.allowancesCharges.filter(\.isCharge)
        if !allowances.isEmpty || t.allowanceTotal != nil, let sum = Self.sum(allowances.map(\.amount)) {
            mismatch(
                "BR-CO-11", "the sum of allowances (BT-107) is not the sum of the document-level allowances (BT-92)",
                stated: t.allowanceTotal ?? zero, expected: sum, at: location("BT-107", "BG-22"))
        }
        if !charges.isEmpty || t.chargeTotal != nil, let sum = Self.sum(charges.map(\.amount)) {
            mismatch(
                "BR-CO-12", "the sum of charges (BT-108) is not the sum of the document-level charges (BT-99)",
                stated: t.chargeTotal ?? zero, expected: sum, at: location("BT-108", "BG-22"))
        }
        if let stated = t.taxExclusiveTotal, let lines = t.lineNetTotal,
            let net = ExactDecimal.difference(lines, t.allowanceTotal ?? zero),
            let expected = ExactDecimal.sum(net, t.chargeTotal ?? zero)
        {
            mismatch(
                "BR-CO-13", "the total without VAT (BT-109) is not BT-106 − BT-107 + BT-108", stated: stated,
                expected: expected, at: location("BT-109", "BG-22"))
        }
        if let stated = t.taxTotal, !invoice.vatBreakdown.isEmpty,
            let sum = Self.sum(invoice.vatBreakdown.map(\.taxAmount))
        {
            mismatch(
                "BR-CO-14", "the total VAT (BT-110) is not the sum of the VAT breakdown's tax amounts (BT-117)",
                stated: stated, expected: sum, at: location("BT-110", "BG-22"))
        }
        if let stated = t.taxInclusiveTotal, let exclusive = t.taxExclusiveTotal,
            let expected = ExactDecimal.sum(exclusive, t.taxTotal ?? zero)
        {
            mismatch(
                "BR-CO-15", "the total with VAT (BT-112) is not BT-109 + BT-110", stated: stated, expected: expected,
                at: location("BT-112", "BG-22"))
        }
        if let stated = t.payableAmount, let inclusive = t.taxInclusiveTotal,
            let afterPrepaid = ExactDecimal.difference(inclusive, t.prepaidAmount ?? zero),
            let rounded = ExactDecimal.sum(afterPrepaid, t.roundingAmount ?? zero),
            let expected = ExactDecimal.sum(rounded, t.thirdPartyPaymentsTotal ?? zero)
        {
            // With the XRechnung extension's third-party payments (BG-DEX-09), BR-DEX-09 adds their sum.
            let extra = t.thirdPartyPaymentsTotal == nil ? "" : " + third-party payments (BG-DEX-09)"
            mismatch(
                "BR-CO-16", "the amount due (BT-115) is not BT-112 − BT-113 + BT-114\(extra)", stated: stated,
                expected: expected, at: location("BT-115", "BG-22"))
        }
    }

    /// Line net amount = quantity × net price ÷ base quantity − line allowances + line charges, within one cent.
    mutating func lineNetAmounts() {
        for line in invoice.lines where line.isDetail {
            guard let stated = line.netAmount, let quantity = line.quantity, let price = line.netPrice,
                let gross = ExactDecimal.product(quantity, price)
            else { continue }
            let base = line.baseQuantity.flatMap { $0.significand == 0 ? nil : $0 } ?? ExactDecimal(significand: 1, scale: 0)
            guard var expected = ExactDecimal.quotient(gross, base, scale: 2) else { continue }
            var complete = true
            for item in line.allowancesCharges {
                guard let signed = item.signedAmount, let next = ExactDecimal.sum(expected, signed) else {
                    complete = false
                    break
                }
                expected = next
            }
            guard complete, let rounded = expected.rescaled(to: 2), let statedCents = stated.rescaled(to: 2),
                let difference = ExactDecimal.difference(statedCents, rounded)
            else { continue }
            if difference.significand.magnitude > UInt64(InvoiceRules.lineNetToleranceCents) {
                add(
                    "findoc.line-net",
                    "the net amount (BT-131) of line \(line.id) is \(stated), but quantity × net price ÷ base "
                        + "quantity − allowances + charges is \(rounded)", at: line.location, severity: .warning)
            }
        }
    }
}
