#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFinDocKernels
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
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
            return .format(xmlFormat(utf16: Array(head)) ?? .csv)
        }
        // Binary: NUL bytes, or many control bytes (UTF-16 without a BOM is rare in bank exports).
        let sample = Array(head)
        if sample.withUnsafeBufferPointer({ b in b.baseAddress.map { memchr($0, 0, b.count) != nil } ?? false }) {
            return .binary
        }
        let controls = sample.withUnsafeBufferPointer { countControlBytes($0) }
        if controls * 20 > head.count { return .binary }
        if OFXStatementIngestor.looksLike(sample) { return .format(.ofx) }
        if QIFStatementIngestor.looksLike(sample) { return .format(.qif) }
        if MT940StatementIngestor.looksLike(sample) { return .format(.mt940) }
        if startsWithMarkup(sample) {
            // Byte searches: Foundation's String.contains was a tenth of ingesting a folder of small invoices. The
            // first 4 KiB hold the root element of nearly every file; only when they do not is the whole head searched
            // (seven shared Factur-X/XRechnung files open with a comment preamble that puts the root at byte 5,845 and
            // beyond, and were taken for CSV).
            for window in [4096, sample.count] {
                if let format = xmlFormat(sample, limit: window) { return .format(format) }
                if sample.count <= 4096 { break }
            }
        }
        if TranscriptIngestor.looksLike(sample) { return .format(.transcript) }
        return .format(.csv)
    }

    /// camt, UBL or CII by the namespace or root element named in the first `limit` bytes of `sample`; nil for
    /// anything else.
    private static func xmlFormat(_ sample: [UInt8], limit: Int) -> DocumentFormat? {
        if ByteSearch.contains(sample, "urn:iso:std:iso:20022:tech:xsd:camt.", limit: limit) { return .camt }
        if ByteSearch.contains(sample, "urn:oasis:names:specification:ubl:schema:xsd:", limit: limit) { return .ubl }
        if ByteSearch.contains(sample, "CrossIndustryInvoice", limit: limit)
            || ByteSearch.contains(sample, "CrossIndustryDocument", limit: limit)
        {
            return .cii
        }
        return nil
    }

    /// camt, UBL or CII when `bytes` (UTF-16 with its byte-order mark) is such an XML document: libxml2 reads UTF-16
    /// itself, so these go to their ingestors as they are. nil for anything else (CSV decodes UTF-16 on its own).
    private static func xmlFormat(utf16 bytes: [UInt8]) -> DocumentFormat? {
        let bigEndian = bytes.starts(with: [0xFE, 0xFF])
        let units = stride(from: 2, to: bytes.count - 1, by: 2).map { (i: Int) -> UInt16 in
            let (high, low) = bigEndian ? (bytes[i], bytes[i + 1]) : (bytes[i + 1], bytes[i])
            return UInt16(high) << 8 | UInt16(low)
        }
        let sample = Array(String(decoding: units, as: UTF16.self).utf8)
        return startsWithMarkup(sample) ? xmlFormat(sample, limit: sample.count) : nil
    }

    /// Whether the first character after byte-order marks and white space is `<`. Decided on the bytes when they
    /// start with ASCII (every XML file does); otherwise on the decoded text, which knows Unicode white space (the
    /// decoded check was 5% of sniffing a folder of small invoices).
    private static func startsWithMarkup(_ sample: [UInt8]) -> Bool {
        let index = ByteSearch.contentStart(sample, verticalSpace: true)
        // An ASCII character followed by ASCII (or nothing) is a whole Character; a combining mark after `<` would
        // make it another one, so anything non-ASCII there also goes to the String check.
        if index < sample.count, sample[index] < 0x80, index + 1 == sample.count || sample[index + 1] < 0x80 {
            return sample[index] == UInt8(ascii: "<")
        }
        let text = String(decoding: sample.prefix(4096), as: UTF8.self)
        return text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }.hasPrefix("<")
    }

    /// How many bytes are C0 controls other than tab, LF, VT, FF and CR (a C loop that clang vectorises: the byte
    /// loop in Swift was the largest part of sniffing an XML invoice, about ten instructions a byte).
    static func countControlBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        return findoc_count_control_bytes(base, bytes.count)
    }
}
