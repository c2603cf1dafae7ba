import FinDocCore
@testable import FinDocIngest

/// Helpers for the invoice tests: where the shared invoice data lies, and an independent byte-level reading of a
/// document (tag counts and raw element texts) to check the ingestors against.
enum InvoiceTestSupport {
    /// `../shared/data` next to the repository.
    static let sharedData = TestSupport.repositoryRoot + "/../shared/data"

    /// Every invoice-like XML file of the shared data sets (schemas left out), sorted.
    static func sharedInvoiceFiles() -> [String] {
        var out: [String] = []
        for set in ["invoices_peppol_bis3", "invoices_xrechnung_testsuite", "invoices_facturx_akretion", "invoices_mustangproject"] {
            walk(sharedData + "/" + set, into: &out)
        }
        return out.sorted()
    }

    static func walk(_ folder: String, into out: inout [String]) {
        guard let names = TestSupport.listDirectory(folder) else { return }
        for name in names where name != "xsd" {
            let path = folder + "/" + name
            if name.hasSuffix(".xml") {
                out.append(path)
            } else if !name.contains(".") {
                walk(path, into: &out)
            }
        }
    }

    /// Reads a file with the ingestor.
    static func ingest(_ path: String) -> InvoiceDocument? {
        guard let bytes = TestSupport.readFile(path) else { return nil }
        return InvoiceIngestor().read(bytes, path: path)
    }

    /// The start tags of the document as (local name, text up to the next `<`), found by scanning bytes: an
    /// independent reading that shares nothing with libxml2 or our readers. Comments and CDATA are skipped.
    static func startTags(_ bytes: [UInt8]) -> [(name: String, text: String)] {
        var out: [(String, String)] = []
        var i = 0
        let n = bytes.count
        while i < n {
            guard bytes[i] == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            if i + 3 < n, bytes[i + 1] == UInt8(ascii: "!") {
                // Skip a comment or CDATA section to its end.
                let end: [UInt8] = bytes[i + 2] == UInt8(ascii: "-") ? Array("-->".utf8) : Array("]]>".utf8)
                var j = i + 2
                while j + end.count <= n, !bytes[j..<(j + end.count)].elementsEqual(end) { j += 1 }
                i = j + end.count
                continue
            }
            if i + 1 < n, bytes[i + 1] == UInt8(ascii: "/") || bytes[i + 1] == UInt8(ascii: "?") {
                i += 1
                continue
            }
            var j = i + 1
            while j < n, ![UInt8(ascii: " "), UInt8(ascii: ">"), UInt8(ascii: "/"), 0x0A, 0x0D, 0x09].contains(bytes[j]) {
                j += 1
            }
            var name = String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
            if let colon = name.lastIndex(of: ":") { name = String(name[name.index(after: colon)...]) }
            var k = j
            while k < n, bytes[k] != UInt8(ascii: ">") { k += 1 }
            let selfClosing = k > 0 && bytes[k - 1] == UInt8(ascii: "/")
            var m = k + 1
            while m < n, bytes[m] != UInt8(ascii: "<") { m += 1 }
            let text = selfClosing || k + 1 > n ? "" : String(decoding: bytes[min(k + 1, n)..<min(m, n)], as: UTF8.self)
            out.append((name, text.trimmingASCIIWhitespace().description))
            i = k
        }
        return out
    }
}
