import FinDocCore
import FinDocIngest

/// How a batch ingest reads its inputs.
public struct IngestOptions: Sendable {
    /// The format to read every file as, or nil to sniff each file's content.
    public var format: DocumentFormat?
    /// CSV settings (profile, account, currency, date order).
    public var csv: CSVOptions
    /// User profiles, consulted before the shipped ones when auto-selecting.
    public var extraProfiles: [CSVProfile]
    /// Read and report, but write nothing.
    public var dryRun: Bool
    /// Reject a whole file when any of its records is rejected or anything is warned about.
    public var strict: Bool
    /// XSDs to validate e-invoices against (`--validate`); nil to skip.
    public var invoiceSchemas: InvoiceSchemas?
    /// ISO 20022 XSDs to validate camt files against (`--validate`, when the user supplies them); nil to skip.
    public var camtSchemas: CAMTSchemas?
    /// Statement files of at least this many bytes go to the store in chunks (4 MiB): camt is then read from disk
    /// as it is stored, never held whole; CSV, MT940 and OFX 1.x are held whole but converted while their first
    /// rows are stored; other formats are read whole and their keys and JSON built while stored. Why 4 MiB: a
    /// 15.6 MB OFX 1.x file of 100,000 transactions took 1.45-1.67 s whole and 1.17-1.35 s streamed, a 5.1 MB
    /// card CSV 0.92-0.94 s and 0.74-0.79 s; below a few MB the read is too short for the overlap to matter.
    public var streamingThreshold = 4 << 20

    /// Creates options.
    public init(
        format: DocumentFormat? = nil, csv: CSVOptions = CSVOptions(), extraProfiles: [CSVProfile] = [],
        dryRun: Bool = false, strict: Bool = false
    ) {
        self.format = format
        self.csv = csv
        self.extraProfiles = extraProfiles
        self.dryRun = dryRun
        self.strict = strict
    }
}
