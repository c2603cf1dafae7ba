import FinDocCore

/// One `Ntry` interpreted from its collected leaves: the entry-level facts and one `CAMTDetail` per `TxDtls`.
struct CAMTEntry: Sendable {
    /// `Amt` with its `Ccy`.
    var amount: CAMTLeaf?
    /// `CdtDbtInd`: `CRDT` or `DBIT`.
    var indicator: String?
    /// `RvslInd` is `true`: the entry reverses an earlier one (its indicator already gives the direction).
    var reversal = false
    /// `Sts` (up to version 7) or `Sts/Cd` / `Sts/Prtry` (version 8 on).
    var status: String?
    /// `BookgDt/Dt` or `BookgDt/DtTm`, as written.
    var bookingText: String?
    /// `ValDt/Dt` or `ValDt/DtTm`, as written.
    var valueText: String?
    /// `AcctSvcrRef`: the bank's own reference.
    var servicerReference: String?
    /// `AddtlNtryInf`.
    var additionalInfo: String?
    /// The bank transaction code: `Domn/Cd/Fmly/Cd/SubFmlyCd` joined by `/`, else the proprietary code.
    var bankCode: String?
    /// Every entry-level leaf (outside `TxDtls`), as raw fields.
    var raw: [RawField] = []
    /// The transaction details, in order.
    var details: [CAMTDetail] = []

    /// Interprets an entry's leaves; `detailLines[i]` is the line of the (i+1)-th `TxDtls`.
    init(leaves: [CAMTLeaf], detailLines: [Int]) {
        details = detailLines.enumerated().map { CAMTDetail(index: $0.offset + 1, line: $0.element) }
        var domain: String?
        var family: String?
        var subFamily: String?
        var proprietary: String?
        raw.reserveCapacity(leaves.count)
        for leaf in leaves {
            if leaf.detail > 0, leaf.detail <= details.count {
                details[leaf.detail - 1].add(leaf)
                continue
            }
            raw.append(RawField(name: leaf.path, value: leaf.value))
            if let currency = leaf.currency { raw.append(RawField(name: leaf.currencyPath, value: currency)) }
            switch leaf.field {
            case .amount: amount = leaf
            case .indicator: indicator = leaf.value
            case .reversal: reversal = leaf.value == "true" || leaf.value == "1"
            case .status: status = leaf.value
            case .statusProprietary: status = status ?? leaf.value
            case .bookingDate: bookingText = leaf.value
            case .valueDate: valueText = leaf.value
            case .servicerReference: servicerReference = leaf.value
            case .additionalInfo: additionalInfo = leaf.value
            case .domainCode: domain = leaf.value
            case .familyCode: family = leaf.value
            case .subFamilyCode: subFamily = leaf.value
            case .proprietaryCode: proprietary = leaf.value
            default: break
            }
        }
        if let domain {
            bankCode = [domain, family, subFamily].compactMap { $0 }.joined(separator: "/")
        } else {
            bankCode = proprietary
        }
    }
}

/// One `TxDtls` of an entry: its own amount (when it has one), references, parties and remittance information.
struct CAMTDetail: Sendable {
    /// 1-based position among the entry's details.
    var index: Int
    /// Line of the `TxDtls` start tag.
    var line: Int
    /// `Amt` (version 3 on) with its `Ccy`.
    var amount: CAMTLeaf?
    /// `AmtDtls/TxAmt/Amt`, the amount versions 1–2 give.
    var transactionAmount: CAMTLeaf?
    /// `CdtDbtInd` of the detail (version 3 on).
    var indicator: String?
    /// `Refs/EndToEndId`.
    var endToEndID: String?
    /// `Refs/AcctSvcrRef`: the bank's reference for this detail.
    var servicerReference: String?
    /// `RltdPties/Dbtr/Nm` (or `Dbtr/Pty/Nm`, version 8 on).
    var debtorName: String?
    /// `RltdPties/Cdtr/Nm` (or `Cdtr/Pty/Nm`).
    var creditorName: String?
    /// `RltdPties/DbtrAcct/Id/IBAN`.
    var debtorIBAN: String?
    /// `RltdPties/CdtrAcct/Id/IBAN`.
    var creditorIBAN: String?
    /// `RmtInf/Ustrd`, each occurrence.
    var unstructured: [String] = []
    /// `RmtInf/Strd/CdtrRefInf/Ref`: the creditor's structured reference.
    var creditorReference: String?
    /// `AddtlTxInf`.
    var additionalInfo: String?
    /// Every leaf of the detail, named `TxDtls/…`.
    var raw: [RawField] = []

    init(index: Int, line: Int) {
        self.index = index
        self.line = line
    }

    /// Takes one leaf of this detail; its path starts with `TxDtls/` (the parser drops the `NtryDtls/` before it).
    mutating func add(_ leaf: CAMTLeaf) {
        raw.append(RawField(name: leaf.path, value: leaf.value))
        if let currency = leaf.currency { raw.append(RawField(name: leaf.currencyPath, value: currency)) }
        switch leaf.field {
        case .detailAmount: amount = leaf
        case .detailTransactionAmount: transactionAmount = leaf
        case .detailIndicator: indicator = leaf.value
        case .endToEndID: endToEndID = leaf.value
        case .detailServicerReference: servicerReference = leaf.value
        case .debtorName: debtorName = leaf.value
        case .creditorName: creditorName = leaf.value
        case .debtorIBAN: debtorIBAN = leaf.value
        case .creditorIBAN: creditorIBAN = leaf.value
        case .unstructured: unstructured.append(leaf.value)
        case .creditorReference: creditorReference = creditorReference ?? leaf.value
        case .detailAdditionalInfo: additionalInfo = leaf.value
        default: break
        }
    }

    /// The detail's own amount: `Amt`, else `AmtDtls/TxAmt/Amt`.
    var ownAmount: CAMTLeaf? { amount ?? transactionAmount }

    /// The remittance text: the unstructured lines joined by a space.
    var remittance: String? { unstructured.isEmpty ? nil : unstructured.joined(separator: " ") }

    /// A customer reference: the structured creditor reference, else an end-to-end id that says something.
    var reference: String? {
        if let creditorReference, !creditorReference.isEmpty { return creditorReference }
        if let endToEndID, !endToEndID.isEmpty, endToEndID != "NOTPROVIDED" { return endToEndID }
        return nil
    }

    /// The other party for a signed amount: money out goes to the creditor, money in comes from the debtor.
    func counterparty(negative: Bool) -> (name: String?, iban: String?) {
        negative ? (creditorName, creditorIBAN) : (debtorName, debtorIBAN)
    }
}
