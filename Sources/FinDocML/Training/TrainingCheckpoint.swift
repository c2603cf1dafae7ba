import Foundation

/// Everything needed to continue a fine-tuning run after its last finished epoch, in ONE safetensors file so that
/// a single atomic rename replaces the previous checkpoint (several files could be caught half-replaced):
///
/// - `param/<name>`: the parameters' current values; `best/<name>`: the best epoch's values (early stopping
///   restores them); `adam.m/<name>`, `adam.v/<name>`: AdamW's moments;
/// - `__metadata__` → `findoc_checkpoint`: JSON with the options, the step and epoch counts, the history and the
///   early-stopping state (`State`).
///
/// Random streams are derived from (seed, epoch) and (seed, step), so no generator state needs saving: a run
/// resumed from epoch k's checkpoint continues exactly as the uninterrupted run would have.
public struct TrainingCheckpoint: Sendable, Equatable {
    /// The run's counters and settings.
    public struct State: Sendable, Equatable, Codable {
        /// Format name, `findoc-training-checkpoint`.
        public var format: String
        /// Format version, 1.
        public var version: Int
        /// The options of the run (a resumed run must use the same ones: the schedule depends on them).
        public var options: FineTunerOptions
        /// Training examples (the batches and the schedule depend on it).
        public var exampleCount: Int
        /// Epochs finished.
        public var epochsCompleted: Int
        /// Optimiser steps taken (AdamW's `t`).
        public var step: Int
        /// Best epoch so far (1-based), nil before the first.
        public var bestEpoch: Int?
        /// Its dev metric.
        public var bestMetric: Double?
        /// Epochs in a row without improvement since the best.
        public var epochsWithoutImprovement: Int
        /// True when training ended (all epochs, or early stopping): resuming only restores the best values.
        public var finished: Bool
        /// Finished epochs.
        public var history: [FineTuningEpoch]
        /// Parameter names in the model's order.
        public var parameterNames: [String]

        enum CodingKeys: String, CodingKey {
            case format, version, options, step, finished, history
            case exampleCount = "example_count", epochsCompleted = "epochs_completed", bestEpoch = "best_epoch"
            case bestMetric = "best_metric", epochsWithoutImprovement = "epochs_without_improvement"
            case parameterNames = "parameter_names"
        }
    }

    /// The format name in `State.format`.
    public static let format = "findoc-training-checkpoint"
    /// The metadata key holding the state JSON.
    static let metadataKey = "findoc_checkpoint"

    /// Counters and settings.
    public var state: State
    /// Current values by parameter name.
    public var parameters: [String: TensorData]
    /// Best epoch's values by name (empty before the first epoch finishes).
    public var best: [String: TensorData]
    /// AdamW moments by parameter name.
    public var moments: [String: AdamW.Moments]

    /// A checkpoint of the given parts.
    public init(
        state: State, parameters: [String: TensorData], best: [String: TensorData], moments: [String: AdamW.Moments]
    ) {
        self.state = state
        self.parameters = parameters
        self.best = best
        self.moments = moments
    }

    /// Writes the checkpoint to `path` atomically.
    public func write(to path: String) throws {
        var tensors: [String: TensorData] = [:]
        for (name, tensor) in parameters { tensors["param/\(name)"] = tensor }
        for (name, tensor) in best { tensors["best/\(name)"] = tensor }
        for (name, moment) in moments {
            let shape = parameters[name]?.shape ?? [moment.first.count]
            tensors["adam.m/\(name)"] = TensorData(shape: shape, values: moment.first)
            tensors["adam.v/\(name)"] = TensorData(shape: shape, values: moment.second)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(state), as: UTF8.self)
        try SafetensorsWriter.write(tensors, metadata: [Self.metadataKey: json], to: path)
    }

    /// Reads a checkpoint written by `write(to:)`; errors name the file.
    public static func read(from path: String) throws(FineTuningError) -> TrainingCheckpoint {
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(path: path)
        } catch {
            throw .checkpoint(path: path, reason: error.description)
        }
        guard let json = file.metadata[metadataKey] else {
            throw .checkpoint(path: path, reason: "no \(metadataKey) metadata: not a findoc training checkpoint")
        }
        let state: State
        do {
            state = try JSONDecoder().decode(State.self, from: Data(json.utf8))
        } catch {
            throw .checkpoint(path: path, reason: "unreadable state: \(error)")
        }
        guard state.format == format, state.version == 1 else {
            throw .checkpoint(path: path, reason: "format \(state.format) v\(state.version), expected \(format) v1")
        }
        var parameters: [String: TensorData] = [:]
        var best: [String: TensorData] = [:]
        var moments: [String: AdamW.Moments] = [:]
        do {
            for name in state.parameterNames {
                guard let info = file.tensors["param/\(name)"] else {
                    throw FineTuningError.checkpoint(path: path, reason: "tensor param/\(name) is missing")
                }
                parameters[name] = TensorData(shape: info.shape, values: try file.floats("param/\(name)"))
                if file.tensors["best/\(name)"] != nil {
                    best[name] = TensorData(shape: info.shape, values: try file.floats("best/\(name)", shape: info.shape))
                }
                moments[name] = AdamW.Moments(
                    first: try file.floats("adam.m/\(name)", shape: info.shape),
                    second: try file.floats("adam.v/\(name)", shape: info.shape))
            }
        } catch let error as FineTuningError {
            throw error
        } catch {
            throw .checkpoint(path: path, reason: "\(error)")
        }
        if state.bestEpoch != nil, best.count != parameters.count {
            throw .checkpoint(path: path, reason: "a best epoch is recorded but its values are incomplete")
        }
        return TrainingCheckpoint(state: state, parameters: parameters, best: best, moments: moments)
    }
}
