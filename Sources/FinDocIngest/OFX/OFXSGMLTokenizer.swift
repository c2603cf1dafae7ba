/// A fast byte tokenizer for OFX 1.x SGML bodies (and, leniently, for OFX 2.x bodies that are not well-formed XML).
///
/// Leaf elements may be closed or not (`<TRNAMT>-12.50` or `<TRNAMT>-12.50</TRNAMT>`); an element followed by
/// text is a leaf, one followed directly by another tag is an aggregate, unless that tag is its own closing tag.
/// Comments, processing instructions and declarations are skipped; CDATA sections are read as text.
enum OFXSGMLTokenizer {
    /// Feeds the body starting at `start` (on line `startLine`) to `builder`; returns true when the input stops in
    /// the middle of a tag (truncated). The caller finishes the builder.
    static func run(
        _ bytes: UnsafeBufferPointer<UInt8>, start: Int, startLine: Int, decoder: OFXTextDecoder,
        into builder: inout OFXAggregateBuilder
    ) -> Bool {
        let n = bytes.count
        var i = start
        var line = startLine
        let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), slash = UInt8(ascii: "/"), newline = UInt8(ascii: "\n")

        /// Advances `from` to the next `<` (or the end), counting lines.
        func skipText(_ from: Int) -> Int {
            var j = from
            while j < n {
                let byte = bytes[j]
                if byte == lt { break }
                if byte == newline { line += 1 }
                j += 1
            }
            return j
        }
        /// The index just past `terminator` at or after `from`, or nil; counts lines.
        func find(_ terminator: [UInt8], from: Int) -> Int? {
            var j = from
            guard let first = terminator.first else { return from }
            while j < n {
                let byte = bytes[j]
                if byte == newline { line += 1 }
                if byte == first, j + terminator.count <= n {
                    var match = true
                    for (k, t) in terminator.enumerated() where bytes[j + k] != t {
                        match = false
                        break
                    }
                    if match {
                        for k in 1..<terminator.count where bytes[j + k] == newline { line += 1 }
                        return j + terminator.count
                    }
                }
                j += 1
            }
            return nil
        }
        func starts(with prefix: [UInt8], at j: Int) -> Bool {
            guard j + prefix.count <= n else { return false }
            for (k, p) in prefix.enumerated() where bytes[j + k] != p { return false }
            return true
        }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        func upper(_ byte: UInt8) -> UInt8 { byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte }
        /// If `</name>` (any case, optional spaces before `>`) is at `j`, the index after it.
        func closer(of name: Range<Int>, at j: Int) -> Int? {
            guard j + 2 + name.count < n + 1, j + 1 < n, bytes[j] == lt, bytes[j + 1] == slash else { return nil }
            var k = j + 2
            for m in name {
                guard k < n, upper(bytes[k]) == upper(bytes[m]) else { return nil }
                k += 1
            }
            while k < n, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
            guard k < n, bytes[k] == gt else { return nil }
            return k + 1
        }
        func trimmed(_ range: Range<Int>) -> Range<Int> {
            var lo = range.lowerBound, hi = range.upperBound
            while lo < hi, isSpace(bytes[lo]) { lo += 1 }
            while hi > lo, isSpace(bytes[hi - 1]) { hi -= 1 }
            return lo..<hi
        }
        func name(_ range: Range<Int>) -> String {
            var lower = false
            for j in range where bytes[j] >= 0x61 && bytes[j] <= 0x7A { lower = true }
            if !lower { return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
            return String(decoding: range.map { upper(bytes[$0]) }, as: UTF8.self)
        }
        let cdataOpen = Array("<![CDATA[".utf8), cdataClose = Array("]]>".utf8)

        while true {
            i = skipText(i)
            guard i < n else { break }
            let tagLine = line
            guard i + 1 < n else {
                return true
            }
            let second = bytes[i + 1]
            if second == UInt8(ascii: "!") || second == UInt8(ascii: "?") {
                let terminator: [UInt8] =
                    starts(with: Array("<!--".utf8), at: i)
                    ? Array("-->".utf8) : starts(with: cdataOpen, at: i) ? cdataClose : [gt]
                guard let after = find(terminator, from: i + 2) else {
                    return true
                }
                i = after
                continue
            }
            let closing = second == slash
            let nameStart = closing ? i + 2 : i + 1
            var j = nameStart
            while j < n, bytes[j] != gt, bytes[j] != lt, !isSpace(bytes[j]) { j += 1 }
            let nameRange = nameStart..<j
            // The rest of the tag up to `>` (attributes are not part of OFX; they are ignored).
            while j < n, bytes[j] != gt, bytes[j] != lt {
                if bytes[j] == newline { line += 1 }
                j += 1
            }
            guard j < n, bytes[j] == gt else {
                if j >= n {
                    return true
                }
                i = j  // a `<` inside a tag: drop the broken tag
                continue
            }
            i = j + 1
            guard !nameRange.isEmpty else { continue }
            let tagName = name(nameRange)
            if closing {
                builder.close(tagName, line: tagLine)
                continue
            }
            // An opening tag: what follows decides between leaf and aggregate.
            let textStart = i
            var q = skipText(i)
            var value = trimmed(textStart..<q)
            var text: String?
            if value.isEmpty, starts(with: cdataOpen, at: q) {
                let contentStart = q + cdataOpen.count
                guard let after = find(cdataClose, from: contentStart) else {
                    return true
                }
                text = decoder.decode(bytes, trimmed(contentStart..<(after - cdataClose.count)))
                q = skipText(after)
                value = q..<q
            }
            if text != nil || !value.isEmpty {
                builder.leaf(tagName, text ?? decoder.decode(bytes, value), line: tagLine)
                i = closer(of: nameRange, at: q) ?? q
            } else if let after = closer(of: nameRange, at: q) {
                builder.leaf(tagName, "", line: tagLine)
                i = after
            } else {
                builder.open(tagName, line: tagLine)
                i = q
            }
        }
        return false
    }
}
