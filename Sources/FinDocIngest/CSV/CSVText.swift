/// Trimming helpers for cells, with a fast path that returns the cell itself when there is nothing to trim.
extension String {
    /// The string without surrounding white space, no-break spaces (U+00A0, U+202F) and BOMs.
    var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = {
            $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\u{A0}" || $0 == "\u{202F}" || $0 == "\u{FEFF}"
        }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }

    /// `trimmingSpaces` as a String, without copying when the ends are plain printable ASCII (nearly every cell).
    var trimmedCell: String {
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last else { return self }
        if first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return self }
        return String(trimmingSpaces)
    }

    /// True when the cell holds nothing but white space.
    var isBlankCell: Bool {
        if utf8.isEmpty { return true }
        if let first = utf8.first, first > 0x20, first < 0x80 { return false }
        return trimmingSpaces.isEmpty
    }
}
