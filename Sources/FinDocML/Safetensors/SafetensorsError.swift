/// Why a safetensors file could not be read; each case names the file and what was expected.
///
/// A truncated, corrupt or malicious file always ends here, never in a trap.
public enum SafetensorsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or mapped.
    case unreadable(path: String, reason: String)
    /// Shorter than the 8-byte header length prefix.
    case tooShort(path: String, size: Int)
    /// The header length prefix exceeds the file or the accepted maximum.
    case badHeaderLength(path: String, declared: UInt64, fileSize: Int)
    /// The header is not a UTF-8 JSON object of the expected shape.
    case badHeader(path: String, reason: String)
    /// A tensor declares a dtype the spec does not define.
    case unknownDType(path: String, tensor: String, dtype: String)
    /// A shape dimension is negative, or the element or byte count overflows.
    case badShape(path: String, tensor: String, shape: [Int])
    /// `data_offsets` are not `[begin, end]` with begin ≤ end inside the data section.
    case badOffsets(path: String, tensor: String, begin: Int, end: Int, dataSize: Int)
    /// The byte span does not equal elements × dtype size.
    case sizeMismatch(path: String, tensor: String, expectedBytes: Int, actualBytes: Int)
    /// Two tensors share bytes.
    case overlap(path: String, first: String, second: String)
    /// Bytes of the data section belong to no tensor (the spec forbids holes, which would allow polyglot files).
    case hole(path: String, at: Int, dataSize: Int)
    /// A tensor the caller asked for is absent.
    case missingTensor(path: String, tensor: String)
    /// A tensor's dtype cannot be converted to Float.
    case unsupportedDType(path: String, tensor: String, dtype: SafetensorsDType)
    /// A tensor's shape is not the one the caller needs.
    case unexpectedShape(path: String, tensor: String, expected: [Int], actual: [Int])

    /// A one-line explanation naming the file.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read the safetensors file: \(reason)"
        case .tooShort(let path, let size):
            "\(path): \(size) bytes is too short for a safetensors file (expected an 8-byte header length first)"
        case .badHeaderLength(let path, let declared, let fileSize):
            "\(path): header length \(declared) does not fit a file of \(fileSize) bytes"
        case .badHeader(let path, let reason): "\(path): bad safetensors header: \(reason)"
        case .unknownDType(let path, let tensor, let dtype):
            "\(path): tensor \"\(tensor)\" has unknown dtype \"\(dtype)\""
        case .badShape(let path, let tensor, let shape):
            "\(path): tensor \"\(tensor)\" has an invalid shape \(shape) (negative or overflowing size)"
        case .badOffsets(let path, let tensor, let begin, let end, let dataSize):
            "\(path): tensor \"\(tensor)\" has data_offsets [\(begin), \(end)] outside the \(dataSize)-byte data section"
        case .sizeMismatch(let path, let tensor, let expected, let actual):
            "\(path): tensor \"\(tensor)\" spans \(actual) bytes but its shape and dtype need \(expected)"
        case .overlap(let path, let first, let second):
            "\(path): tensors \"\(first)\" and \"\(second)\" overlap"
        case .hole(let path, let at, let dataSize):
            "\(path): byte \(at) of the \(dataSize)-byte data section belongs to no tensor"
        case .missingTensor(let path, let tensor): "\(path): no tensor named \"\(tensor)\""
        case .unsupportedDType(let path, let tensor, let dtype):
            "\(path): tensor \"\(tensor)\" is \(dtype.rawValue); only F32, F16 and BF16 convert to Float"
        case .unexpectedShape(let path, let tensor, let expected, let actual):
            "\(path): tensor \"\(tensor)\" has shape \(actual), expected \(expected)"
        }
    }
}
