import FinDocCore

/// One element with text content inside a camt balance or entry, kept as read: its path relative to the `Bal` or
/// `Ntry` element (`BookgDt/Dt`, `TxDtls/Refs/EndToEndId`), its text, its `Ccy` attribute and its line.
///
/// An entry is collected as a flat list of these while streaming and interpreted when its end tag arrives, so memory
/// holds one entry at a time, and every value the bank sent is still there for the raw fields.
struct CAMTLeaf: Sendable {
    /// The leaf's name, shared with every leaf at the same path.
    let name: CAMTLeafName
    /// Path below the collected element, names joined by `/`, without namespace prefixes; inside a transaction
    /// detail it starts at `TxDtls/` (`TxDtls/Refs/EndToEndId`), the `NtryDtls/` before it dropped.
    var path: String { name.path }
    /// `path` + `@Ccy`: the raw field name of the `Ccy` attribute.
    var currencyPath: String { name.currencyPath }
    /// What `CAMTEntry` and `CAMTDetail` read this leaf as.
    var field: CAMTField { name.field }
    /// The text, trimmed of surrounding white space.
    var value: String
    /// The `Ccy` attribute of amount elements.
    var currency: String?
    /// 1-based line of the element's start tag.
    var line: Int
    /// 1-based index of the `TxDtls` this leaf is in; 0 for entry-level leaves.
    var detail: Int

    /// A leaf named `name` (whose strings it shares).
    init(at name: CAMTLeafName, value: String, currency: String?, line: Int, detail: Int) {
        self.name = name
        self.value = value
        self.currency = currency
        self.line = line
        self.detail = detail
    }
}

/// A leaf name with what is derived from it, made once per distinct path of a file and shared by its leaves (a class,
/// so that a leaf copied from list to entry to detail retains one reference, not three strings).
final class CAMTLeafName: Sendable {
    let path: String
    let currencyPath: String
    let field: CAMTField

    init(_ path: String) {
        self.path = path
        currencyPath = path + "@Ccy"
        field = CAMTField(path: path)
    }
}

/// One scope-relative element path of a camt file (`NtryDtls/TxDtls/Refs/EndToEndId`), with the names its leaves
/// take: `named` as it is, `inDetail` from `TxDtls/` on (the `NtryDtls/` dropped), the form detail leaves take.
struct CAMTPath: Sendable {
    let named: CAMTLeafName
    let inDetail: CAMTLeafName
    /// The path is `NtryDtls/TxDtls`, where an entry's transaction details sit.
    let isDetail: Bool

    /// The path as written.
    var path: String { named.path }

    init(path: String) {
        named = CAMTLeafName(path)
        let prefix = "NtryDtls/TxDtls/"
        inDetail = path.hasPrefix(prefix) ? CAMTLeafName(String(path.dropFirst("NtryDtls/".count))) : named
        isDetail = path == "NtryDtls/TxDtls"
    }
}

/// The leaves that `CAMTEntry` (entry level) and `CAMTDetail` (`TxDtls/…`) read, decided once per path.
enum CAMTField: UInt8, Sendable {
    case other
    // Entry level.
    case amount, indicator, reversal, status, statusProprietary, bookingDate, valueDate, servicerReference
    case additionalInfo, domainCode, familyCode, subFamilyCode, proprietaryCode
    // Transaction details.
    case detailAmount, detailTransactionAmount, detailIndicator, endToEndID, detailServicerReference, debtorName
    case creditorName, debtorIBAN, creditorIBAN, unstructured, creditorReference, detailAdditionalInfo

    init(path: String) {
        switch path {
        case "Amt": self = .amount
        case "CdtDbtInd": self = .indicator
        case "RvslInd": self = .reversal
        case "Sts", "Sts/Cd": self = .status
        case "Sts/Prtry": self = .statusProprietary
        case "BookgDt/Dt", "BookgDt/DtTm": self = .bookingDate
        case "ValDt/Dt", "ValDt/DtTm": self = .valueDate
        case "AcctSvcrRef": self = .servicerReference
        case "AddtlNtryInf": self = .additionalInfo
        case "BkTxCd/Domn/Cd": self = .domainCode
        case "BkTxCd/Domn/Fmly/Cd": self = .familyCode
        case "BkTxCd/Domn/Fmly/SubFmlyCd": self = .subFamilyCode
        case "BkTxCd/Prtry/Cd": self = .proprietaryCode
        case "TxDtls/Amt": self = .detailAmount
        case "TxDtls/AmtDtls/TxAmt/Amt": self = .detailTransactionAmount
        case "TxDtls/CdtDbtInd": self = .detailIndicator
        case "TxDtls/Refs/EndToEndId": self = .endToEndID
        case "TxDtls/Refs/AcctSvcrRef": self = .detailServicerReference
        case "TxDtls/RltdPties/Dbtr/Nm", "TxDtls/RltdPties/Dbtr/Pty/Nm": self = .debtorName
        case "TxDtls/RltdPties/Cdtr/Nm", "TxDtls/RltdPties/Cdtr/Pty/Nm": self = .creditorName
        case "TxDtls/RltdPties/DbtrAcct/Id/IBAN": self = .debtorIBAN
        case "TxDtls/RltdPties/CdtrAcct/Id/IBAN": self = .creditorIBAN
        case "TxDtls/RmtInf/Ustrd": self = .unstructured
        case "TxDtls/RmtInf/Strd/CdtrRefInf/Ref": self = .creditorReference
        case "TxDtls/AddtlTxInf": self = .detailAdditionalInfo
        default: self = .other
        }
    }
}

/// Date handling shared by balances and entries: camt writes `Dt` (`2014-12-31`, sometimes with a zone) or `DtTm`
/// (`2014-12-31T10:15:00+01:00`); the calendar date as written is what the statement means.
enum CAMTDate {
    /// The date part of an ISO date or date-time; nil when it is not a valid `YYYY-MM-DD` start.
    static func parse(_ text: String) -> LocalDate? {
        let u = text.utf8
        guard u.count >= 10 else { return nil }
        if u.count > 10 {
            let next = u[u.index(u.startIndex, offsetBy: 10)]
            // T (time), Z or a +/- zone may follow the date; anything else is not an ISO date.
            guard next == UInt8(ascii: "T") || next == UInt8(ascii: "Z") || next == UInt8(ascii: "+")
                || next == UInt8(ascii: "-") || next == UInt8(ascii: " ")
            else { return nil }
        }
        return LocalDate(iso: text.prefix(10))
    }
}
