import FinDocCore

/// The de-duplication keys of a document's transactions: the bank's id when the format has one, otherwise an
/// occurrence-aware content key.
///
/// Content key: `c:` + booking date | signed minor units | currency | normalised text | occurrence, where the
/// occurrence counts identical (account, date, amount, text) rows *within this file*. Re-reading the same rows gives
/// the same keys, so an overlapping export adds only its new rows, while two genuinely identical purchases in one
/// file get occurrences 1 and 2 and are both kept. Keys are readable text rather than hashes: they are short, exact
/// (no collisions) and can be inspected with `findoc sql`.
public enum DedupKey {
    /// One key per transaction, in order.
    public static func keys(for transactions: [Transaction]) -> [String] {
        var builder = Builder()
        builder.reserveCapacity(transactions.count)
        return transactions.map { builder.key(for: $0) }
    }

    /// Makes the keys of one document's transactions as they arrive, in file order: the same keys as
    /// `keys(for:)` on the whole list, for a document read in pieces (a statement streamed into the store).
    public struct Builder: Sendable {
        private var occurrences: [String: Int] = [:]

        /// Starts a document.
        public init() {}

        /// Makes room for `count` distinct keys.
        public mutating func reserveCapacity(_ count: Int) { occurrences.reserveCapacity(count) }

        /// The key of the next transaction of the document.
        public mutating func key(for transaction: Transaction) -> String {
            if let bankID = transaction.bankId, !bankID.isEmpty {
                // A bank id repeated inside one file (some banks reuse them) must not collapse distinct rows.
                // A pending or informational row keeps its own key space: when the bank books it later under the same
                // id, the booked row must be stored (and matched to it), not skipped as a duplicate.
                let base = (transaction.status == .booked ? "b:" : "b" + transaction.status.rawValue.prefix(1) + ":") + bankID
                let n = Self.count(&occurrences[transaction.account + "\u{1}" + base, default: 0])
                return n == 1 ? base : base + "#\(n)"
            }
            var base = "c:"
            base += transaction.bookingDate.iso
            base += "|"
            base += String(transaction.amount.minorUnits)
            base += "|"
            base += transaction.amount.currency.code
            base += "|"
            base += DedupKey.normalisedText(transaction)
            let n = Self.count(&occurrences[transaction.account + "\u{1}" + base, default: 0])
            return base + "|" + String(n)
        }

        /// Adds one to `occurrences` and returns it. Taking the dictionary slot `inout` hashes the (long) scope
        /// string once; reading and then writing it hashed it twice, a third of the key's cost in callgrind.
        private static func count(_ occurrences: inout Int) -> Int {
            occurrences += 1
            return occurrences
        }
    }

    /// Description, payee and reference, lower-cased with runs of white space collapsed.
    ///
    /// Works on UTF-8 bytes with an ASCII fast path: this runs once per transaction, and going through Unicode
    /// scalar properties for plain ASCII text cost more than parsing the row (measured with perf on 200,000 rows).
    static func normalisedText(_ transaction: Transaction) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(transaction.description.utf8.count + 8)
        var pendingSpace = false
        for part in [transaction.description, transaction.payee ?? "", transaction.reference ?? ""] where !part.isEmpty {
            if !out.isEmpty { pendingSpace = true }
            var asciiOnly = true
            for byte in part.utf8 where byte >= 0x80 {
                asciiOnly = false
                break
            }
            if asciiOnly {
                for byte in part.utf8 {
                    if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                        pendingSpace = !out.isEmpty
                        continue
                    }
                    if pendingSpace {
                        out.append(0x20)
                        pendingSpace = false
                    }
                    out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                }
                continue
            }
            for scalar in part.unicodeScalars {
                if scalar.properties.isWhitespace {
                    pendingSpace = !out.isEmpty
                    continue
                }
                if pendingSpace {
                    out.append(0x20)
                    pendingSpace = false
                }
                out.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
