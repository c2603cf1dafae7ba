/// Whether a bank has booked a transaction or only reports it as pending or informational.
public enum BookingStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// Booked on the account (camt BOOK, OFX posted transactions, CSV exports by default).
    case booked
    /// Not yet booked; may be replaced by a booked twin later (camt PDNG, "pending" in card exports).
    case pending
    /// Reported for information only (camt INFO).
    case info
}
