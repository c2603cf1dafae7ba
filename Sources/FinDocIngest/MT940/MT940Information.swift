import FinDocCore

/// What a `:86:` information field says: the free text, and the structured sub-fields when the bank uses the
/// German `?NN` layout (DFÜ-Abkommen) or the Dutch/ISO slash codes (`/EREF/…/NAME/…/REMI/…`).
struct MT940Information: Sendable {
    /// Remittance text, or the whole field as readable text when it is not structured.
    var description: String
    /// The counterparty's name, when the field names it.
    var payee: String?
    /// An end-to-end or customer reference from the field (EREF, KREF), when it has one.
    var reference: String?
    /// The parsed sub-fields by name (`?20`, `EREF`, `CNTP.name`, `postingCode` …).
    var fields: [RawField]

    /// The slash codes recognised in Dutch (Rabobank, ING, ABN AMRO) and other ISO-style `:86:` fields.
    static let slashCodes: Set<String> = [
        "EREF", "KREF", "MREF", "CRED", "REMI", "NAME", "IBAN", "BIC", "ORDP", "BENM", "CNTP", "TRTP", "MARF",
        "CSID", "PURP", "ADDR", "ISDT", "RTRN", "ULTC", "ULTD", "ULTB", "BUSP", "PREF", "IREF", "CHGS", "EXCH",
        "OCMT", "ORIG", "SVCL", "ACCW", "BENF", "RETN",
    ]

    /// The SEPA keywords German banks write inside `?20`–`?29`.
    static let sepaKeys: Set<String> = [
        "EREF", "KREF", "MREF", "CRED", "DEBT", "SVWZ", "ABWA", "ABWE", "IBAN", "COAM", "OAMT", "PURP",
    ]

    /// Parses the field from its lines (content after the tag, then continuation lines, without line ends).
    static func parse(lines: [ArraySlice<UInt8>]) -> MT940Information {
        // Banks wrap :86: at 65 characters wherever the limit falls, even inside a word, so structured content is
        // read from the lines glued together.
        let g: ArraySlice<UInt8>
        if lines.count == 1, let only = lines.first {
            g = MT940Bytes.trimmed(only)  // the common case needs no copy
        } else {
            var glued: [UInt8] = []
            for line in lines { glued.append(contentsOf: line) }
            g = MT940Bytes.trimmed(glued[...])
        }
        if let german = parseGerman(g) { return german }
        if let slash = parseSlashCodes(g) { return slash }
        return MT940Information(description: freeText(lines), payee: nil, reference: nil, fields: [])
    }

    /// Lines joined for reading: a line that filled the 65-character width is glued to the next (the wrap fell
    /// inside a word), a shorter one ends with a space; padding is collapsed.
    static func freeText(_ lines: [ArraySlice<UInt8>]) -> String {
        var joined: [UInt8] = []
        for (n, line) in lines.enumerated() {
            joined.append(contentsOf: line)
            if n + 1 < lines.count, line.count < 65 || line.last.map(MT940Bytes.isBlank) == true {
                joined.append(MT940Bytes.space)
            }
        }
        return MT940Bytes.collapsed(joined[...])
    }

    // MARK: German ?NN sub-fields

    private static func parseGerman(_ g: ArraySlice<UInt8>) -> MT940Information? {
        var i = g.startIndex
        var postingCode: String?
        if let _ = MT940Bytes.number(g, at: i, count: 3) {
            postingCode = MT940Bytes.string(g[i..<(i + 3)])
            i += 3
        }
        // The separator is `?` in the German standard; Triodos and a few others use `>`.
        guard i < g.endIndex else { return nil }
        let separator = g[i]
        guard separator == MT940Bytes.question || separator == UInt8(ascii: ">") else { return nil }
        guard isSubfieldStart(g, i, separator) else { return nil }
        // Arrays sized up front: growing them from empty, part by part, was a sixth of this function's cost.
        var parts: [(key: Int, value: ArraySlice<UInt8>)] = []
        parts.reserveCapacity(16)
        while i < g.endIndex {
            // isSubfieldStart holds here: at the start and after every value.
            let key = (Int(g[i + 1]) - 0x30) * 10 + Int(g[i + 2]) - 0x30
            var j = i + 3
            while j < g.endIndex, !isSubfieldStart(g, j, separator) { j += 1 }
            parts.append((key, g[(i + 3)..<j]))
            i = j
        }
        var fields: [RawField] = []
        fields.reserveCapacity(parts.count + 6)
        if let postingCode { fields.append(RawField(name: "postingCode", value: postingCode)) }
        var remittance: [ArraySlice<UInt8>] = []
        remittance.reserveCapacity(parts.count)
        var extraRemittance: [ArraySlice<UInt8>] = []
        var names: [ArraySlice<UInt8>] = []
        for part in parts {
            fields.append(RawField(name: subfieldNames[part.key], value: MT940Bytes.string(part.value)))
            switch part.key {
            case 20...29: remittance.append(part.value)
            case 60...63: extraRemittance.append(part.value)
            case 32, 33: names.append(part.value)
            default: break
            }
        }
        // SEPA keys are read within ?20–?29 and within ?60–?63 separately, so an EREF value at the end of ?2x does
        // not swallow the extension lines.
        let mainText = joinSubfields(remittance)
        let extraText = joinSubfields(extraRemittance)
        let remittanceText = [mainText, extraText].filter { !$0.isEmpty }.joined(separator: " ")
        let sepa = parseSEPAKeys(Array(mainText.utf8)[...]) + parseSEPAKeys(Array(extraText.utf8)[...])
        for (key, value) in sepa { fields.append(RawField(name: key, value: value)) }
        let sepaValue = { (key: String) in sepa.first(where: { $0.key == key })?.value }
        let payeeText = joinSubfields(names)
        let fallback = postingText(parts) ?? ""
        let description = sepaValue("SVWZ") ?? (remittanceText.isEmpty ? fallback : remittanceText)
        let reference = firstReference(sepaValue("EREF"), sepaValue("KREF"))
        return MT940Information(
            description: description, payee: payeeText.isEmpty ? nil : payeeText, reference: reference, fields: fields)
    }

    private static func postingText(_ parts: [(key: Int, value: ArraySlice<UInt8>)]) -> String? {
        guard let part = parts.first(where: { $0.key == 0 }) else { return nil }
        return MT940Bytes.trimmedString(part.value)
    }

    /// `?00` … `?99`, made once: a name built per sub-field cost an allocation each, and names that share storage
    /// compare by identity in `RawFieldsEncoder`, which checks every record's names against the shapes it knows.
    private static let subfieldNames: [String] = (0..<100).map { $0 < 10 ? "?0\($0)" : "?\($0)" }

    /// The separator followed by two digits.
    @inline(__always) private static func isSubfieldStart(_ g: ArraySlice<UInt8>, _ i: Int, _ separator: UInt8) -> Bool {
        i + 2 < g.endIndex && g[i] == separator && MT940Bytes.isDigit(g[i + 1])
            && MT940Bytes.isDigit(g[i + 2])
    }

    /// Sub-field values are at most 27 characters; a full one was cut mid-text and is glued to the next, a shorter
    /// one ended at a word boundary and gets a space.
    private static func joinSubfields(_ values: [ArraySlice<UInt8>]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(values.reduce(values.count) { $0 + $1.count })
        var glue = false
        for value in values {
            if !glue, let last = out.last, !MT940Bytes.isBlank(last) { out.append(MT940Bytes.space) }
            out.append(contentsOf: value)
            // Characters, not bytes: count the bytes that start a UTF-8 scalar.
            glue = value.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } >= 27
        }
        return MT940Bytes.collapsed(out[...])
    }

    /// `EREF+…`, `SVWZ+…` and the other SEPA keywords, in order, with trimmed values.
    private static func parseSEPAKeys(_ t: ArraySlice<UInt8>) -> [(key: String, value: String)] {
        var marks: [(key: String, start: Int, valueStart: Int)] = []
        var i = t.startIndex
        while i + 4 < t.endIndex {
            if t[i + 4] == MT940Bytes.plus, MT940Bytes.isUpper(t[i]), MT940Bytes.isUpper(t[i + 1]),
                MT940Bytes.isUpper(t[i + 2]), MT940Bytes.isUpper(t[i + 3]),
                i == t.startIndex || !MT940Bytes.isUpper(t[i - 1])
            {
                // The set's own copy of the key, so that raw-field names share storage (see `subfieldNames`).
                if let known = sepaKeys.firstIndex(of: MT940Bytes.string(t[i..<(i + 4)])) {
                    marks.append((sepaKeys[known], i, i + 5))
                    i += 5
                    continue
                }
            }
            i += 1
        }
        var result: [(key: String, value: String)] = []
        for (n, mark) in marks.enumerated() {
            let end = n + 1 < marks.count ? marks[n + 1].start : t.endIndex
            if let value = MT940Bytes.trimmedString(t[mark.valueStart..<end]) { result.append((mark.key, value)) }
        }
        return result
    }

    // MARK: slash codes

    private static func parseSlashCodes(_ g: ArraySlice<UInt8>) -> MT940Information? {
        var marks: [(code: String, start: Int, valueStart: Int)] = []
        var i = g.startIndex
        while i < g.endIndex {
            if g[i] == MT940Bytes.slash {
                var j = i + 1
                while j < g.endIndex, j - i <= 5, MT940Bytes.isUpper(g[j]) { j += 1 }
                if j - i >= 3, j < g.endIndex, g[j] == MT940Bytes.slash {
                    let code = MT940Bytes.string(g[(i + 1)..<j])
                    if slashCodes.contains(code) {
                        marks.append((code, i, j + 1))
                        i = j
                        continue
                    }
                }
            }
            i += 1
        }
        // Structured only when the field starts with a code, or names several: a lone "/NAME/" inside free text is
        // just text.
        guard let first = marks.first, first.start == g.startIndex || marks.count >= 2 else { return nil }
        var fields: [RawField] = []
        fields.reserveCapacity(marks.count + 4)
        // A short list, searched linearly: a handful of codes per field does not pay for hashing.
        var values: [(code: String, text: String)] = []
        var counterparty: ArraySlice<UInt8>?
        for (n, mark) in marks.enumerated() {
            let end = n + 1 < marks.count ? marks[n + 1].start : g.endIndex
            var value = g[mark.valueStart..<end]
            while let last = value.last, last == MT940Bytes.slash || MT940Bytes.isBlank(last) { value = value.dropLast() }
            let text = MT940Bytes.collapsed(value)
            fields.append(RawField(name: mark.code, value: text))
            if let existing = values.firstIndex(where: { $0.code == mark.code }) {
                if values[existing].text.isEmpty { values[existing].text = text }
            } else {
                values.append((mark.code, text))
            }
            if mark.code == "CNTP", counterparty == nil { counterparty = value }
        }
        let lookup = { (code: String) -> String? in values.first(where: { $0.code == code })?.text }
        var payee = lookup("NAME").flatMap { $0.isEmpty ? nil : $0 }
        if let counterparty {
            // CNTP is account/BIC/name/city.
            var part = 0
            var partStart = counterparty.startIndex
            var i = counterparty.startIndex
            while i <= counterparty.endIndex, part < Self.counterpartyLabels.count {
                if i == counterparty.endIndex || counterparty[i] == MT940Bytes.slash {
                    let piece = counterparty[partStart..<i]
                    if !piece.isEmpty {
                        let text = MT940Bytes.collapsed(piece)
                        fields.append(RawField(name: Self.counterpartyLabels[part], value: text))
                        if part == 2, payee == nil, !text.isEmpty { payee = text }
                    }
                    part += 1
                    partStart = i + 1
                }
                i += 1
            }
        }
        var remittance = lookup("REMI")
        if var r = remittance {
            // ABN AMRO and ING prefix unstructured remittance with USTD// and structured with STRD/CUR/.
            for prefix in Self.remittancePrefixes where r.hasPrefix(prefix) {
                r = String(r.dropFirst(prefix.count))
                break
            }
            remittance = r
        }
        let description = remittance.flatMap { $0.isEmpty ? nil : $0 } ?? MT940Bytes.collapsed(g)
        let reference = firstReference(lookup("EREF"), lookup("KREF"))
        return MT940Information(description: description, payee: payee, reference: reference, fields: fields)
    }

    /// Names of the four parts of a `/CNTP/` value.
    static let counterpartyLabels = ["CNTP.account", "CNTP.bic", "CNTP.name", "CNTP.city"]

    /// Prefixes ABN AMRO and ING put before `/REMI/` text.
    static let remittancePrefixes = ["USTD//", "USTD/", "STRD/CUR/", "STRD/ISO/", "STRD//"]

    /// The first of two candidates that is a real reference.
    static func firstReference(_ a: String?, _ b: String?) -> String? {
        if let a, isReference(a) { return a }
        if let b, isReference(b) { return b }
        return nil
    }

    /// A reference worth keeping: not empty and not one of the placeholders banks print for "none".
    static func isReference(_ text: String) -> Bool {
        !text.isEmpty && text != "NONREF" && text != "NOTPROVIDED" && text != "NONE"
    }
}
