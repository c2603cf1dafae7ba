import Foundation

/// What is installed of the base model: each file with its size and, when asked, whether its digest matches.
public struct BaseModelInspection: Sendable {
    /// One file's state.
    public struct FileState: Sendable, Equatable {
        /// The file as `BaseModel.files` describes it.
        public let file: BaseModel.File
        /// Its size in bytes, or nil when missing.
        public let byteCount: Int?
        /// The digest found, when it was computed (pinned files, `verifyDigests`).
        public let sha256: String?

        /// "ok", "missing", "sha256 mismatch", "present" (not pinned) or "not checked".
        public var status: String {
            guard byteCount != nil else { return file.required ? "missing" : "missing (optional)" }
            guard let expected = file.sha256 else { return "present" }
            guard let sha256 else { return "not checked" }
            return sha256 == expected ? "ok (sha256 matches)" : "sha256 mismatch"
        }

        /// False when the runtime cannot trust this file.
        public var isUsable: Bool {
            guard byteCount != nil else { return !file.required }
            if let expected = file.sha256, let sha256 { return sha256 == expected }
            return true
        }
    }

    /// The folder inspected.
    public let folder: URL
    /// Every file, in `BaseModel.files` order.
    public let files: [FileState]

    /// True when every required file is present and every computed digest matches.
    public var isInstalled: Bool { files.allSatisfy(\.isUsable) }

    /// Looks at `folder`; with `verifyDigests`, hashes the pinned files (about a second for the weights).
    public init(folder: URL, verifyDigests: Bool) {
        self.folder = folder
        let manager = FileManager.default
        files = BaseModel.files.map { file in
            let path = folder.appendingPathComponent(file.name).path
            let size = (try? manager.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
            let digest = (verifyDigests && size != nil && file.sha256 != nil) ? BaseModel.sha256(ofFileAt: path) : nil
            return FileState(file: file, byteCount: size, sha256: digest)
        }
    }
}
