/// Which ISO 20022 bank-to-customer cash-management message a camt document holds, and its schema version, read
/// from the XML namespace (`urn:iso:std:iso:20022:tech:xsd:camt.053.001.02`).
///
/// Versions 001.01 to 001.13 of camt.052 (account report), camt.053 (statement) and camt.054 (debit/credit
/// notification) are accepted: the elements findoc reads have kept their names and nesting across them (the few
/// moves, such as `Sts/Cd` from version 8 on, are handled where they are read).
public struct CAMTMessageKind: Hashable, Sendable, CustomStringConvertible {
    /// The three message types.
    public enum Message: String, Sendable, Hashable, CaseIterable {
        /// camt.052 BankToCustomerAccountReport: intraday reports, often with pending entries.
        case report = "052"
        /// camt.053 BankToCustomerStatement: the end-of-day statement.
        case statement = "053"
        /// camt.054 BankToCustomerDebitCreditNotification: single bookings or batches, as they happen.
        case notification = "054"

        /// The message element under `Document` (`BkToCstmrStmt`, …).
        public var rootElement: String {
            switch self {
            case .report: "BkToCstmrAcctRpt"
            case .statement: "BkToCstmrStmt"
            case .notification: "BkToCstmrDbtCdtNtfctn"
            }
        }

        /// The element holding one account's report, statement or notification (`Rpt`, `Stmt`, `Ntfctn`).
        public var containerElement: String {
            switch self {
            case .report: "Rpt"
            case .statement: "Stmt"
            case .notification: "Ntfctn"
            }
        }
    }

    /// The message type.
    public var message: Message
    /// The schema version, 1–13 (the `NN` of `001.NN`).
    public var version: Int

    /// What every camt namespace starts with.
    public static let namespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt."
    /// The versions findoc reads.
    public static let versions = 1...13

    /// Creates a kind.
    public init(message: Message, version: Int) {
        self.message = message
        self.version = version
    }

    /// Reads a namespace such as `urn:iso:std:iso:20022:tech:xsd:camt.054.001.08`; nil for any other namespace,
    /// another camt message (camt.056, …) or a version outside 01–13.
    public init?(namespace: String) {
        guard namespace.hasPrefix(Self.namespacePrefix) else { return nil }
        let rest = Array(namespace.utf8.dropFirst(Self.namespacePrefix.utf8.count))
        // "05X.001.NN": exactly ten bytes.
        guard rest.count == 10, rest[3] == UInt8(ascii: "."), rest[7] == UInt8(ascii: "."),
            rest[4...6].elementsEqual("001".utf8),
            let message = Message(rawValue: String(decoding: rest[0..<3], as: UTF8.self)),
            rest[8...9].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else { return nil }
        let version = Int(rest[8] - 0x30) * 10 + Int(rest[9] - 0x30)
        guard Self.versions.contains(version) else { return nil }
        self.init(message: message, version: version)
    }

    /// The namespace of this kind, e.g. `urn:iso:std:iso:20022:tech:xsd:camt.053.001.02`.
    public var namespace: String {
        Self.namespacePrefix + message.rawValue + ".001." + (version < 10 ? "0" : "") + String(version)
    }

    /// `camt.053.001.02`.
    public var description: String { String(namespace.dropFirst(Self.namespacePrefix.count - 5)) }
}
