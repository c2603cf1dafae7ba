import Foundation
import Testing

@testable import FinDocML

@Suite struct ModelsDirectoryTests {
    @Test func environmentVariableWins() {
        let dir = ModelsDirectory.resolve(environment: ["FINDOC_MODELS": "/opt/m", "XDG_CACHE_HOME": "/x", "HOME": "/h"])
        #expect(dir.url.path == "/opt/m")
    }

    @Test func xdgCacheThenHome() {
        #expect(ModelsDirectory.resolve(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]).url.path == "/x/findoc/models")
        #expect(ModelsDirectory.resolve(environment: ["HOME": "/h"]).url.path == "/h/.cache/findoc/models")
        #expect(ModelsDirectory.resolve(environment: ["HOME": "/h"]).folder(named: "all-MiniLM-L6-v2").path
            == "/h/.cache/findoc/models/all-MiniLM-L6-v2")
    }
}
