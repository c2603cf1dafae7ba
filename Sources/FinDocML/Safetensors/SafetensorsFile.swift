import Foundation

/// A safetensors file (https://huggingface.co/docs/safetensors): an 8-byte little-endian header length, a JSON
/// header naming each tensor's dtype, shape and byte span, then the raw little-endian data.
///
/// Everything the header claims is checked against the file before any tensor is read: dtypes, shapes (no negative
/// dimension, no overflowing size), spans inside the data section, span size = elements × dtype size, no two
/// tensors sharing bytes and no unclaimed bytes. The file is memory-mapped; `floats(_:)` converts F32, F16 and
/// BF16 to `Float` on request.
public struct SafetensorsFile: Sendable {
    /// The header of one tensor, validated.
    public struct TensorInfo: Sendable, Equatable {
        /// Its element type.
        public let dtype: SafetensorsDType
        /// Its dimensions, outermost first.
        public let shape: [Int]
        /// Byte range inside the data section.
        public let byteRange: Range<Int>
        /// Number of elements (the product of `shape`, 1 for a scalar).
        public var elementCount: Int { byteRange.count / dtype.byteSize }
    }

    /// Larger headers are refused before parsing (the reference implementation's limit).
    public static let maximumHeaderLength = 100_000_000

    /// The path the file was opened from.
    public var path: String { mapping.path }
    /// Every tensor, by name.
    public let tensors: [String: TensorInfo]
    /// The optional `__metadata__` string map.
    public let metadata: [String: String]

    private let mapping: MemoryMappedFile
    private let dataStart: Int

    /// Opens and validates `path`.
    public init(path: String) throws(SafetensorsError) {
        try self.init(mapping: MemoryMappedFile(path: path))
    }

    /// Validates an already mapped file.
    public init(mapping: MemoryMappedFile) throws(SafetensorsError) {
        let path = mapping.path
        let bytes = mapping.bytes
        guard bytes.count >= 8 else { throw .tooShort(path: path, size: bytes.count) }
        var declared: UInt64 = 0
        for index in 0..<8 { declared |= UInt64(bytes[index]) << UInt64(8 * index) }
        guard declared <= UInt64(Self.maximumHeaderLength), Int(declared) <= bytes.count - 8 else {
            throw .badHeaderLength(path: path, declared: declared, fileSize: bytes.count)
        }
        let headerLength = Int(declared)
        let dataStart = 8 + headerLength
        let dataSize = bytes.count - dataStart
        let header = Data(bytes[8..<dataStart])
        guard header.first == UInt8(ascii: "{") else {
            throw .badHeader(path: path, reason: "the header does not start with '{'")
        }
        guard String(data: header, encoding: .utf8) != nil else {
            throw .badHeader(path: path, reason: "the header is not valid UTF-8")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: header)
        } catch {
            throw .badHeader(path: path, reason: "the header is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw .badHeader(path: path, reason: "the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        var tensors: [String: TensorInfo] = [:]
        for (name, value) in object {
            if name == "__metadata__" {
                guard let map = value as? [String: Any] else {
                    throw .badHeader(path: path, reason: "__metadata__ is not an object")
                }
                for (key, entry) in map {
                    guard let text = entry as? String else {
                        throw .badHeader(path: path, reason: "__metadata__ value \"\(key)\" is not a string")
                    }
                    metadata[key] = text
                }
                continue
            }
            tensors[name] = try Self.tensorInfo(name: name, value: value, path: path, dataSize: dataSize)
        }
        try Self.checkCoverage(tensors, path: path, dataSize: dataSize)
        self.mapping = mapping
        self.dataStart = dataStart
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads one header entry and checks it against the data section.
    private static func tensorInfo(name: String, value: Any, path: String, dataSize: Int) throws(SafetensorsError)
        -> TensorInfo
    {
        guard let entry = value as? [String: Any] else {
            throw .badHeader(path: path, reason: "tensor \"\(name)\" is not an object")
        }
        guard let dtypeName = entry["dtype"] as? String else {
            throw .badHeader(path: path, reason: "tensor \"\(name)\" has no dtype string")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw .unknownDType(path: path, tensor: name, dtype: dtypeName)
        }
        guard let shape = integers(entry["shape"]) else {
            throw .badHeader(path: path, reason: "tensor \"\(name)\" has no shape list of integers")
        }
        guard let offsets = integers(entry["data_offsets"]), offsets.count == 2 else {
            throw .badHeader(path: path, reason: "tensor \"\(name)\" has no data_offsets [begin, end]")
        }
        var elements = 1
        for dimension in shape {
            guard dimension >= 0 else { throw .badShape(path: path, tensor: name, shape: shape) }
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw .badShape(path: path, tensor: name, shape: shape) }
            elements = product
        }
        let (byteCount, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow else { throw .badShape(path: path, tensor: name, shape: shape) }
        let begin = offsets[0]
        let end = offsets[1]
        guard begin >= 0, begin <= end, end <= dataSize else {
            throw .badOffsets(path: path, tensor: name, begin: begin, end: end, dataSize: dataSize)
        }
        guard end - begin == byteCount else {
            throw .sizeMismatch(path: path, tensor: name, expectedBytes: byteCount, actualBytes: end - begin)
        }
        return TensorInfo(dtype: dtype, shape: shape, byteRange: begin..<end)
    }

    /// A JSON array of integers (exact, in `Int` range), or nil.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let list = value as? [Any] else { return nil }
        var result: [Int] = []
        result.reserveCapacity(list.count)
        for item in list {
            // A Bool (objCType "c") or a fractional or out-of-range number is not a dimension or an offset;
            // `as? Int` refuses the last two.
            guard let number = item as? NSNumber, String(cString: number.objCType) != "c", let exact = item as? Int
            else { return nil }
            result.append(exact)
        }
        return result
    }

    /// Spans must tile the data section: sorted by start, each starts where the previous ended.
    private static func checkCoverage(_ tensors: [String: TensorInfo], path: String, dataSize: Int)
        throws(SafetensorsError)
    {
        let ordered = tensors.sorted {
            $0.value.byteRange.lowerBound != $1.value.byteRange.lowerBound
                ? $0.value.byteRange.lowerBound < $1.value.byteRange.lowerBound
                : $0.key < $1.key
        }
        var position = 0
        var previousName: String?
        for (name, info) in ordered {
            // Zero-sized tensors own no bytes and cannot overlap anything.
            if info.byteRange.isEmpty { continue }
            if info.byteRange.lowerBound < position, let previousName {
                throw .overlap(path: path, first: previousName, second: name)
            }
            if info.byteRange.lowerBound > position {
                throw .hole(path: path, at: position, dataSize: dataSize)
            }
            position = info.byteRange.upperBound
            previousName = name
        }
        if position < dataSize { throw .hole(path: path, at: position, dataSize: dataSize) }
    }

    /// The raw bytes of one tensor (valid while this value lives).
    public func rawBytes(_ name: String) throws(SafetensorsError) -> UnsafeRawBufferPointer {
        guard let info = tensors[name] else { throw .missingTensor(path: path, tensor: name) }
        return UnsafeRawBufferPointer(
            rebasing: mapping.bytes[(dataStart + info.byteRange.lowerBound)..<(dataStart + info.byteRange.upperBound)])
    }

    /// One tensor converted to `Float` in row-major order; F32, F16 and BF16 only.
    ///
    /// With `shape`, the tensor's shape must match exactly.
    public func floats(_ name: String, shape expected: [Int]? = nil) throws(SafetensorsError) -> [Float] {
        guard let info = tensors[name] else { throw .missingTensor(path: path, tensor: name) }
        if let expected, expected != info.shape {
            throw .unexpectedShape(path: path, tensor: name, expected: expected, actual: info.shape)
        }
        let raw = try rawBytes(name)
        let count = info.elementCount
        switch info.dtype {
        case .f32:
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                // The data section need not be 4-byte aligned, so copy bytes rather than bind memory.
                if count > 0, let destination = buffer.baseAddress, let source = raw.baseAddress {
                    UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: count * 4)
                }
                initialized = count
            }
        case .f16:
            return (0..<count).map { index in
                HalfFloatConversion.float(fromHalfBits: raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
            }
        case .bf16:
            return (0..<count).map { index in
                Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)) << 16)
            }
        default:
            throw .unsupportedDType(path: path, tensor: name, dtype: info.dtype)
        }
    }
}
