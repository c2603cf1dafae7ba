import FinDocCore
import GRDB

/// What a model or rule said about one item, as the `predictions` table keeps it (any task, any item kind).
public struct StoredPrediction: Hashable, Sendable {
    /// The task (`categories`, `sentiment`, ...).
    public var task: String
    /// The kind of item (`transaction`, `invoice_line`, `sentence`, ...).
    public var itemKind: String
    /// The item's id in its table.
    public var itemID: Int64
    /// The label (may be `UNKNOWN`).
    public var label: String
    /// Calibrated probability of `label` (of the best label when `UNKNOWN`).
    public var probability: Double
    /// A task's own scalar (sentiment: P(pos) - P(neg)).
    public var score: Double?
    /// JSON array of `{"label": ..., "probability": ...}`, best first.
    public var topK: String
    /// Bundle name and version, or `rules:<sha prefix>`.
    public var modelID: String
    /// `rule:<name>`, `model`, or JSON of the deciding features.
    public var reason: String?

    /// Creates a prediction.
    public init(
        task: String, itemKind: String, itemID: Int64, label: String, probability: Double, score: Double? = nil,
        topK: String, modelID: String, reason: String?
    ) {
        self.task = task
        self.itemKind = itemKind
        self.itemID = itemID
        self.label = label
        self.probability = probability
        self.score = score
        self.topK = topK
        self.modelID = modelID
        self.reason = reason
    }
}

extension Store {
    /// The table that holds each item kind; a new kind registers here (its table needs an `id` column).
    public static let itemTables: [String: String] = [
        "transaction": "transactions", "invoice_line": "invoice_lines", "sentence": "sentences",
    ]

    /// Saves predictions in one transaction. A prediction for the same (task, item, model) replaces the earlier
    /// one (the unique index makes re-runs idempotent); another model's prediction is kept beside it.
    ///
    /// - Returns: the number of rows written.
    @discardableResult
    public func savePredictions(_ predictions: [StoredPrediction]) throws -> Int {
        guard !predictions.isEmpty else { return 0 }
        let now = Timestamp.nowISO()
        return try queue.write { db in
            let statement = try db.makeStatement(
                sql: """
                    INSERT INTO predictions (task, item_kind, item_id, label, probability, score, top_k, model_id, reason,
                                             created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (task, item_kind, item_id, model_id) DO UPDATE SET
                        label = excluded.label, probability = excluded.probability, score = excluded.score,
                        top_k = excluded.top_k, reason = excluded.reason, created_at = excluded.created_at
                    """)
            for p in predictions {
                try statement.execute(arguments: [
                    p.task, p.itemKind, p.itemID, p.label, p.probability, p.score, p.topK, p.modelID, p.reason, now,
                ])
            }
            return predictions.count
        }
    }

    /// Ids of the items of `itemKind` that none of `modelIDs` has labelled yet for `task`, in id order.
    ///
    /// - Parameter includeLabelled: also items that already have a prediction from these models (re-label all).
    public func itemIDsToLabel(task: String, itemKind: String, modelIDs: [String], includeLabelled: Bool = false) throws
        -> [Int64]
    {
        guard let table = Self.itemTables[itemKind] else { throw LabellingStoreError.unknownItemKind(itemKind) }
        let replaced = itemKind == "transaction" ? " AND x.replaced_by IS NULL" : ""
        let skipping = !includeLabelled && !modelIDs.isEmpty
        let marks = modelIDs.map { _ in "?" }.joined(separator: ",")
        let skip =
            skipping
            ? """
             AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.task = ? AND p.item_kind = ? AND p.item_id = x.id
                                AND p.model_id IN (\(marks)))
            """ : ""
        return try queue.read { db in
            try Int64.fetchAll(
                db, sql: "SELECT x.id FROM \(table) x WHERE 1 = 1\(replaced)\(skip) ORDER BY x.id",
                arguments: skipping ? StatementArguments([task, itemKind] + modelIDs) : [])
        }
    }

    /// The predictions of `task` for one item, newest first.
    public func predictions(task: String, itemKind: String, itemID: Int64) throws -> [StoredPrediction] {
        try queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT task, item_kind, item_id, label, probability, score, top_k, model_id, reason FROM predictions
                    WHERE task = ? AND item_kind = ? AND item_id = ? ORDER BY created_at DESC, id DESC
                    """, arguments: [task, itemKind, itemID]
            ).map {
                StoredPrediction(
                    task: $0[0], itemKind: $0[1], itemID: $0[2], label: $0[3], probability: $0[4], score: $0[5],
                    topK: $0[6], modelID: $0[7], reason: $0[8])
            }
        }
    }
}

/// Errors of the labelling repositories.
public enum LabellingStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An item kind with no registered table.
    case unknownItemKind(String)

    public var description: String {
        switch self {
        case .unknownItemKind(let kind):
            "no table for item kind \"\(kind)\"; known: \(Store.itemTables.keys.sorted().joined(separator: ", "))"
        }
    }
}
