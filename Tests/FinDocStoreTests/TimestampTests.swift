import Foundation
import Testing

@testable import FinDocStore

/// Stored time stamps against Python's `datetime.fromtimestamp(s, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")`.
@Suite struct TimestampTests {
    @Test(arguments: [
        (0, "1970-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (1_700_000_000, "2023-11-14T22:13:20Z"),
        (4_102_444_799, "2099-12-31T23:59:59Z"),
    ])
    func isoText(seconds: Int, expected: String) {
        #expect(Timestamp.iso(time_t(seconds)) == expected)
    }

    @Test func nowHasTheStoredShape() throws {
        let now = Timestamp.nowISO()
        let pattern = try Regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")
        #expect(now.wholeMatch(of: pattern) != nil, "\(now)")
    }
}
