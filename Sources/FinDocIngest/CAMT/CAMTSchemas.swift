import FinDocCore
import FinDocXML
import Foundation

/// The ISO 20022 camt XSDs that `--validate` checks camt files against, compiled once per batch and shared by all
/// files, one per message version (`camt.053.001.02.xsd` for namespace `urn:iso:std:iso:20022:tech:xsd:camt.053.001.02`).
///
/// findoc does not ship them: ISO 20022 publishes the schemas free of charge but under its own terms of use, not
/// under a licence this repository may redistribute. Users download the versions their banks send from
/// iso20022.org (or take them from their bank) into one folder and point `FINDOC_CAMT_SCHEMAS` at it, or put them in
/// `camt/` inside the invoice schema folder (`Schemas/xsd/camt`, or `$FINDOC_SCHEMAS/camt`).
public final class CAMTSchemas: Sendable {
    /// The folder the schemas were loaded from.
    public let directory: String
    private let schemas: [String: XMLSchema]

    /// Loads every `camt.05x.001.NN.xsd` in `directory`.
    ///
    /// - Throws: `XMLError` naming the file when one does not compile, or when the folder holds no camt XSD.
    public init(directory: String) throws(XMLError) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var schemas: [String: XMLSchema] = [:]
        for name in names.sorted() where Self.version(fileName: name) != nil {
            guard let version = Self.version(fileName: name) else { continue }
            schemas[version] = try XMLSchema(path: directory + "/" + name)
        }
        guard !schemas.isEmpty else {
            throw XMLError(message: "no camt XSD (camt.05x.001.NN.xsd) in \(directory)")
        }
        self.directory = directory
        self.schemas = schemas
    }

    /// The message versions loaded (`camt.053.001.02`, …), sorted.
    public var versions: [String] { schemas.keys.sorted() }

    /// The schema for a camt namespace (`urn:iso:std:iso:20022:tech:xsd:camt.053.001.02`), or nil.
    public func schema(namespace: String) -> XMLSchema? {
        guard namespace.hasPrefix(CAMTMessageKind.namespacePrefix) else { return nil }
        return schemas[String(namespace.dropFirst(CAMTMessageKind.namespacePrefix.count - "camt.".count))]
    }

    /// `camt.053.001.02` for `camt.053.001.02.xsd`; nil for other names.
    static func version(fileName: String) -> String? {
        guard fileName.hasPrefix("camt.05"), fileName.hasSuffix(".xsd") else { return nil }
        let version = String(fileName.dropLast(4))
        let parts = version.split(separator: ".")
        guard parts.count == 4, parts.dropFirst().allSatisfy({ $0.allSatisfy(\.isNumber) }) else { return nil }
        return version
    }

    /// Where the camt schemas are: `$FINDOC_CAMT_SCHEMAS`, else `camt/` in the invoice schema folder
    /// (`InvoiceSchemas.locate`); nil when no such folder holds a camt XSD.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executablePath: String = CommandLine.arguments.first ?? ""
    ) -> String? {
        var candidates: [String] = []
        if let explicit = environment["FINDOC_CAMT_SCHEMAS"], !explicit.isEmpty { candidates.append(explicit) }
        if let invoices = InvoiceSchemas.locate(environment: environment, executablePath: executablePath) {
            candidates.append(invoices + "/camt")
        }
        return candidates.first { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).contains { version(fileName: $0) != nil }
        }
    }

    /// The camt namespace the first 4 KiB declare, or nil.
    static func namespace(_ bytes: [UInt8]) -> String? {
        let head = Array(bytes.prefix(4096))
        let needle = Array(CAMTMessageKind.namespacePrefix.utf8)
        guard head.count >= needle.count else { return nil }
        for start in 0...(head.count - needle.count)
        where head[start] == needle[0] && head[start..<(start + needle.count)].elementsEqual(needle) {
            let end = head[start...].firstIndex { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") || $0 <= 0x20 }
            return String(decoding: head[start..<(end ?? head.endIndex)], as: UTF8.self)
        }
        return nil
    }
}
