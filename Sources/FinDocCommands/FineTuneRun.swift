import ArgumentParser
import FinDocML
import Foundation

/// What `findoc train sentiment|entities` share around `FineTuner`: Ctrl-C handling, progress lines, the checkpoint
/// folder, and saving the bundle.
enum FineTuneRun {
    /// Trains `model` on `examples` with `options`; prints step, epoch and stop lines on stderr. After Ctrl-C the
    /// last finished epoch's checkpoint stands and the command exits with status 130 without writing a bundle.
    static func train<Model: FineTunableModel>(
        model: Model, examples: [Model.Example], flags: FineTuneFlags, options: FineTunerOptions, metricName: String,
        devMetric: ((Model) throws -> Double)?
    ) throws -> FineTuningResult {
        let checkpoint = flags.checkpointPath
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: checkpoint).deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            Terminal.error("cannot create the folder of the checkpoint \(checkpoint): \(error.localizedDescription)")
            throw ExitCode.failure
        }
        let interrupt = TrainingInterrupt()
        interrupt.installSignalHandler {
            Terminal.endProgress()
            Terminal.diagnostic("stopping after this step (Ctrl-C again to quit at once)")
        }
        defer { interrupt.removeSignalHandler() }
        let printer = FineTuneProgressPrinter(metricName: metricName, epochs: options.epochs, checkpointPath: checkpoint)
        let trainer = FineTuner<Model>(options: options, checkpointPath: checkpoint, interrupt: interrupt)
        let result: FineTuningResult
        do {
            result = try trainer.train(
                model: model, examples: examples, devMetric: devMetric, resume: flags.resume, progress: printer.handle)
        } catch {
            Terminal.endProgress()
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        Terminal.endProgress()
        if case .interrupted = result.stop { throw ExitCode(130) }
        return result
    }

    /// Runs the model's own check on every example before training (the trainer treats a bad one as a programming
    /// error); a failure is printed with `where` naming the example's source and fails the command.
    static func checkExamples<Example>(
        _ examples: [Example], check: (Example, Int) throws -> Void, where source: (Int) -> String
    ) throws {
        for (index, example) in examples.enumerated() {
            do {
                try check(example, index)
            } catch {
                Terminal.error("\(source(index)): \(error)")
                throw ExitCode.failure
            }
        }
    }

    /// Saves `bundle` into `flags.out`, removes the checkpoint of the finished run (it is only for resuming), and
    /// returns the model id. A bundle over the 5 MB a shipped model may take gets a warning, not a failure.
    static func save(_ bundle: inout FineTunedBundle, flags: FineTuneFlags) throws -> String {
        let folder = URL(fileURLWithPath: flags.out, isDirectory: true)
        let id: String
        do {
            id = try bundle.save(to: folder)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        try? FileManager.default.removeItem(atPath: flags.checkpointPath)
        let bytes = FineTunedBundle.byteSize(of: folder)
        if bytes > FineTunedBundle.shippedSizeLimit {
            Terminal.diagnostic(
                "note: \(flags.out) holds \(Terminal.grouped(bytes)) bytes, more than the 5 MB a shipped bundle may take")
        }
        return id
    }

    /// The installed base encoder's folder, or a failure saying how to install it.
    static func baseModelFolder() throws -> URL {
        let folder = BaseModel.folder(in: .resolve())
        do {
            try BaseModel.checkPresent(folder: folder)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        return folder
    }
}
