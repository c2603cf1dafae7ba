import Foundation
import Testing

@testable import FinDocML

/// The tensors listed beside the reference file written by Python's safetensors.
private struct ReferenceListing: Decodable {
    struct Tensor: Decodable {
        var shape: [Int]
        var values: [Float]
    }

    var metadata: [String: String]
    var tensors: [String: Tensor]
}

@Suite("SafetensorsWriter")
struct SafetensorsWriterTests {
    private static let fixtures = EncoderTestSupport.repositoryRoot + "/Tests/FinDocMLTests/Fixtures/training"

    @Test("the bytes equal those safetensors.numpy.save_file wrote for the same tensors")
    func matchesReferenceWriter() throws {
        let listing = try JSONDecoder().decode(
            ReferenceListing.self, from: Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/safetensors.json")))
        let reference = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/reference.safetensors")))
        var tensors: [String: TensorData] = [:]
        for (name, tensor) in listing.tensors { tensors[name] = TensorData(shape: tensor.shape, values: tensor.values) }
        let written = try SafetensorsWriter.encode(tensors, metadata: listing.metadata)
        #expect(written == reference)
        // The header is padded to a multiple of 8 so the data section starts aligned (spec and reference agree).
        let headerLength = (0..<8).reduce(0) { $0 | Int(written[$1]) << (8 * $1) }
        #expect(headerLength % 8 == 0)
    }

    @Test("a written file reads back through SafetensorsFile with every value bit for bit")
    func roundTrip() throws {
        let folder = try EncoderTestSupport.temporaryFolder()
        let path = folder.appendingPathComponent("round.safetensors").path
        let special: [Float] = [
            0, -0.0, 1, -1, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e-38, 3.14159,
            Float(bitPattern: 0x7FC0_1234),
        ]
        let tensors: [String: TensorData] = [
            "layer.5.output.lora_b": TensorData(shape: [3, 4], values: (0..<12).map { Float($0) * 0.37 - 2 }),
            "special": TensorData(shape: [special.count], values: special),
            "scalar": TensorData(shape: [], values: [42]),
            "zero": TensorData(shape: [2, 0], values: []),
            "naïve/ünïcode \"name\"": TensorData(shape: [1], values: [7]),
        ]
        try SafetensorsWriter.write(tensors, metadata: ["kind": "test", "note": "a \"quoted\"\nline"], to: path)
        let file = try SafetensorsFile(path: path)
        #expect(file.metadata == ["kind": "test", "note": "a \"quoted\"\nline"])
        #expect(Set(file.tensors.keys) == Set(tensors.keys))
        for (name, tensor) in tensors {
            #expect(file.tensors[name]?.shape == tensor.shape)
            #expect(file.tensors[name]?.dtype == .f32)
            let back = try file.floats(name)
            #expect(back.map(\.bitPattern) == tensor.values.map(\.bitPattern), "\(name)")
        }
        // Nothing but the file itself is left in the folder (the temporary file was renamed).
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["round.safetensors"])
    }

    @Test("writing replaces an existing file whole")
    func replacesAtomically() throws {
        let folder = try EncoderTestSupport.temporaryFolder()
        let path = folder.appendingPathComponent("t.safetensors").path
        try SafetensorsWriter.write(["a": TensorData(shape: [100], values: [Float](repeating: 1, count: 100))], to: path)
        try SafetensorsWriter.write(["b": TensorData(shape: [1], values: [2])], to: path)
        let file = try SafetensorsFile(path: path)
        #expect(Array(file.tensors.keys) == ["b"])
        #expect(try file.floats("b") == [2])
    }

    @Test("mismatched shapes, reserved names and unwritable paths are errors that name the tensor or file")
    func errors() throws {
        #expect(throws: SafetensorsWriteError.shapeMismatch(tensor: "w", shape: [2, 2], valueCount: 3)) {
            try SafetensorsWriter.encode(["w": TensorData(shape: [2, 2], values: [1, 2, 3])])
        }
        #expect(throws: SafetensorsWriteError.shapeMismatch(tensor: "n", shape: [-1], valueCount: 0)) {
            try SafetensorsWriter.encode(["n": TensorData(shape: [-1], values: [])])
        }
        #expect(throws: SafetensorsWriteError.badName(tensor: "__metadata__")) {
            try SafetensorsWriter.encode(["__metadata__": TensorData(shape: [1], values: [1])])
        }
        let path = "/nonexistent-folder-\(UUID().uuidString)/x.safetensors"
        #expect {
            try SafetensorsWriter.write(["a": TensorData(shape: [1], values: [1])], to: path)
        } throws: { error in
            guard case .writeFailed(let failedPath, _) = error as? SafetensorsWriteError else { return false }
            return failedPath == path
        }
    }
}
