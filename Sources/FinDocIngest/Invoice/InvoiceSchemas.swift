import FinDocCore
import FinDocXML
import Foundation

/// The XML Schemas that `--validate` checks invoices against, compiled once per batch and shared by all files:
/// UBL 2.1 Invoice and CreditNote, and CII (Factur-X EXTENDED, the widest D16B subset available; see
/// `Schemas/xsd/ATTRIBUTION.md`).
public final class InvoiceSchemas: Sendable {
    /// UBL 2.1 `Invoice`.
    public let ublInvoice: XMLSchema
    /// UBL 2.1 `CreditNote`.
    public let ublCreditNote: XMLSchema
    /// CII `CrossIndustryInvoice`.
    public let cii: XMLSchema

    /// Loads the schemas from a folder laid out as the repository's `Schemas/xsd`.
    ///
    /// - Throws: `XMLError` naming the file when one is missing or does not compile.
    public init(directory: String) throws(XMLError) {
        ublInvoice = try XMLSchema(path: directory + "/ubl-2.1/maindoc/UBL-Invoice-2.1.xsd")
        ublCreditNote = try XMLSchema(path: directory + "/ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd")
        cii = try XMLSchema(path: directory + "/cii-facturx-extended/Factur-X_EXTENDED.xsd")
    }

    /// Where the schemas are: `$FINDOC_SCHEMAS`, else `Schemas/xsd` under the current folder, else the repository
    /// the executable was built in (`.build/<config>/findoc` → `Schemas/xsd`); nil when none exists.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executablePath: String = CommandLine.arguments.first ?? ""
    ) -> String? {
        var candidates: [String] = []
        if let explicit = environment["FINDOC_SCHEMAS"], !explicit.isEmpty { candidates.append(explicit) }
        candidates.append(FileManager.default.currentDirectoryPath + "/Schemas/xsd")
        let executable = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.path + "/Schemas/xsd")
            folder = folder.deletingLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/ubl-2.1/maindoc/UBL-Invoice-2.1.xsd") }
    }

    /// The schema for a root element, by local name and namespace.
    func schema(localName: String, namespaceURI: String?) -> XMLSchema? {
        switch InvoiceIngestor.kind(localName: localName, namespaceURI: namespaceURI) {
        case .ublInvoice: ublInvoice
        case .ublCreditNote: ublCreditNote
        case .cii: cii
        case .zugferd1, .other: nil
        }
    }
}
