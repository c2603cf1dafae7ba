/// Minimal JSON text building for the hot paths (raw source fields, JSON Lines export), where going through
/// `JSONEncoder` per row would cost more than the rest of the row's work.
public enum JSONText {
    /// Appends `value` as a JSON string literal (RFC 8259 escaping) to `out`.
    public static func appendQuoted(_ value: String, to out: inout String) {
        out.append("\"")
        var needsEscape = false
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            needsEscape = true
            break
        }
        guard needsEscape else {
            out.append(value)
            out.append("\"")
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }

    /// A JSON object from ordered name/value pairs; a repeated name gets a ` (2)`, ` (3)` suffix so no value is lost.
    public static func object(_ fields: [RawField]) -> String {
        var encoder = RawFieldsEncoder()
        return encoder.encode(fields)
    }
}

/// Encodes the raw fields of many records that share their column names (the rows of one file): the quoted keys
/// are built once and reused while the names stay the same, which halves the cost per row on wide files.
public struct RawFieldsEncoder: Sendable {
    private var names: [String] = []
    private var quotedKeys: [String] = []

    /// Creates an encoder.
    public init() {}

    /// The JSON object for one record; a repeated name gets a ` (2)`, ` (3)` suffix so no value is lost.
    public mutating func encode(_ fields: [RawField]) -> String {
        if fields.count != names.count || !zip(fields, names).allSatisfy({ $0.name == $1 }) {
            rebuildKeys(fields.map(\.name))
        }
        var out = "{"
        out.reserveCapacity(fields.count * 24)
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(",") }
            out.append(quotedKeys[index])
            JSONText.appendQuoted(field.value, to: &out)
        }
        out.append("}")
        return out
    }

    private mutating func rebuildKeys(_ newNames: [String]) {
        names = newNames
        quotedKeys = []
        var seen: Set<String> = []
        for name in newNames {
            var unique = name
            if !seen.insert(unique).inserted {
                var n = 2
                while !seen.insert("\(name) (\(n))").inserted { n += 1 }
                unique = "\(name) (\(n))"
            }
            var key = ""
            JSONText.appendQuoted(unique, to: &key)
            key.append(":")
            quotedKeys.append(key)
        }
    }
}
