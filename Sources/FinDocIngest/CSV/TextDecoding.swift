/// Turns the bytes of a text export into text: honours byte-order marks, prefers UTF-8, falls back to Windows-1252
/// (what spreadsheet programs and older bank systems write), and recognises binary data so it is not read as text.
public enum TextDecoding {
    /// The text and the name of the encoding it was read as (`UTF-8`, `UTF-16LE`, `UTF-16BE`, `Windows-1252`);
    /// nil when the bytes look like binary data rather than text.
    public static func decode(_ bytes: [UInt8]) -> (text: String, encoding: String)? {
        switch decodeToUTF8(bytes) {
        case .text(let utf8, let encoding): return (String(decoding: utf8, as: UTF8.self), encoding)
        case .binary: return nil
        }
    }

    /// The outcome of decoding, as UTF-8 bytes without any byte-order mark, for the tokenizer.
    enum Decoded {
        /// Text, transcoded to UTF-8, and the name of the source encoding.
        case text([UInt8], encoding: String)
        /// Not text: the 0-based offset of the first byte that gave it away.
        case binary(offset: Int)
    }

    /// How many leading bytes are inspected for binary content: enough to cover a header and many rows.
    static let sniffLength = 8192

    /// Decodes to UTF-8 bytes; see `decode(_:)` for the rules.
    static func decodeToUTF8(_ bytes: [UInt8]) -> Decoded {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return utf8OrFallback(Array(bytes.dropFirst(3)), offset: 3)
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            return .text(UTF8Encoding.fromUTF16(bytes.dropFirst(2), bigEndian: false), encoding: "UTF-16LE")
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            return .text(UTF8Encoding.fromUTF16(bytes.dropFirst(2), bigEndian: true), encoding: "UTF-16BE")
        }
        if let bigEndian = looksLikeUTF16WithoutBOM(bytes) {
            return .text(
                UTF8Encoding.fromUTF16(bytes[...], bigEndian: bigEndian), encoding: bigEndian ? "UTF-16BE" : "UTF-16LE")
        }
        if let offset = binaryOffset(bytes) { return .binary(offset: offset) }
        return utf8OrFallback(bytes, offset: 0)
    }

    private static func utf8OrFallback(_ bytes: [UInt8], offset: Int) -> Decoded {
        if let binary = binaryOffset(bytes) { return .binary(offset: binary + offset) }
        let valid = bytes.withUnsafeBufferPointer { UTF8Encoding.isValid($0) }
        if valid { return .text(bytes, encoding: "UTF-8") }
        return .text(Windows1252.toUTF8(bytes), encoding: "Windows-1252")
    }

    /// The offset of the first tell-tale byte when the start of the data is binary: any NUL byte, or control bytes
    /// (other than tab, newline, carriage return, form feed, vertical tab and the DOS end-of-file mark) making up
    /// more than 5% of the sample (at least nine of them) or a quarter of it. Text exports have neither.
    static func binaryOffset(_ bytes: [UInt8]) -> Int? {
        let sample = bytes.prefix(sniffLength)
        var controls = 0
        var firstControl: Int?
        for (offset, byte) in sample.enumerated() {
            if byte == 0 { return offset }
            if byte < 0x20 || byte == 0x7F {
                switch byte {
                case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A: continue
                default:
                    controls += 1
                    if firstControl == nil { firstControl = offset }
                }
            }
        }
        // A few stray control bytes happen in real exports; many of them, or a quarter of a short sample, do not.
        guard let firstControl, (controls > 8 && controls * 20 > sample.count) || controls * 4 > sample.count else {
            return nil
        }
        return firstControl
    }

    /// Recognises UTF-16 text written without a byte-order mark (some Windows tools do): in the sample, nearly every
    /// second byte is zero and the others are not. Returns whether it is big-endian, or nil when it is not UTF-16.
    static func looksLikeUTF16WithoutBOM(_ bytes: [UInt8]) -> Bool? {
        let sample = bytes.prefix(sniffLength)
        guard sample.count >= 4 else { return nil }
        var zeroEven = 0
        var zeroOdd = 0
        for (offset, byte) in sample.enumerated() where byte == 0 {
            if offset % 2 == 0 { zeroEven += 1 } else { zeroOdd += 1 }
        }
        let pairs = sample.count / 2
        if zeroOdd * 10 >= pairs * 7, zeroEven * 20 <= pairs { return false }
        if zeroEven * 10 >= pairs * 7, zeroOdd * 20 <= pairs { return true }
        return nil
    }
}
