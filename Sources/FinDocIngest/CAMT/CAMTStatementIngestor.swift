import FinDocCore
import FinDocXML

/// Reads ISO 20022 camt.052 account reports, camt.053 statements and camt.054 debit/credit notifications, versions
/// 001.01 to 001.13, streamed through libxml2's SAX2 parser (`XMLEventReader`): memory holds one entry at a time
/// (plus the transactions read), never a tree of the whole file.
///
/// Choices made where camt leaves room:
/// - one `StatementInfo` per `Rpt` / `Stmt` / `Ntfctn`; account = `Acct/Id/IBAN`, else `Acct/Id/Othr/Id`.
/// - opening balance = `OPBD`, else `PRCD`; closing = `CLBD`; every balance, these and the others (`ITBD`, `CLAV`,
///   …), is also in `StatementInfo.balances` with its type code.
///   Opening + booked entries ≠ closing gives a `camt.balance` warning naming the statement.
/// - amount = `Amt` in its `Ccy`, negative for `DBIT`; `RvslInd` is kept as a raw field (the indicator already says
///   which way the reversal went). Status `BOOK` → booked, `PDNG` (and `FUTR`) → pending, `INFO` → info, in both the
///   `<Sts>BOOK</Sts>` and `<Sts><Cd>BOOK</Cd></Sts>` forms.
/// - booking date = `BookgDt` (`Dt` or the date of `DtTm`, as written), else the value date, else the creation
///   date (with a note).
/// - an entry with several `TxDtls` (a batch) becomes one transaction per detail with the detail's amount
///   (`Amt`, else `AmtDtls/TxAmt/Amt`) and indicator; when a detail has no amount, or the details do not add up to
///   the entry, it stays one transaction at the entry amount with a `camt.batch` warning and every detail in its raw
///   fields. One or no `TxDtls` gives one transaction at the entry amount.
/// - description = `RmtInf/Ustrd` (joined), else `AddtlTxInf`, else `AddtlNtryInf`; payee = the creditor for money
///   out, the debtor for money in; reference = `RmtInf/Strd/CdtrRefInf/Ref`, else `EndToEndId`.
/// - bank id = the detail's `Refs/AcctSvcrRef`, else the entry's `AcctSvcrRef` (with `#n` for the n-th detail of a
///   batch); without either, the content key is used.
/// - every leaf becomes a raw field named by its path (`BookgDt/Dt`, `TxDtls/Refs/EndToEndId`, `Amt@Ccy`); each
///   transaction's location is its line and an XPath such as `/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]`.
public struct CAMTStatementIngestor: Sendable {
    /// The account identifier to use for every transaction instead of the file's, when set.
    public var account: String?
    /// The XSDs to validate documents read from memory against (`--validate`); nil to skip schema validation.
    public var schemas: CAMTSchemas?

    /// Creates an ingestor; `account` overrides the account identification found in the file.
    public init(account: String? = nil, schemas: CAMTSchemas? = nil) {
        self.account = account
        self.schemas = schemas
    }

    /// True when the first 4 KiB name a camt namespace (`urn:iso:std:iso:20022:tech:xsd:camt.`), whatever the
    /// version: an unsupported version is then reported by `read` with its location, not mistaken for CSV.
    public static func looksLike(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(4096)
        let needle = Array(CAMTMessageKind.namespacePrefix.utf8)
        guard head.count >= needle.count else { return false }
        var i = head.startIndex
        while i + needle.count <= head.endIndex {
            if head[i] == needle[0], head[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// Reads a whole camt document held in memory (not copied). Never throws and never traps:
    /// problems become located `camt.*` diagnostics. `path` names the file in diagnostics.
    public func read(_ bytes: [UInt8], path: String) -> StatementDocument {
        var parser = CAMTParser(path: path, accountOverride: account)
        var document: StatementDocument
        do throws(XMLError) {
            document = parser.run(try XMLEventReader(bytes: bytes, url: path))
        } catch {
            return Self.unopenable(error, path: path)
        }
        if let schemas, !document.unreadable {
            document.diagnostics += Self.validate(bytes, path: path, schemas: schemas)
        }
        return document
    }

    /// Reads the camt file at `path`, streaming it from disk in small chunks: the file is never held in memory.
    public func read(fileAt path: String) -> StatementDocument {
        var parser = CAMTParser(path: path, accountOverride: account)
        do throws(XMLError) {
            let reader = try XMLEventReader(fileAt: path)
            return parser.run(reader)
        } catch {
            return Self.unopenable(error, path: path)
        }
    }

    /// Streams the camt file at `path` and hands each transaction to `each` as soon as its entry is read, keeping
    /// none: memory stays flat whatever the file's size. Once `each` answers false (nobody wants more) the read
    /// stops, and the rest of the file is neither parsed nor reported. The returned document has the statements and
    /// diagnostics, and no transactions.
    public func stream(fileAt path: String, _ each: @escaping (Transaction) -> Bool) -> StatementDocument {
        var parser = CAMTParser(path: path, accountOverride: account)
        parser.sink = each
        do throws(XMLError) {
            let reader = try XMLEventReader(fileAt: path)
            return parser.run(reader)
        } catch {
            return Self.unopenable(error, path: path)
        }
    }

    /// Schema-validity problems of `bytes` as located `camt.xsd` errors (at most 20), or a note when no XSD of the
    /// file's version is loaded. Validation streams the bytes a second time through libxml2's reader: memory stays
    /// flat, at roughly the cost of one more parse.
    static func validate(_ bytes: [UInt8], path: String, schemas: CAMTSchemas) -> [Diagnostic] {
        guard let namespace = CAMTSchemas.namespace(bytes) else { return [] }
        guard let schema = schemas.schema(namespace: namespace) else {
            return [
                Diagnostic(
                    .note, code: "camt.xsd",
                    message: "not validated: no XSD for \(namespace) in \(schemas.directory) (loaded: "
                        + "\(schemas.versions.joined(separator: ", ")))", location: SourceLocation(file: path))
            ]
        }
        let name = String(schema.path.split(separator: "/").last ?? "")
        return schema.validate(streaming: bytes, url: path, limit: 20).map { error in
            var diagnostic = error.diagnostic(file: path, code: "camt.xsd")
            diagnostic.message = "does not conform to \(name): \(error.message)"
            return diagnostic
        }
    }

    private static func unopenable(_ error: XMLError, path: String) -> StatementDocument {
        var diagnostic = error.diagnostic(file: path, code: "camt.xml")
        diagnostic.message = error.message
        return StatementDocument(format: .camt, diagnostics: [diagnostic], unreadable: true)
    }
}
