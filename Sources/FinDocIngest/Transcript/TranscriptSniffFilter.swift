/// A byte-level pre-check for `TranscriptIngestor.looksLike` that rules out most non-transcripts (CSV exports above
/// all) without building Strings.
///
/// The full check decodes the 64 KiB head, lower-cases it, splits it into grapheme lines and runs the speaker-line
/// parser on every line: about 200 M instructions for a CSV head, paid by every CSV file a batch sniffs. This filter
/// answers "cannot be a transcript" only when that is certain, so verdicts never change:
///
/// - The full check's JSON and HTML tests need the first non-white-space character to be `{` or `<`; when the first
///   byte that is not ASCII white space is an ASCII byte other than those two, neither test can pass (anything
///   non-ASCII goes to the full check, which knows Unicode white space).
/// - Every text signal of the full check needs certain ASCII bytes in the head: a String can only hold an ASCII
///   character that came from that ASCII byte, and lower-casing turns non-ASCII characters into ASCII only for `k`
///   (KELVIN SIGN) and `i` (from "İ"), which no needle below contains. The needles are parts of the full check's
///   phrases, so each is a necessary condition of its signal. With fewer than two possible signals the full check
///   cannot reach its two.
enum TranscriptSniffFilter {
    /// False when `head` certainly does not look like a transcript; true when the full check must decide.
    static func mayBeTranscript(_ head: ArraySlice<UInt8>) -> Bool {
        let bytes = head.withContiguousStorageIfAvailable { Array($0) } ?? Array(head)
        guard let first = bytes.first(where: { !isASCIISpace($0) }) else { return true }
        if first >= 0x80 || first == UInt8(ascii: "{") || first == UInt8(ascii: "<") { return true }
        var possible = 0
        // "earnings call", "conference call", "earnings conference" (without "i": "İ" lower-cases to "i" + mark).
        if ByteSearch.contains(bytes, "ngs call", foldingCase: true) || ByteSearch.contains(bytes, "ce call", foldingCase: true)
            || ByteSearch.contains(bytes, "ngs conference", foldingCase: true)
        {
            possible += 1
        }
        // "questions and answers", "question-and-answer", "questions & answers", "question and answer".
        if ByteSearch.contains(bytes, "answer", foldingCase: true) && ByteSearch.contains(bytes, "quest", foldingCase: true) {
            possible += 1
        }
        if ByteSearch.contains(bytes, "CORPORATE PARTICIPANTS") { possible += 1 }
        // A line starting "Operator".
        if ByteSearch.contains(bytes, "Operator") { possible += 1 }
        // Two speaker lines, each holding " -- ".
        if ByteSearch.count(bytes, " -- ", atMost: 2) >= 2 { possible += 1 }
        return possible >= 2
    }

    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}
