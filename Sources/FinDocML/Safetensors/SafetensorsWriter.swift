import Foundation

/// An F32 tensor without its name: its shape and row-major values, the unit the writer, checkpoints and fine-tuned
/// bundles exchange (`[String: TensorData]`, keyed by tensor name).
public struct TensorData: Sendable, Equatable {
    /// Dimensions, outermost first (empty for a scalar).
    public var shape: [Int]
    /// Row-major values; their count is the product of `shape`.
    public var values: [Float]

    /// A tensor; `values.count` should equal the product of `shape` (the writer checks it).
    public init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }

    /// The product of the dimensions, or nil when one is negative or the product overflows.
    var elementCount: Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            count = product
        }
        return count
    }
}

/// Why a set of tensors could not be written as safetensors; each case names the tensor or the file.
public enum SafetensorsWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A tensor's value count is not the product of its shape (or the shape is negative or overflows).
    case shapeMismatch(tensor: String, shape: [Int], valueCount: Int)
    /// A name the format reserves (`__metadata__`) or an empty name.
    case badName(tensor: String)
    /// The file could not be written or moved into place.
    case writeFailed(path: String, reason: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .shapeMismatch(let tensor, let shape, let count):
            "tensor \"\(tensor)\": \(count) values do not fill shape \(shape)"
        case .badName(let tensor): "tensor name \"\(tensor)\" is reserved or empty"
        case .writeFailed(let path, let reason): "\(path): cannot write the safetensors file: \(reason)"
        }
    }
}

/// Writes F32 tensors in the safetensors format (https://huggingface.co/docs/safetensors), byte for byte as the
/// reference implementation (the Rust crate behind Python's `safetensors` 0.8) writes them.
///
/// Layout: an 8-byte little-endian header length N, N bytes of JSON (`__metadata__` first when present, then
/// each tensor's `dtype`, `shape`, `data_offsets`, compact, padded with spaces so that N is a multiple of 8 and
/// the data section starts 8-byte aligned), then the little-endian values. Tensors are laid out in the order of
/// their names' UTF-8 bytes, back to back with no holes, which is what `SafetensorsFile` demands when reading.
/// The JSON is written by hand rather than by `JSONSerialization` to pin the key order and number format: the
/// same tensors give the same bytes, hence the same sha256 and model id.
public enum SafetensorsWriter {
    /// The complete file contents for `tensors` and the optional string `metadata`.
    public static func encode(_ tensors: [String: TensorData], metadata: [String: String] = [:])
        throws(SafetensorsWriteError) -> [UInt8]
    {
        let names = tensors.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                .map { key in "\(jsonString(key)):\(jsonString(metadata[key] ?? ""))" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for name in names {
            guard let tensor = tensors[name] else { continue }
            guard !name.isEmpty, name != "__metadata__" else { throw .badName(tensor: name) }
            guard let count = tensor.elementCount, count == tensor.values.count else {
                throw .shapeMismatch(tensor: name, shape: tensor.shape, valueCount: tensor.values.count)
            }
            let end = offset + 4 * count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        header.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        let length = UInt64(header.count)
        for shift in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: length >> UInt64(8 * shift))) }
        bytes.append(contentsOf: header)
        for name in names {
            guard let tensor = tensors[name] else { continue }
            for value in tensor.values {
                let bits = value.bitPattern
                bytes.append(UInt8(truncatingIfNeeded: bits))
                bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
                bytes.append(UInt8(truncatingIfNeeded: bits >> 16))
                bytes.append(UInt8(truncatingIfNeeded: bits >> 24))
            }
        }
        return bytes
    }

    /// Encodes `tensors` and writes them to `path` atomically (a temporary file beside it, flushed, then renamed
    /// over it), so an interrupted write leaves the previous file whole.
    public static func write(_ tensors: [String: TensorData], metadata: [String: String] = [:], to path: String)
        throws(SafetensorsWriteError)
    {
        let bytes = try encode(tensors, metadata: metadata)
        do {
            try AtomicFileWriter.write(bytes, to: path)
        } catch {
            throw .writeFailed(path: path, reason: error.reason)
        }
    }

    /// A JSON string literal as serde_json writes it: quotes, backslashes and control characters escaped,
    /// everything else (non-ASCII included) verbatim.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
