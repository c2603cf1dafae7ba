import Foundation
import Testing

@testable import FinDocML

/// Builds safetensors files byte by byte, so each test states exactly what the file claims.
private struct SafetensorsBuilder: Sendable {
    var header: String
    var data: [UInt8]
    var declaredLength: UInt64?

    func bytes() -> [UInt8] {
        let headerBytes = Array(header.utf8)
        var out: [UInt8] = []
        let length = declaredLength ?? UInt64(headerBytes.count)
        for shift in 0..<8 { out.append(UInt8(truncatingIfNeeded: length >> UInt64(8 * shift))) }
        return out + headerBytes + data
    }

    func write() throws -> String {
        let folder = try EncoderTestSupport.temporaryFolder()
        let path = folder.appendingPathComponent("t.safetensors").path
        try Data(bytes()).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func f32Bytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { value -> [UInt8] in
            let bits = value.bitPattern
            return (0..<4).map { UInt8(truncatingIfNeeded: bits >> UInt32(8 * $0)) }
        }
    }
}

@Suite("SafetensorsFile")
struct SafetensorsFileTests {
    @Test("F32, F16 and BF16 tensors read back as the floats written")
    func readsFloatTypes() throws {
        // F16 bits: 0x3C00 = 1.0, 0xC000 = -2.0, 0x0001 = 2^-24 (smallest subnormal), 0x7C00 = +inf.
        // BF16 bits: 0x3F80 = 1.0, 0x4049 = 3.140625, 0xBF00 = -0.5.
        let f32 = SafetensorsBuilder.f32Bytes([1.5, -2.25, 0, 3e-5, 7, 8])
        let f16: [UInt8] = [0x00, 0x3C, 0x00, 0xC0, 0x01, 0x00, 0x00, 0x7C]
        let bf16: [UInt8] = [0x80, 0x3F, 0x49, 0x40, 0x00, 0xBF]
        let header = """
            {"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},\
            "h":{"dtype":"F16","shape":[4],"data_offsets":[24,32]},"b":{"dtype":"BF16","shape":[3],"data_offsets":[32,38]}}
            """
        let path = try SafetensorsBuilder(header: header, data: f32 + f16 + bf16).write()
        let file = try SafetensorsFile(path: path)
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensors["a"]?.shape == [2, 3])
        #expect(try file.floats("a", shape: [2, 3]) == [1.5, -2.25, 0, 3e-5, 7, 8])
        #expect(try file.floats("h") == [1, -2, Float(bitPattern: 0x3380_0000), .infinity])
        #expect(try file.floats("b") == [1, 3.140625, -0.5])
        #expect(throws: SafetensorsError.unexpectedShape(path: path, tensor: "a", expected: [3, 2], actual: [2, 3])) {
            try file.floats("a", shape: [3, 2])
        }
        #expect(throws: SafetensorsError.missingTensor(path: path, tensor: "zz")) { try file.floats("zz") }
    }

    @Test("an odd header length leaves F32 data unaligned, and it still reads")
    func unalignedData() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}  "#  // 2 spaces: length not a multiple of 4
        let path = try SafetensorsBuilder(header: header + " ", data: SafetensorsBuilder.f32Bytes([0.25, -4])).write()
        #expect(try SafetensorsFile(path: path).floats("a") == [0.25, -4])
    }

    @Test("integer tensors open but do not convert to Float")
    func integerTensor() throws {
        let header = #"{"i":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}"#
        let path = try SafetensorsBuilder(header: header, data: [UInt8](repeating: 0, count: 16)).write()
        let file = try SafetensorsFile(path: path)
        #expect(throws: SafetensorsError.unsupportedDType(path: path, tensor: "i", dtype: .i64)) { try file.floats("i") }
    }

    /// Malformed files, each with the error it must raise (never a trap).
    fileprivate static let malformed: [(String, SafetensorsBuilder, @Sendable (String) -> SafetensorsError)] = [
        (
            "empty header", SafetensorsBuilder(header: "", data: []),
            { .badHeader(path: $0, reason: "the header does not start with '{'") }
        ),
        (
            "header length beyond the file",
            SafetensorsBuilder(header: "{}", data: [], declaredLength: 1000),
            { .badHeaderLength(path: $0, declared: 1000, fileSize: 10) }
        ),
        (
            "header length near UInt64.max (would overflow an offset)",
            SafetensorsBuilder(header: "{}", data: [], declaredLength: UInt64.max - 3),
            { .badHeaderLength(path: $0, declared: UInt64.max - 3, fileSize: 10) }
        ),
        (
            "not JSON", SafetensorsBuilder(header: "{not json", data: []),
            { .badHeader(path: $0, reason: "the header is not valid JSON") }
        ),
        (
            "not an object", SafetensorsBuilder(header: "[1,2]", data: []),
            { .badHeader(path: $0, reason: "the header does not start with '{'") }
        ),
        (
            "unknown dtype",
            SafetensorsBuilder(header: #"{"a":{"dtype":"F31","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
            { .unknownDType(path: $0, tensor: "a", dtype: "F31") }
        ),
        (
            "negative dimension",
            SafetensorsBuilder(header: #"{"a":{"dtype":"F32","shape":[-1,4],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
            { .badShape(path: $0, tensor: "a", shape: [-1, 4]) }
        ),
        (
            "element count overflows",
            SafetensorsBuilder(
                header: #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
            { .badShape(path: $0, tensor: "a", shape: [4_294_967_296, 4_294_967_296]) }
        ),
        (
            "byte count overflows",
            SafetensorsBuilder(
                header: #"{"a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
            { .badShape(path: $0, tensor: "a", shape: [2_305_843_009_213_693_952]) }
        ),
        (
            "offsets beyond the data",
            SafetensorsBuilder(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0]),
            { .badOffsets(path: $0, tensor: "a", begin: 0, end: 8, dataSize: 4) }
        ),
        (
            "offsets reversed",
            SafetensorsBuilder(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, data: [0, 0, 0, 0]),
            { .badOffsets(path: $0, tensor: "a", begin: 4, end: 0, dataSize: 4) }
        ),
        (
            "span does not match the shape",
            SafetensorsBuilder(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
            { .sizeMismatch(path: $0, tensor: "a", expectedBytes: 8, actualBytes: 4) }
        ),
        (
            "two tensors share bytes",
            SafetensorsBuilder(
                header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                data: [UInt8](repeating: 0, count: 12)),
            { .overlap(path: $0, first: "a", second: "b") }
        ),
        (
            "unclaimed bytes between tensors",
            SafetensorsBuilder(
                header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#,
                data: [UInt8](repeating: 0, count: 12)),
            { .hole(path: $0, at: 4, dataSize: 12) }
        ),
        (
            "trailing unclaimed bytes",
            SafetensorsBuilder(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0, 9]),
            { .hole(path: $0, at: 4, dataSize: 5) }
        ),
        (
            "a boolean as a dimension",
            SafetensorsBuilder(header: #"{"a":{"dtype":"F32","shape":[true],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
            { .badHeader(path: $0, reason: "tensor \"a\" has no shape list of integers") }
        ),
        (
            "a fractional offset",
            SafetensorsBuilder(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4.5]}}"#, data: [0, 0, 0, 0]),
            { .badHeader(path: $0, reason: "tensor \"a\" has no data_offsets [begin, end]") }
        ),
        (
            "metadata that is not a string map",
            SafetensorsBuilder(header: #"{"__metadata__":{"x":1}}"#, data: []),
            { .badHeader(path: $0, reason: "__metadata__ value \"x\" is not a string") }
        ),
    ]

    @Test("malformed and malicious files raise typed errors", arguments: 0..<malformed.count)
    func malformedFile(index: Int) throws {
        let (_, builder, expected) = Self.malformed[index]
        let path = try builder.write()
        #expect(throws: expected(path)) { try SafetensorsFile(path: path) }
    }

    @Test("every truncation and every single-byte corruption of a valid file is an error or a valid read")
    func truncationsAndCorruptions() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F16","shape":[1],"data_offsets":[8,10]}}"#
        let valid = SafetensorsBuilder(header: header, data: SafetensorsBuilder.f32Bytes([1, 2]) + [0, 0x3C]).bytes()
        let folder = try EncoderTestSupport.temporaryFolder()
        let path = folder.appendingPathComponent("c.safetensors").path
        var opened = 0
        for cut in 0..<valid.count {
            try Data(valid[..<cut]).write(to: URL(fileURLWithPath: path))
            if cut < 8 {
                #expect(throws: SafetensorsError.tooShort(path: path, size: cut)) { try SafetensorsFile(path: path) }
            } else {
                #expect(throws: SafetensorsError.self) { try SafetensorsFile(path: path) }
            }
        }
        for position in 0..<valid.count {
            for replacement: UInt8 in [0x00, 0xFF, UInt8(ascii: "9"), UInt8(ascii: "\"")] {
                var bytes = valid
                bytes[position] = replacement
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                if let file = try? SafetensorsFile(path: path) {
                    opened += 1
                    for name in file.tensors.keys { _ = try? file.floats(name) }
                }
            }
        }
        #expect(opened > 0)  // data-byte changes keep the file valid, so some must open
    }

    @Test("a missing file and a folder are unreadable, not crashes")
    func unreadable() throws {
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(path: "/nonexistent/x.safetensors") }
        let folder = try EncoderTestSupport.temporaryFolder()
        #expect(throws: SafetensorsError.unreadable(path: folder.path, reason: "not a regular file")) {
            try SafetensorsFile(path: folder.path)
        }
    }

    @Test("the installed all-MiniLM-L6-v2 weights match values read by the Python safetensors package")
    func realModel() throws {
        let folder = try EncoderTestSupport.installedModelFolder()
        let file = try SafetensorsFile(path: folder.appendingPathComponent("model.safetensors").path)
        #expect(file.tensors.count == 104)  // 105 header entries, one of them __metadata__
        #expect(file.tensors["embeddings.position_ids"]?.dtype == .i64)
        // Expected values: safetensors 0.8.0 `load_file` in Python (see the test's name), printed as float64.
        #expect(Array(try file.floats("embeddings.LayerNorm.weight").prefix(4))
            == [0.5989283323287964, 0.583594799041748, 0.6335410475730896, 0.6244606375694275])
        let words = try file.floats("embeddings.word_embeddings.weight", shape: [30522, 384])
        #expect(Array(words[(101 * 384)..<(101 * 384 + 4)])
            == [-0.01761939749121666, -0.007600549608469009, 0.047105543315410614, -0.08691827207803726])
        let last = try file.floats("encoder.layer.5.output.dense.weight", shape: [384, 1536])
        #expect(Array(last.suffix(4))
            == [-0.04035837575793266, -0.0345587432384491, -0.017165755853056908, 0.0012321292888373137])
    }
}
