import FinDocCore
import FinDocXML

/// Reads OFX/QFX statements: OFX 1.x (SGML, with its `OFXHEADER:100` header block) and OFX 2.x (XML).
///
/// Bank (`STMTRS`), credit-card (`CCSTMTRS`) and the cash side of investment (`INVSTMTRS`) statements, several per
/// file. Choices made where OFX leaves room:
/// - booking date = `DTPOSTED`; value date = `DTAVAIL` (when funds are available) when given; `DTUSER` stays a raw
///   field. Dates are taken as written: the time and `[-5:EST]` zone are not applied.
/// - amount = `TRNAMT` as written (decimal point or comma) in `CURDEF`; with a `CURRENCY` aggregate the amount is in
///   `CURSYM` and is converted at `CURRATE` (the written amount becomes `originalAmount`); with `ORIGCURRENCY` the
///   original amount is `TRNAMT ÷ CURRATE` in `CURSYM`. Conversions round half away from zero, and so does an
///   amount with more decimals than the currency has, with a warning at its line (the exact text stays a raw field).
/// - description = `MEMO`, else `NAME`; payee = `NAME` (else `PAYEE`'s `NAME`); reference = a non-zero
///   `CHECKNUM`, else `REFNUM`; bank id = `FITID`.
/// - account = `BANKID ACCTID` (or `ACCTID`), unless the `account` option overrides it.
/// - `LEDGERBAL` is the closing balance; it, `AVAILBAL` and `INVBAL/AVAILCASH` are in `StatementInfo.balances` with
///   their `DTASOF` dates. OFX gives no opening balance, so no balance check.
/// - investment statements: `INVBANKTRAN` transactions, and the `TOTAL` of income, buy, sell, margin-interest,
///   return-of-capital and expense transactions (booking date `DTTRADE`, value date `DTSETTLE`); positions,
///   reinvestments, transfers and the like are skipped with a note.
/// - raw fields: every leaf of the transaction aggregate, nested ones by path (`PAYEE/NAME`, `CURRENCY/CURRATE`).
/// - OFX 2.x that is not well-formed XML (common: unclosed leaf elements) is re-read leniently by the SGML
///   tokenizer; libxml2's message is then a warning, or an error when the lenient reading finds structural damage.
public struct OFXStatementIngestor: Sendable {
    /// The account identifier to use for every transaction instead of the file's, when set.
    public var account: String?

    /// Creates an ingestor; `account` overrides the account identifier found in the file.
    public init(account: String? = nil) {
        self.account = account
    }

    /// True when the bytes look like OFX: an `OFXHEADER:` header, an `<?OFX` processing instruction or an `<OFX>`
    /// element near the start.
    public static func looksLike(_ bytes: [UInt8]) -> Bool {
        if ByteSearch.startsAfterSpace(bytes, foldedPrefix: "ofxheader") { return true }
        return ByteSearch.contains(bytes, "<?ofx", limit: 4096, foldingCase: true)
            || ByteSearch.contains(bytes, "<ofx>", limit: 4096, foldingCase: true)
    }

    /// Reads one file's bytes. Never throws and never traps: problems become located diagnostics (`ofx.*`).
    public func read(_ bytes: [UInt8], path: String) -> StatementDocument {
        // Without a sink nothing is handed over, so the lenient re-reading is always possible.
        read(bytes, path: path, sink: nil) ?? StatementDocument(format: .ofx, unreadable: true)
    }

    /// Reads a file as `read` does, but hands each transaction to `each` in file order as it is read (see
    /// `OFXAggregateBuilder.sink`) and returns the document without its transactions.
    ///
    /// Nil when rows were handed over and the file then turned out to be OFX 2.x that is not well-formed XML: `read`
    /// reads such a file again from the start, leniently, so the rows handed over are not final. The caller drops
    /// them and reads the file whole. (Bad XML usually shows in the header, before any row; then the lenient
    /// reading streams as well.)
    public func stream(_ bytes: [UInt8], path: String, _ each: @escaping (Transaction) -> Void) -> StatementDocument? {
        guard var document = read(bytes, path: path, sink: each) else { return nil }
        // Rows kept back: any made before the <OFX> element was seen.
        for transaction in document.transactions { each(transaction) }
        document.transactions = []
        return document
    }

    /// The document, or nil when the XML failed after `sink` was given rows (see `stream`).
    private func read(_ bytes: [UInt8], path: String, sink: ((Transaction) -> Void)?) -> StatementDocument? {
        var input = bytes
        if input.starts(with: [0xFF, 0xFE]) || input.starts(with: [0xFE, 0xFF]) {
            if case .text(let utf8, _) = TextDecoding.decodeToUTF8(input) { input = utf8 }
        }
        guard Self.looksLike(input) else {
            return StatementDocument(
                format: .ofx,
                diagnostics: [
                    Diagnostic(
                        .error, code: "ofx.notOFX",
                        message: "this is not an OFX file: no OFXHEADER, <?OFX or <OFX> near the start",
                        location: SourceLocation(file: path, line: 1))
                ], unreadable: true)
        }
        let header = OFXHeader.parse(input)
        let decoder = OFXTextDecoder(utf8: header.utf8)
        let lines = OFXSourceLines(bytes: input, decoder: decoder)
        var builder = OFXAggregateBuilder(path: path, accountOverride: account, lines: lines)
        for note in header.notes {
            builder.append(Diagnostic(.note, code: "ofx.charset", message: note, location: SourceLocation(file: path)))
        }
        builder.sink = sink
        if header.isXML {
            if let error = readXML(input, path: path, into: &builder) {
                if builder.handedOver > 0 { return nil }
                var lenient = OFXAggregateBuilder(path: path, accountOverride: account, lines: lines)
                readSGML(input, start: 0, startLine: 1, decoder: decoder, lines: lines, into: &lenient)
                let severity: Diagnostic.Severity = lenient.structuralProblems > 0 ? .error : .warning
                var diagnostic = error.diagnostic(file: path, code: "ofx.xml", severity: severity)
                diagnostic.message += "; read leniently as OFX 1.x-style markup"
                diagnostic.sourceLine = error.line.flatMap(lines.text)
                builder = OFXAggregateBuilder(path: path, accountOverride: account, lines: lines)
                builder.sink = sink
                for note in header.notes {
                    builder.append(
                        Diagnostic(.note, code: "ofx.charset", message: note, location: SourceLocation(file: path)))
                }
                builder.append(diagnostic)
                readSGML(input, start: 0, startLine: 1, decoder: decoder, lines: lines, into: &builder)
            }
        } else {
            readSGML(input, start: header.bodyStart, startLine: header.bodyLine, decoder: decoder, lines: lines, into: &builder)
        }
        guard builder.sawOFX else {
            var diagnostics = builder.diagnostics
            diagnostics.append(
                Diagnostic(
                    .error, code: "ofx.notOFX", message: "no <OFX> element was found", location: SourceLocation(file: path)))
            return StatementDocument(format: .ofx, diagnostics: diagnostics, unreadable: true)
        }
        return StatementDocument(
            format: .ofx, statements: builder.statements, transactions: builder.transactions,
            diagnostics: builder.diagnostics, rejectedRecords: builder.rejected)
    }

    private func readSGML(
        _ bytes: [UInt8], start: Int, startLine: Int, decoder: OFXTextDecoder, lines: OFXSourceLines,
        into builder: inout OFXAggregateBuilder
    ) {
        let truncated = bytes.withUnsafeBufferPointer {
            OFXSGMLTokenizer.run($0, start: start, startLine: startLine, decoder: decoder, into: &builder)
        }
        builder.finish(endLine: lines.lastLine, truncatedTag: truncated)
    }

    /// Streams an OFX 2.x document through libxml2 (`XMLEventReader`); returns the XML error, if any (the builder is
    /// then incomplete).
    private func readXML(_ bytes: [UInt8], path: String, into builder: inout OFXAggregateBuilder) -> XMLError? {
        do {
            let reader = try XMLEventReader(bytes: bytes, url: path)
            // OFX names are matched upper-cased; each distinct name is upper-cased once, by the reader's name id.
            var upper: [String] = []
            func name() -> String {
                let id = reader.localNameID
                guard id >= 0 else { return "" }
                while upper.count <= id { upper.append(reader.name(ofID: upper.count).uppercased()) }
                return upper[id]
            }
            var pending: (name: String, line: Int)?
            var text = ""
            while try reader.next() {
                switch reader.kind {
                case .start:
                    if let open = pending { builder.open(open.name, line: open.line) }
                    pending = (name(), reader.line)
                    text = ""
                case .text:
                    if pending != nil { text += reader.text }
                case .end:
                    let name = name()
                    if let open = pending, open.name == name {
                        builder.leaf(name, String(text.trimmingASCIIWhitespace()), line: open.line)
                    } else {
                        if let open = pending { builder.open(open.name, line: open.line) }
                        builder.close(name, line: reader.line)
                    }
                    pending = nil
                case .entityReference: break
                }
            }
            builder.finish(endLine: reader.parserLine, truncatedTag: false)
            return nil
        } catch {
            return error
        }
    }
}

/// The OFX 1.x header block (`KEY:VALUE` lines before the body) or the 2.x XML prologue, and the character set.
struct OFXHeader {
    var isXML = false
    var bodyStart = 0
    var bodyLine = 1
    var utf8 = true
    var notes: [String] = []

    static func parse(_ bytes: [UInt8]) -> OFXHeader {
        var header = OFXHeader()
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        if bytes[i...].starts(with: Array("<?".utf8)) {
            header.isXML = true
        }
        var fields: [String: String] = [:]
        if !header.isXML {
            // KEY:VALUE lines up to the first `<`.
            let end = bytes[i...].firstIndex(of: UInt8(ascii: "<")) ?? bytes.count
            let block = String(decoding: bytes[i..<end], as: UTF8.self)
            for rawLine in block.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
                guard let colon = rawLine.firstIndex(of: ":") else { continue }
                let key = rawLine[..<colon].trimmingASCIIWhitespace().uppercased()
                fields[key] = String(rawLine[rawLine.index(after: colon)...].trimmingASCIIWhitespace()).uppercased()
            }
            header.bodyStart = end
            header.bodyLine = 1 + bytes[0..<end].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        let nonASCII = bytes.contains { $0 >= 0x80 }
        let validUTF8 = !nonASCII || bytes.withUnsafeBufferPointer { UTF8Encoding.isValid($0) }
        let charset = fields["CHARSET"] ?? ""
        let encoding = fields["ENCODING"] ?? ""
        let declaredSingleByte = ["1252", "WINDOWS-1252", "CP1252", "ISO-8859-1", "8859-1", "ISO8859-1", "LATIN1"]
            .contains(charset)
        if !nonASCII {
            header.utf8 = true
        } else if declaredSingleByte && !encoding.contains("UTF") {
            header.utf8 = validUTF8
            if validUTF8 { header.notes.append("CHARSET:\(charset) is declared, but the bytes are UTF-8; read as UTF-8") }
        } else {
            header.utf8 = validUTF8
            if !validUTF8 { header.notes.append("the text is not valid UTF-8; read as Windows-1252") }
        }
        return header
    }
}
