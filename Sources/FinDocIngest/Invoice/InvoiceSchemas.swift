import FinDocCore
import FinDocXML
import Foundation

/// The XML Schemas that `--validate` checks invoices against, compiled once per batch and shared by all files:
/// UBL 2.1 Invoice and CreditNote, and CII: Factur-X EXTENDED (the widest D16B subset available) for every CII
/// document except those of the line-less MINIMUM and BASIC WL profiles, which get their own schemas (see
/// `Schemas/xsd/ATTRIBUTION.md`).
public final class InvoiceSchemas: Sendable {
    /// UBL 2.1 `Invoice`.
    public let ublInvoice: XMLSchema
    /// UBL 2.1 `CreditNote`.
    public let ublCreditNote: XMLSchema
    /// CII `CrossIndustryInvoice` (Factur-X EXTENDED).
    public let cii: XMLSchema
    /// CII of the Factur-X / ZUGFeRD MINIMUM profile.
    public let ciiMinimum: XMLSchema
    /// CII of the Factur-X / ZUGFeRD BASIC WL profile.
    public let ciiBasicWL: XMLSchema

    /// Loads the schemas from a folder laid out as the repository's `Schemas/xsd`.
    ///
    /// - Throws: `XMLError` naming the file when one is missing or does not compile.
    public init(directory: String) throws(XMLError) {
        ublInvoice = try XMLSchema(path: directory + "/ubl-2.1/maindoc/UBL-Invoice-2.1.xsd")
        ublCreditNote = try XMLSchema(path: directory + "/ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd")
        cii = try XMLSchema(path: directory + "/cii-facturx-extended/Factur-X_EXTENDED.xsd")
        ciiMinimum = try XMLSchema(path: directory + "/cii-facturx-minimum/Factur-X_MINIMUM.xsd")
        ciiBasicWL = try XMLSchema(path: directory + "/cii-facturx-basicwl/Factur-X_BASICWL.xsd")
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

    /// The schema for a root element, by local name and namespace; for CII, `profile` is the reduced profile
    /// named in the document's guideline id (`minimum`, `basicwl`), if any.
    func schema(localName: String, namespaceURI: String?, profile: String?) -> XMLSchema? {
        switch InvoiceIngestor.kind(localName: localName, namespaceURI: namespaceURI) {
        case .ublInvoice: ublInvoice
        case .ublCreditNote: ublCreditNote
        case .cii: profile == "minimum" ? ciiMinimum : profile == "basicwl" ? ciiBasicWL : cii
        case .zugferd1, .other: nil
        }
    }

    /// The reduced CII profile a document names in its first bytes (`…:minimum`, `…:basicwl` in the guideline id,
    /// which comes first in a CII document), or nil.
    static func reducedProfile(_ bytes: [UInt8]) -> String? {
        let head = Array(bytes.prefix(4096))
        for profile in ["minimum", "basicwl"] {
            for prefix in ["urn:factur-x.eu:1p0:", "urn:zugferd.de:2p0:"] {
                let needle = Array((prefix + profile).utf8)
                guard head.count >= needle.count else { continue }
                for start in 0...(head.count - needle.count)
                where head[start] == needle[0] && head[start..<(start + needle.count)].elementsEqual(needle) {
                    return profile
                }
            }
        }
        return nil
    }
}
