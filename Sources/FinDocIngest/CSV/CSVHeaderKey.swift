/// Header names as they are compared: trimmed, lower-cased, inner runs of white space collapsed to one space, so
/// `" TRANS  DATE"` matches `"trans date"`.
enum CSVHeaderKey {
    /// The comparison key of a header name.
    static func key(_ name: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(name.utf8.count)
        var pendingSpace = false
        for scalar in name.unicodeScalars {
            if isSpace(scalar) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.unicodeScalars.append(" ")
                pendingSpace = false
            }
            out.unicodeScalars.append(scalar)
        }
        return out.lowercased()
    }

    /// The header name as shown and kept in raw fields: trimmed of surrounding white space (and a stray BOM).
    static func display(_ name: String) -> String {
        let scalars = name.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    private static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x0A, 0x0D, 0x20, 0xA0, 0x2007, 0x2009, 0x202F, 0xFEFF: return true
        default: return false
        }
    }
}
