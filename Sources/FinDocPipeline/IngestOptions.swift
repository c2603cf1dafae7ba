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
    /// Statement files of at least this many bytes go to the store in chunks (16 MiB): camt is then read from disk
    /// as it is stored, never held whole; CSV and MT940 are held whole but converted while their first rows are
    /// stored; other formats are read whole and their keys and JSON built while stored.
    public var streamingThreshold = 16 << 20

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
