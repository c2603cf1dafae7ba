import FinDocCore
import Foundation

/// A trained categoriser on disk: a folder with `bundle.json` (label set, feature settings, calibration, training
/// settings) and `weights.bin` (pruned, sparse float16 weights).
///
/// `weights.bin`, little-endian: `FDCW`, version (u32), labels (u32), rows (u32), bias (f32 × labels), then per row
/// its hash bucket (u32), how many weights it keeps (u16) and that many (label index u16, weight f16). Weights below
/// `pruneBelow` in magnitude are dropped: they cannot change a decision, and dropping them keeps the bundle a few MB.
public struct CategoryBundle: Sendable {
    /// The model, temperature included.
    public var model: LinearSoftmaxModel
    /// Below this calibrated probability the label is UNKNOWN.
    public var unknownThreshold: Float
    /// What calibration found on the held-back slice.
    public var calibration: CalibrationReport?
    /// How it was trained.
    public var training: CategoryTrainingOptions
    /// The text fields (or CSV columns) it was trained on, for the record.
    public var textFields: [String]
    /// Rows trained on.
    public var rows: Int
    /// `name@` + the first 12 hex digits of the sha256 of `weights.bin`; set when saved or loaded.
    public var modelID: String

    /// The label a model gives when unsure.
    public static let unknownLabel = "UNKNOWN"
    /// File names inside the bundle folder.
    public static let headerFile = "bundle.json", weightsFile = "weights.bin"

    /// Wraps a training result.
    public init(result: CategoryTrainer.Result, training: CategoryTrainingOptions, textFields: [String], name: String = "categories") {
        model = result.model
        unknownThreshold = result.calibration?.threshold ?? 0
        calibration = result.calibration
        self.training = training
        self.textFields = textFields
        rows = result.rows
        modelID = name
    }

    /// Errors reading a bundle; each names the file.
    public enum BundleError: Error, CustomStringConvertible {
        /// The folder has no readable header.
        case missing(path: String)
        /// The header or the weights are not what this version writes.
        case corrupt(path: String, reason: String)

        public var description: String {
            switch self {
            case .missing(let path): "\(path): no category bundle here (expected \(CategoryBundle.headerFile) and \(CategoryBundle.weightsFile))"
            case .corrupt(let path, let reason): "\(path): not a valid category bundle: \(reason)"
            }
        }
    }

    struct Header: Codable {
        var format: String
        var version: Int
        var name: String
        var labels: [String]
        var features: FeatureSettings
        var training: CategoryTrainingOptions
        var calibration: CalibrationReport?
        var temperature: Float
        var unknownThreshold: Float
        var textFields: [String]
        var rows: Int
        var weightRows: Int
        var pruneBelow: Float
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case format, version, name, labels, features, training, calibration, temperature
            case unknownThreshold = "unknown_threshold", textFields = "text_fields", rows, weightRows = "weight_rows"
            case pruneBelow = "prune_below", createdAt = "created_at"
        }
    }

    /// Writes the bundle into `folder` (created if needed) and returns its model id.
    @discardableResult
    public mutating func save(to folder: URL, name: String, pruneBelow: Float = 1e-3) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let classes = model.labels.count
        var out: [UInt8] = Array("FDCW".utf8)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        u32(1)
        u32(UInt32(classes))
        let countAt = out.count
        u32(0)
        for value in model.bias { u32(value.bitPattern) }
        var kept = 0
        for (row, bucket) in model.table.buckets.enumerated() {
            let base = row * classes
            var entries: [(UInt16, UInt16)] = []
            for c in 0..<classes {
                let w = model.sparse == nil ? model.weights[base + c] : model.weight(row: row, label: c)
                if abs(w) >= pruneBelow { entries.append((UInt16(c), Float16(w).bitPattern)) }
            }
            guard !entries.isEmpty else { continue }
            u32(bucket)
            u16(UInt16(entries.count))
            for (c, w) in entries {
                u16(c)
                u16(w)
            }
            kept += 1
        }
        withUnsafeBytes(of: UInt32(kept).littleEndian) { bytes in
            for (i, b) in bytes.enumerated() { out[countAt + i] = b }
        }
        let digest = String(SHA256.hex(of: out).prefix(12))
        modelID = "\(name)@\(digest)"
        let header = Header(
            format: "findoc-categories", version: 1, name: name, labels: model.labels, features: model.settings,
            training: training, calibration: calibration, temperature: model.temperature,
            unknownThreshold: unknownThreshold, textFields: textFields, rows: rows, weightRows: kept,
            pruneBelow: pruneBelow, createdAt: ISO8601DateFormatter().string(from: Date()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try Data(out).write(to: folder.appendingPathComponent(Self.weightsFile), options: .atomic)
        try encoder.encode(header).write(to: folder.appendingPathComponent(Self.headerFile), options: .atomic)
        return modelID
    }

    /// Reads a bundle folder written by `save`.
    public static func load(from folder: URL) throws -> CategoryBundle {
        let headerURL = folder.appendingPathComponent(headerFile)
        let weightsURL = folder.appendingPathComponent(weightsFile)
        guard let headerData = try? Data(contentsOf: headerURL), let weightData = try? Data(contentsOf: weightsURL) else {
            throw BundleError.missing(path: folder.path)
        }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: headerData)
        } catch {
            throw BundleError.corrupt(path: headerURL.path, reason: "\(error)")
        }
        guard header.format == "findoc-categories", header.version == 1 else {
            throw BundleError.corrupt(path: headerURL.path, reason: "format \(header.format) version \(header.version)")
        }
        let bytes = [UInt8](weightData)
        var at = 0
        func fail(_ reason: String) -> BundleError { .corrupt(path: weightsURL.path, reason: "\(reason) at byte \(at)") }
        func u32() throws -> UInt32 {
            guard at + 4 <= bytes.count else { throw fail("truncated") }
            defer { at += 4 }
            return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        func u16() throws -> UInt16 {
            guard at + 2 <= bytes.count else { throw fail("truncated") }
            defer { at += 2 }
            return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
        }
        guard bytes.starts(with: Array("FDCW".utf8)) else { throw fail("no FDCW magic") }
        at = 4
        guard try u32() == 1 else { throw fail("unknown weights version") }
        let classes = Int(try u32())
        guard classes == header.labels.count else { throw fail("\(classes) labels, header says \(header.labels.count)") }
        let rowCount = Int(try u32())
        var bias: [Float] = []
        for _ in 0..<classes { bias.append(Float(bitPattern: try u32())) }
        var buckets: [UInt32] = []
        buckets.reserveCapacity(rowCount)
        var sparse = LinearSoftmaxModel.SparseRows(starts: [0], entries: [])
        for _ in 0..<rowCount {
            buckets.append(try u32())
            let n = Int(try u16())
            for _ in 0..<n {
                let c = try u16()
                guard Int(c) < classes else { throw fail("label index \(c) out of range") }
                sparse.entries.append(.init(label: UInt32(c), weight: Float(Float16(bitPattern: try u16()))))
            }
            sparse.starts.append(Int32(sparse.entries.count))
        }
        guard at == bytes.count else { throw fail("trailing bytes") }
        sparse.denseHeavyRows(classes: classes)
        // Sparse scoring wins while rows keep well under half their labels; otherwise dense SIMD rows are faster.
        var dense: [Float] = []
        if sparse.entries.count * 3 > rowCount * classes {
            dense = [Float](repeating: 0, count: rowCount * classes)
            for row in 0..<rowCount {
                for k in Int(sparse.starts[row])..<Int(sparse.starts[row + 1]) {
                    dense[row * classes + Int(sparse.entries[k].label)] = sparse.entries[k].weight
                }
            }
        }
        let model = LinearSoftmaxModel(
            labels: header.labels, settings: header.features, table: BucketTable(buckets: buckets), weights: dense,
            bias: bias, temperature: header.temperature, sparse: dense.isEmpty ? sparse : nil)
        var bundle = CategoryBundle(
            result: CategoryTrainer.Result(model: model, calibration: header.calibration, rows: header.rows),
            training: header.training, textFields: header.textFields)
        bundle.unknownThreshold = header.unknownThreshold
        bundle.modelID = "\(header.name)@\(SHA256.hex(of: bytes).prefix(12))"
        return bundle
    }
}
