import CFinDocKernels

/// Minimal JSON text building for the hot paths (raw source fields, JSON Lines export), where going through
/// `JSONEncoder` per row would cost more than the rest of the row's work.
public enum JSONText {
    /// Appends `value` as a JSON string literal (RFC 8259 escaping) to `out`, as UTF-8; escapes only what the RFC
    /// requires (quote, backslash, control characters).
    public static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { bytes in
            out.append(0x22)
            // Runs of bytes that need no escape are copied whole, found sixteen bytes at a time in C: most values
            // have no escape at all, and the byte loop in Swift cost about eleven instructions a byte, 4.6 % of a
            // 10,000-row MT940 ingest (callgrind).
            guard let base = bytes.baseAddress else {
                out.append(0x22)
                return
            }
            var runStart = 0
            while runStart < bytes.count {
                let index = runStart + findoc_json_escape_index(base + runStart, bytes.count - runStart)
                if index > runStart { out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: index - runStart)) }
                guard index < bytes.count else { break }
                let byte = bytes[index]
                runStart = index + 1
                switch byte {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                default:
                    // The other control characters (only they, quote and backslash reach this switch).
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
                }
            }
            out.append(0x22)
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON object from ordered name/value pairs; a repeated name gets a ` (2)`, ` (3)` suffix so no value is lost.
    public static func object(_ fields: [RawField]) -> String {
        var encoder = RawFieldsEncoder()
        return encoder.encode(fields)
    }
}

/// Encodes the raw fields of many records that share their column names (the rows of one file): the quoted keys
/// are built once and reused while the names stay the same, and each object is assembled as UTF-8 bytes, which
/// together cut the cost per row by more than half on wide files (measured on 200,000 rows).
public struct RawFieldsEncoder: Sendable {
    private var buffer: [UInt8] = []
    /// Quoted keys by field name, for records whose names change (bounded: 4,096 names).
    private var keyCache: [String: [UInt8]] = [:]
    /// The last few distinct name lists with their quoted keys, newest first.
    ///
    /// Why: records of one file come in a few shapes (a camt entry with or without details, with or without a
    /// bank code), and a file that alternates between them rebuilt the keys on most records: hashing every name for
    /// `keyCache` and checking for repeats cost 55,000 instructions a record in callgrind, more than the JSON itself.
    /// Comparing names with a remembered list is cheap (equal strings that share storage compare by identity).
    private var shapes: [(names: [String], keys: [[UInt8]])] = []

    /// Creates an encoder.
    public init() {}

    /// The JSON object for one record; a repeated name gets a ` (2)`, ` (3)` suffix so no value is lost.
    public mutating func encode(_ fields: [RawField]) -> String {
        let shape: Int
        if let hit = shapes.firstIndex(where: { Self.matches(fields, $0.names) }) {
            shape = hit
        } else {
            let names = fields.map(\.name)
            // Thirty-two: MT940 rows come in many shapes (their `:86:` sub-fields vary); with eight, 37 % of 10,000
            // generated rows missed and rebuilt their keys, with thirty-two 28 % (callgrind: 173 M -> 161 M).
            if shapes.count == 32 { shapes.removeLast() }
            shapes.insert((names, quotedKeys(for: names)), at: 0)
            shape = 0
        }
        let quotedKeys = shapes[shape].keys
        buffer.removeAll(keepingCapacity: true)
        buffer.append(UInt8(ascii: "{"))
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            buffer.append(contentsOf: quotedKeys[index])
            JSONText.appendQuoted(field.value, to: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
        return String(decoding: buffer, as: UTF8.self)
    }

    private static func matches(_ fields: [RawField], _ names: [String]) -> Bool {
        fields.count == names.count && zip(fields, names).allSatisfy { $0.name == $1 }
    }

    /// `"name":` for each of `newNames`, repeated names suffixed.
    private mutating func quotedKeys(for newNames: [String]) -> [[UInt8]] {
        var quotedKeys: [[UInt8]] = []
        quotedKeys.reserveCapacity(newNames.count)
        // Statement formats whose records carry different fields (MT940 :86: sub-fields) change names on most
        // records: quoted keys are cached by name, and repeats are looked for pairwise (records have a few dozen
        // fields at most) instead of through a Set. Both cost more than the rest of a record's JSON before.
        var repeated = false
        if newNames.count <= 64 {
            search: for i in newNames.indices {
                for j in 0..<i where newNames[j] == newNames[i] {
                    repeated = true
                    break search
                }
            }
        } else {
            repeated = Set(newNames).count != newNames.count
        }
        guard repeated else {
            for name in newNames {
                if let key = keyCache[name] {
                    quotedKeys.append(key)
                } else {
                    let key = Self.quotedKey(name)
                    if keyCache.count < 4_096 { keyCache[name] = key }
                    quotedKeys.append(key)
                }
            }
            return quotedKeys
        }
        var seen: Set<String> = []
        for name in newNames {
            var unique = name
            if !seen.insert(unique).inserted {
                var n = 2
                while !seen.insert("\(name) (\(n))").inserted { n += 1 }
                unique = "\(name) (\(n))"
            }
            quotedKeys.append(Self.quotedKey(unique))
        }
        return quotedKeys
    }

    /// `"name":` as UTF-8.
    private static func quotedKey(_ name: String) -> [UInt8] {
        var key: [UInt8] = []
        JSONText.appendQuoted(name, to: &key)
        key.append(UInt8(ascii: ":"))
        return key
    }
}
