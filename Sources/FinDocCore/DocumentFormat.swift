/// The kinds of document findoc reads. The raw value is what the store and `--format` use.
public enum DocumentFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// Comma/semicolon/tab/pipe separated statement exports.
    case csv
    /// OFX/QFX 1.x SGML and 2.x XML.
    case ofx
    /// Quicken Interchange Format.
    case qif
    /// SWIFT MT940/MT942.
    case mt940
    /// ISO 20022 camt.052/053/054.
    case camt
    /// UBL 2.1 invoices and credit notes.
    case ubl
    /// UN/CEFACT Cross-Industry Invoice.
    case cii
    /// Earnings-call transcripts.
    case transcript
}
