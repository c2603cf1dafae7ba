import Foundation

/// Where findoc keeps installed base models and trained bundles on this machine.
///
/// `FINDOC_MODELS` wins; otherwise the user's cache directory (`$XDG_CACHE_HOME/findoc/models`, else
/// `~/.cache/findoc/models`). Nothing here touches the network: installing is the set-up's job.
public struct ModelsDirectory: Sendable, Equatable {
    /// The folder itself (it may not exist yet).
    public let url: URL

    /// Uses `url` as the models folder.
    public init(url: URL) {
        self.url = url
    }

    /// Resolves the folder from the environment, as described on the type.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> ModelsDirectory {
        if let explicit = environment["FINDOC_MODELS"], !explicit.isEmpty {
            return ModelsDirectory(url: URL(fileURLWithPath: explicit, isDirectory: true))
        }
        let cache: URL
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            cache = URL(fileURLWithPath: xdg, isDirectory: true)
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            cache = URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache", isDirectory: true)
        }
        return ModelsDirectory(
            url: cache.appendingPathComponent("findoc", isDirectory: true).appendingPathComponent("models", isDirectory: true))
    }

    /// The folder of one installed model or bundle, e.g. `all-MiniLM-L6-v2` or `categories/default`.
    public func folder(named name: String) -> URL {
        url.appendingPathComponent(name, isDirectory: true)
    }
}
