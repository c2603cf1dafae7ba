import Foundation

/// The bridge between the on-disk `FineTunedBundle` (names, shapes, config) and the model classes: which adapters a
/// bundle describes, and how its tensors become a model's trainable parameters again.
extension FineTunedBundle.Adapters {
    /// The adapter record of `options` (LoRA only: full fine-tuning is not a compact bundle).
    public init?(_ options: FineTuningOptions) {
        guard case .lora(let lora) = options.method else { return nil }
        self.init(
            rank: lora.rank, alpha: lora.alpha, targets: LoRATarget.allCases.filter { lora.targets.contains($0) }.map(\.rawValue),
            trainLayerNorms: options.trainLayerNorms)
    }

    /// The fine-tuning options that rebuild the model these adapters were trained in (dropout off: a loaded bundle
    /// is for inference or for further training with the caller's own dropout).
    public func fineTuningOptions() throws(FineTunedBundle.BundleError) -> FineTuningOptions {
        var targets = Set<LoRATarget>()
        for name in self.targets {
            guard let target = LoRATarget(rawValue: name) else {
                throw .badConfig(
                    path: FineTunedBundle.configFile,
                    reason: "unknown adapter target \"\(name)\"; expected one of "
                        + LoRATarget.allCases.map(\.rawValue).joined(separator: ", "))
            }
            targets.insert(target)
        }
        guard kind == "lora", rank >= 1, alpha.isFinite, !targets.isEmpty else {
            throw .badConfig(
                path: FineTunedBundle.configFile,
                reason: "adapters must be lora with rank ≥ 1 and at least one target (found \(kind), rank \(rank))")
        }
        return FineTuningOptions(
            method: .lora(LoRAConfiguration(rank: rank, alpha: alpha, targets: targets)), trainLayerNorms: trainLayerNorms,
            hiddenDropout: 0, attentionDropout: 0, headDropout: 0)
    }
}

extension FineTunedBundle {
    /// The task of the fine-tuned bundle in `folder`, read from its `config.json` without loading the tensors; nil
    /// when the folder holds no such bundle.
    public static func task(at folder: URL) -> Task? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(configFile).path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            object["format"] as? String == format
        else { return nil }
        return (object["task"] as? String).flatMap(Task.init(rawValue:))
    }

    /// Copies the bundle's tensors into `parameters`, after checking that the names and shapes match exactly.
    public func restore(into parameters: [TrainableParameter]) throws(BundleError) {
        let stored = try tensors(expecting: parameters.shapesByName)
        for parameter in parameters {
            if let tensor = stored[parameter.name] { parameter.values = tensor.values }
        }
    }
}

/// Why a fine-tuned bundle could not become a model.
public enum FineTunedModelError: Error, CustomStringConvertible {
    /// The bundle itself is unreadable or does not match the model.
    case bundle(FineTunedBundle.BundleError)
    /// The base encoder could not be loaded.
    case encoder(EncoderError)
    /// The bundle is for another task.
    case wrongTask(path: String, expected: FineTunedBundle.Task, found: FineTunedBundle.Task)

    /// A message naming the file and what was expected.
    public var description: String {
        switch self {
        case .bundle(let error): return error.description
        case .encoder(let error): return error.description
        case .wrongTask(let path, let expected, let found):
            return "\(path): a \(found.rawValue) bundle; this needs a \(expected.rawValue) bundle"
        }
    }
}

extension FineTunedBundle {
    /// Builds the model the bundle describes with `make` (given the bundle's options and label count) and loads the
    /// bundle's tensors into it, after checking the task; every failure names the file.
    func restoreModel<Model: FineTunableModel>(
        task: Task, make: (FineTuningOptions, Int) throws(EncoderError) -> Model
    ) throws(FineTunedModelError) -> Model {
        guard config.task == task else { throw .wrongTask(path: adaptersPath, expected: task, found: config.task) }
        let options: FineTuningOptions
        do {
            options = try config.adapters.fineTuningOptions()
        } catch {
            throw .bundle(error)
        }
        let model: Model
        do {
            model = try make(options, config.labels.count)
        } catch {
            throw .encoder(error)
        }
        do {
            try restore(into: model.trainableParameters)
        } catch {
            throw .bundle(error)
        }
        return model
    }
}

extension MiniLMSequenceClassifier {
    /// The classifier a sentiment bundle describes: the base encoder from `modelDirectory` with the bundle's
    /// adapters, LayerNorms and head.
    public static func restore(
        bundle: FineTunedBundle, modelDirectory: URL, threads: Int = 2
    ) throws(FineTunedModelError) -> MiniLMSequenceClassifier {
        try bundle.restoreModel(task: .sentiment) { (options, labels) throws(EncoderError) in
            try MiniLMSequenceClassifier(
                modelDirectory: modelDirectory, labelCount: labels, options: options, threads: threads)
        }
    }
}

extension MiniLMSequenceClassifier {
    /// As `restore(bundle:modelDirectory:threads:)` over an encoder already loaded (its fp32 weights are the base),
    /// so the weights are not read from disk a second time.
    static func restore(bundle: FineTunedBundle, encoder: MiniLMEncoder) throws(FineTunedModelError)
        -> MiniLMSequenceClassifier
    {
        try bundle.restoreModel(task: .sentiment) { (options, labels) throws(EncoderError) in
            MiniLMSequenceClassifier(
                config: encoder.config, weights: encoder.weights, modelDirectory: encoder.modelDirectory,
                labelCount: labels, options: options, seed: 0, threads: encoder.threads)
        }
    }
}

extension MiniLMTokenClassifier {
    /// The token classifier an entities bundle describes: the base encoder from `modelDirectory` with the bundle's
    /// adapters, LayerNorms and head.
    public static func restore(
        bundle: FineTunedBundle, modelDirectory: URL, threads: Int = 2
    ) throws(FineTunedModelError) -> MiniLMTokenClassifier {
        try bundle.restoreModel(task: .entities) { (options, labels) throws(EncoderError) in
            try MiniLMTokenClassifier(
                modelDirectory: modelDirectory, labelCount: labels, options: options, threads: threads)
        }
    }
}
