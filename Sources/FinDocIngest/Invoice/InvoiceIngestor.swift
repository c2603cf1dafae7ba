import FinDocCore
import FinDocXML

/// Reads an electronic invoice — UBL 2.1 `Invoice`/`CreditNote` or UN/CEFACT `CrossIndustryInvoice` — into the
/// EN 16931 model and checks it (`InvoiceRules`).
///
/// The syntax is decided by the root element and its namespace, never by prefixes or file names. ZUGFeRD 1.0
/// (`CrossIndustryDocument`) is recognised and refused with a clear message. Never throws and never traps:
/// malformed XML, a truncated file or an entity bomb give a located `invoice.xml` error, anything that is not an
/// invoice an `invoice.notInvoice` error, and in every such case `InvoiceDocument.invoice` is nil.
public struct InvoiceIngestor: Sendable {
    /// The namespace of UBL 2.1 invoices.
    public static let ublInvoiceNamespace = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    /// The namespace of UBL 2.1 credit notes.
    public static let ublCreditNoteNamespace = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
    /// The namespace of the CII D16B root (`rsm:`).
    public static let ciiNamespace = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"

    /// Whether to run the EN 16931 rules (on by default).
    public var checkRules: Bool
    /// The XSDs to validate against (`--validate`); nil to skip schema validation.
    public var schemas: InvoiceSchemas?

    /// Creates an ingestor.
    public init(checkRules: Bool = true, schemas: InvoiceSchemas? = nil) {
        self.checkRules = checkRules
        self.schemas = schemas
    }

    /// The syntax a root element announces.
    public enum RootKind: Sendable, Hashable {
        /// A UBL `Invoice`.
        case ublInvoice
        /// A UBL `CreditNote`.
        case ublCreditNote
        /// A CII `CrossIndustryInvoice`.
        case cii
        /// ZUGFeRD 1.0 `CrossIndustryDocument`: recognised, not read.
        case zugferd1
        /// Anything else.
        case other
    }

    /// Classifies a root element by local name and namespace.
    public static func kind(localName: String, namespaceURI: String?) -> RootKind {
        switch (localName, namespaceURI) {
        case ("Invoice", ublInvoiceNamespace): .ublInvoice
        case ("CreditNote", ublCreditNoteNamespace): .ublCreditNote
        case ("CrossIndustryInvoice", ciiNamespace): .cii
        case ("CrossIndustryDocument", _): .zugferd1
        default: .other
        }
    }

    /// Reads one file's bytes.
    public func read(_ bytes: [UInt8], path: String) -> InvoiceDocument {
        let tree: XMLTree
        var schemaDiagnostics: [Diagnostic] = []
        do {
            let schemas = self.schemas
            let profile = schemas == nil ? nil : InvoiceSchemas.reducedProfile(bytes)
            // Without validation the tree is built from libxml2's events (faster); XSD validation needs libxml2's
            // own tree.
            let parsed =
                schemas == nil
                ? (tree: try XMLTree.parse(bytes, url: path), schemaErrors: [])
                : try XMLTree.parse(bytes, url: path) { localName, namespaceURI in
                    schemas?.schema(localName: localName, namespaceURI: namespaceURI, profile: profile)
                }
            tree = parsed.tree
            for error in parsed.schemaErrors {
                schemaDiagnostics.append(
                    Diagnostic(
                        .error, code: "invoice.xsd", message: "schema: \(error.message)",
                        location: SourceLocation(file: path, line: error.line)))
            }
        } catch {
            var diagnostic = error.diagnostic(file: path, code: "invoice.xml")
            diagnostic.message += "; expected a well-formed UBL or CII invoice"
            return InvoiceDocument(format: Self.guessedFormat(bytes), invoice: nil, diagnostics: [diagnostic])
        }
        let root = tree.root
        let location = SourceLocation(file: path, line: root.line > 0 ? root.line : nil, xpath: root.xpath)
        let invoice: Invoice
        var fieldDiagnostics: [Diagnostic]
        let format: DocumentFormat
        switch Self.kind(localName: root.localName, namespaceURI: root.namespaceURI) {
        case .ublInvoice, .ublCreditNote:
            var reader = UBLInvoiceReader(path: path)
            invoice = reader.read(root, creditNote: root.localName == "CreditNote")
            fieldDiagnostics = reader.fields.diagnostics
            format = .ubl
        case .cii:
            var reader = CIIInvoiceReader(path: path)
            invoice = reader.read(root)
            fieldDiagnostics = reader.fields.diagnostics
            format = .cii
        case .zugferd1:
            return InvoiceDocument(
                format: .cii, invoice: nil,
                diagnostics: [
                    Diagnostic(
                        .error, code: "invoice.unsupported",
                        message: "this is a ZUGFeRD 1.0 invoice (CrossIndustryDocument), which findoc does not "
                            + "read; supported: UBL 2.1 Invoice/CreditNote and CII CrossIndustryInvoice (ZUGFeRD 2.x, "
                            + "Factur-X, XRechnung)", location: location)
                ])
        case .other:
            let namespace = root.namespaceURI.map { " in namespace \($0)" } ?? " without a namespace"
            return InvoiceDocument(
                format: Self.guessedFormat(bytes), invoice: nil,
                diagnostics: [
                    Diagnostic(
                        .error, code: "invoice.notInvoice",
                        message: "the root element is \(root.localName)\(namespace); expected a UBL 2.1 Invoice or "
                            + "CreditNote, or a CII CrossIndustryInvoice", location: location)
                ])
        }
        fieldDiagnostics = schemaDiagnostics + fieldDiagnostics
        if checkRules { fieldDiagnostics += InvoiceRules.check(invoice, path: path) }
        return InvoiceDocument(format: format, invoice: invoice, diagnostics: fieldDiagnostics)
    }

    /// CII when the first bytes mention a CII root, else UBL: the format to record for a file that is no invoice.
    private static func guessedFormat(_ bytes: [UInt8]) -> DocumentFormat {
        let needle = Array("CrossIndustry".utf8)
        let head = Array(bytes.prefix(4096))
        guard head.count >= needle.count else { return .ubl }
        for start in 0...(head.count - needle.count) where head[start..<(start + needle.count)].elementsEqual(needle) {
            return .cii
        }
        return .ubl
    }
}
