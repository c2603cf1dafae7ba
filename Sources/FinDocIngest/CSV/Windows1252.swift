/// The Windows-1252 code page, the usual encoding of CSV exports that are not UTF-8.
enum Windows1252 {
    /// Unicode scalars for bytes 0x80–0x9F; the five bytes cp1252 leaves undefined map to the C1 control with the
    /// same value, as the WHATWG encoding standard does, so no byte is ever lost.
    static let high: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Transcodes cp1252 bytes to UTF-8.
    static func toUTF8(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte < 0x80 {
                out.append(byte)
                continue
            }
            let scalar: UInt32 = byte <= 0x9F ? high[Int(byte &- 0x80)] : UInt32(byte)
            UTF8Encoding.append(scalar, to: &out)
        }
        return out
    }
}
