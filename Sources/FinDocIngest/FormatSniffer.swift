import FinDocCore

/// Decides what kind of document a file is from its content, never its name.
///
/// Each statement ingestor says what its format looks like; camt and e-invoices are recognised by namespace so that
/// the user gets "this is camt, which this version cannot read yet" rather than a confusing CSV error.
public enum FormatSniffer {
    /// What the first bytes of a file look like.
    public enum Verdict: Sendable, Hashable {
        /// A document of this format.
        case format(DocumentFormat)
        /// No bytes at all (or only white space).
        case empty
        /// Not text.
        case binary
    }

    /// Sniffs `bytes` (the whole file or at least its first 64 KiB).
    public static func sniff(_ bytes: [UInt8]) -> Verdict {
        let head = bytes.prefix(65_536)
        if head.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return .empty }
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) { return .format(.csv) }
        // Binary: NUL bytes, or many control bytes (UTF-16 without a BOM is rare in bank exports).
        var controls = 0
        for byte in head {
            if byte == 0 { return .binary }
            if byte < 0x09 || (byte > 0x0D && byte < 0x20) { controls += 1 }
        }
        if controls * 20 > head.count { return .binary }
        let sample = Array(head)
        if OFXStatementIngestor.looksLike(sample) { return .format(.ofx) }
        if QIFStatementIngestor.looksLike(sample) { return .format(.qif) }
        if MT940StatementIngestor.looksLike(sample) { return .format(.mt940) }
        let text = String(decoding: head.prefix(4096), as: UTF8.self)
        let trimmed = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        if trimmed.hasPrefix("<") {
            // Byte searches: Foundation's String.contains was a tenth of ingesting a folder of small invoices. The
            // first 4 KiB hold the root element of nearly every file; only when they do not is the whole head searched
            // (seven shared Factur-X/XRechnung files open with a comment preamble that puts the root at byte 5,845 and
            // beyond, and were taken for CSV).
            for window in [4096, sample.count] {
                let bytes = Array(sample.prefix(window))
                if contains(bytes, "urn:iso:std:iso:20022:tech:xsd:camt.") { return .format(.camt) }
                if contains(bytes, "urn:oasis:names:specification:ubl:schema:xsd:") { return .format(.ubl) }
                if contains(bytes, "CrossIndustryInvoice") || contains(bytes, "CrossIndustryDocument") {
                    return .format(.cii)
                }
                if sample.count <= 4096 { break }
            }
        }
        if TranscriptIngestor.looksLike(sample) { return .format(.transcript) }
        return .format(.csv)
    }

    /// True when `needle`'s UTF-8 bytes occur in `haystack`.
    private static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first, haystack.count >= pattern.count else { return false }
        for start in 0...(haystack.count - pattern.count)
        where haystack[start] == first && haystack[start..<(start + pattern.count)].elementsEqual(pattern) {
            return true
        }
        return false
    }
}
