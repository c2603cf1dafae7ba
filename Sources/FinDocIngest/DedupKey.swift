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
                // Built as bytes, like the content key below: four `String` appends cost 2,600 instructions a row.
                var bytes: [UInt8] = []
                bytes.reserveCapacity(transaction.account.utf8.count + bankID.utf8.count + 12)
                bytes.append(contentsOf: transaction.account.utf8)
                bytes.append(0x01)
                let baseStart = bytes.count
                bytes.append(UInt8(ascii: "b"))
                if transaction.status != .booked { bytes.append(contentsOf: transaction.status.rawValue.utf8.prefix(1)) }
                bytes.append(UInt8(ascii: ":"))
                bytes.append(contentsOf: bankID.utf8)
                let n = Self.count(&occurrences[String(decoding: bytes, as: UTF8.self), default: 0])
                if n > 1 {
                    bytes.append(UInt8(ascii: "#"))
                    bytes.append(contentsOf: String(n).utf8)
                }
                return String(decoding: bytes[baseStart...], as: UTF8.self)
            }
            // Built as bytes and made into strings once: eleven `String` appends cost 5,500 instructions a key in
            // callgrind (200,000-row CSV), more than the rest of the key.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(transaction.account.utf8.count + transaction.description.utf8.count + 48)
            bytes.append(contentsOf: transaction.account.utf8)
            bytes.append(0x01)
            let baseStart = bytes.count
            bytes.append(contentsOf: "c:".utf8)
            transaction.bookingDate.withISOBytes { bytes.append(contentsOf: $0) }
            bytes.append(UInt8(ascii: "|"))
            bytes.append(contentsOf: String(transaction.amount.minorUnits).utf8)
            bytes.append(UInt8(ascii: "|"))
            bytes.append(contentsOf: transaction.amount.currency.code.utf8)
            bytes.append(UInt8(ascii: "|"))
            DedupKey.appendNormalisedText(transaction, to: &bytes)
            let n = Self.count(&occurrences[String(decoding: bytes, as: UTF8.self), default: 0])
            bytes.append(UInt8(ascii: "|"))
            bytes.append(contentsOf: String(n).utf8)
            return String(decoding: bytes[baseStart...], as: UTF8.self)
        }

        /// Adds one to `occurrences` and returns it. Taking the dictionary slot `inout` hashes the (long) scope
        /// string once; reading and then writing it hashed it twice, a third of the key's cost in callgrind.
        private static func count(_ occurrences: inout Int) -> Int {
            occurrences += 1
            return occurrences
        }
    }

    /// Appends description, payee and reference to `bytes`, lower-cased with runs of white space collapsed.
    ///
    /// Works on UTF-8 bytes with an ASCII fast path: this runs once per transaction, and going through Unicode
    /// scalar properties for plain ASCII text cost more than parsing the row (measured with perf on 200,000 rows).
    static func appendNormalisedText(_ transaction: Transaction, to bytes: inout [UInt8]) {
        let start = bytes.count
        var pendingSpace = false
        for part in [transaction.description, transaction.payee ?? "", transaction.reference ?? ""] where !part.isEmpty {
            if bytes.count > start { pendingSpace = true }
            var asciiOnly = true
            for byte in part.utf8 where byte >= 0x80 {
                asciiOnly = false
                break
            }
            if asciiOnly {
                for byte in part.utf8 {
                    if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                        pendingSpace = bytes.count > start
                        continue
                    }
                    if pendingSpace {
                        bytes.append(0x20)
                        pendingSpace = false
                    }
                    bytes.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                }
                continue
            }
            for scalar in part.unicodeScalars {
                if scalar.properties.isWhitespace {
                    pendingSpace = bytes.count > start
                    continue
                }
                if pendingSpace {
                    bytes.append(0x20)
                    pendingSpace = false
                }
                bytes.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
        }
    }
}
