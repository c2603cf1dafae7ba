import Foundation
import Testing

@testable import FinDocML

@Suite("FineTunedBundle")
struct FineTunedBundleTests {
    static let tensors: [String: TensorData] = [
        "layer.0.attention.qkv.lora_a": TensorData(shape: [4, 6], values: (0..<24).map { Float($0) / 10 }),
        "layer.0.attention.qkv.lora_b": TensorData(shape: [6, 4], values: (0..<24).map { Float($0) / -7 }),
        "head.weight": TensorData(shape: [3, 6], values: (0..<18).map { sin(Float($0)) }),
        "head.bias": TensorData(shape: [3], values: [0.1, -0.2, 0.3]),
    ]

    static func bundle() -> FineTunedBundle {
        let config = FineTunedBundle.Config(
            name: "sentiment-lora", task: .sentiment, labels: ["negative", "neutral", "positive"],
            adapters: .init(rank: 4, alpha: 8, targets: ["qkv", "attention_output", "intermediate", "output"]), maxLength: 128,
            training: FineTunerOptions(epochs: 3, seed: 9),
            history: [
                FineTuningEpoch(
                    epoch: 1, trainLoss: 0.5, devMetric: 0.81, improved: true, tokens: 1000, trainSeconds: 2,
                    wallSeconds: 3)
            ],
            devMetrics: ["accuracy": 0.8125], data: ["train": "train.tsv minus dev", "dev": "10% stratified, seed 9"])
        return FineTunedBundle(config: config, tensors: tensors)
    }

    static func saved() throws -> (FineTunedBundle, URL) {
        let folder = try EncoderTestSupport.temporaryFolder().appendingPathComponent("bundle")
        var bundle = bundle()
        try bundle.save(to: folder)
        return (bundle, folder)
    }

    @Test("save then load gives the same config and tensors; the id is the name plus 12 hex of the file's sha256")
    func roundTrip() throws {
        let (saved, folder) = try Self.saved()
        let loaded = try FineTunedBundle.load(from: folder)
        #expect(loaded == saved)
        #expect(loaded.tensors == Self.tensors)
        #expect(loaded.config.labels == ["negative", "neutral", "positive"])
        #expect(loaded.config.baseModelSHA256 == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db")
        let adapters = folder.appendingPathComponent("adapters.safetensors").path
        let digest = try #require(BaseModel.sha256(ofFileAt: adapters))
        #expect(loaded.modelID == "sentiment-lora@\(digest.prefix(12))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            == ["adapters.safetensors", "config.json"])
        // Saving the same tensors again gives the same id.
        var again = Self.bundle()
        #expect(try again.save(to: folder) == saved.modelID)
        // The model side maps names and shapes through `tensors(expecting:)`.
        let shapes = Self.tensors.mapValues(\.shape)
        #expect(try loaded.tensors(expecting: shapes) == Self.tensors)
    }

    @Test("the adapters file is standard safetensors and the config JSON uses the documented keys")
    func fileContents() throws {
        let (_, folder) = try Self.saved()
        let file = try SafetensorsFile(path: folder.appendingPathComponent("adapters.safetensors").path)
        #expect(try file.floats("head.bias", shape: [3]) == [0.1, -0.2, 0.3])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("config.json")))
        let object = try #require(json as? [String: Any])
        #expect(object["format"] as? String == "findoc-finetuned")
        #expect(object["version"] as? Int == 1)
        #expect(object["task"] as? String == "sentiment")
        #expect(object["base_model"] as? String == "all-MiniLM-L6-v2")
        #expect((object["adapters"] as? [String: Any])?["rank"] as? Int == 4)
        #expect((object["training"] as? [String: Any])?["learning_rate"] as? Double == 5e-5)
        #expect((object["dev_metrics"] as? [String: Any])?["accuracy"] as? Double == 0.8125)
    }

    @Test("a missing folder, config or adapters file is an error naming the file")
    func missingFiles() throws {
        let (_, folder) = try Self.saved()
        let nowhere = folder.appendingPathComponent("nope")
        #expect(throws: FineTunedBundle.BundleError.missingFile(path: nowhere.appendingPathComponent("config.json").path)) {
            try FineTunedBundle.load(from: nowhere)
        }
        let adapters = folder.appendingPathComponent("adapters.safetensors")
        try FileManager.default.removeItem(at: adapters)
        #expect(throws: FineTunedBundle.BundleError.missingFile(path: adapters.path)) {
            try FineTunedBundle.load(from: folder)
        }
    }

    @Test("a config that is not JSON, of another format, or missing a field is refused with the reason")
    func badConfig() throws {
        let (_, folder) = try Self.saved()
        let config = folder.appendingPathComponent("config.json")
        let original = try Data(contentsOf: config)
        func expectBadConfig(_ text: String, mentioning fragment: String) throws {
            try Data(text.utf8).write(to: config)
            #expect {
                try FineTunedBundle.load(from: folder)
            } throws: { error in
                guard case .badConfig(let path, let reason) = error as? FineTunedBundle.BundleError else { return false }
                return path == config.path && reason.contains(fragment)
            }
        }
        try expectBadConfig("{ not json", mentioning: "not valid JSON")
        var object = try #require(try JSONSerialization.jsonObject(with: original) as? [String: Any])
        object["format"] = "findoc-sentiment-head"
        try expectBadConfig(
            String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self),
            mentioning: "expected findoc-finetuned v1")
        object["format"] = "findoc-finetuned"
        object.removeValue(forKey: "labels")
        try expectBadConfig(
            String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self), mentioning: "labels")
    }

    @Test("a bundle trained over another base model is refused, naming both digests")
    func baseModelMismatch() throws {
        let (_, folder) = try Self.saved()
        #expect {
            try FineTunedBundle.load(from: folder, expectedBaseModelSHA256: String(repeating: "ab", count: 32))
        } throws: { error in
            guard case .baseModelMismatch(let path, let expected, let found) = error as? FineTunedBundle.BundleError
            else { return false }
            return path.hasSuffix("config.json") && expected.contains("abababababab") && found.contains("53aa51172d14")
        }
    }

    @Test("a damaged or replaced adapters file is caught by its digest, and an unreadable one by the reader")
    func damagedAdapters() throws {
        let (_, folder) = try Self.saved()
        let adapters = folder.appendingPathComponent("adapters.safetensors")
        var bytes = try [UInt8](Data(contentsOf: adapters))
        bytes[bytes.count - 1] ^= 0x01
        try Data(bytes).write(to: adapters)
        #expect {
            try FineTunedBundle.load(from: folder)
        } throws: { error in
            guard case .badTensors(let path, let reason) = error as? FineTunedBundle.BundleError else { return false }
            return path == adapters.path && reason.contains("damaged or replaced")
        }
        // Truncated, with the config's digest updated to match: the safetensors reader's error comes through.
        let truncated = Array(bytes.prefix(bytes.count - 4))
        try Data(truncated).write(to: adapters)
        let configURL = folder.appendingPathComponent("config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        config["adapters_sha256"] = BaseModel.sha256(ofFileAt: adapters.path)
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        #expect {
            try FineTunedBundle.load(from: folder)
        } throws: { error in
            guard case .badTensors(let path, let reason) = error as? FineTunedBundle.BundleError else { return false }
            return path == adapters.path && reason.contains("data_offsets")
        }
    }

    @Test("tensors the model expects must all be present with their shapes, and none extra")
    func tensorChecks() throws {
        let (_, folder) = try Self.saved()
        let loaded = try FineTunedBundle.load(from: folder)
        let path = folder.appendingPathComponent("adapters.safetensors").path
        var shapes = Self.tensors.mapValues(\.shape)
        shapes["layer.1.attention.qkv.lora_a"] = [4, 6]
        #expect(throws: FineTunedBundle.BundleError.missingTensor(path: path, tensor: "layer.1.attention.qkv.lora_a")) {
            try loaded.tensors(expecting: shapes)
        }
        shapes = Self.tensors.mapValues(\.shape)
        shapes["head.weight"] = [2, 6]
        #expect(throws: FineTunedBundle.BundleError.tensorShape(
            path: path, tensor: "head.weight", expected: [2, 6], found: [3, 6])) {
            try loaded.tensors(expecting: shapes)
        }
        shapes = Self.tensors.mapValues(\.shape)
        shapes.removeValue(forKey: "head.bias")
        #expect(throws: FineTunedBundle.BundleError.unexpectedTensor(path: path, tensor: "head.bias")) {
            try loaded.tensors(expecting: shapes)
        }
    }

    @Test("the size check sums the folder's files against the limit")
    func sizeCheck() throws {
        let (_, folder) = try Self.saved()
        let manager = FileManager.default
        let expected = try ["config.json", "adapters.safetensors"].reduce(0) {
            $0 + ((try manager.attributesOfItem(atPath: folder.appendingPathComponent($1).path)[.size] as? Int) ?? 0)
        }
        #expect(FineTunedBundle.byteSize(of: folder) == expected)
        try FineTunedBundle.checkSize(of: folder)
        #expect(throws: FineTunedBundle.BundleError.tooLarge(path: folder.path, bytes: expected, limit: 100)) {
            try FineTunedBundle.checkSize(of: folder, limit: 100)
        }
    }
}
