import FinDocCore
import Foundation
import Testing

@Suite struct LocalDateTests {
    @Test func validatesDays() {
        #expect(LocalDate(year: 2016, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 2017, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 1900, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2000, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 2017, month: 4, day: 31) == nil)
        #expect(LocalDate(year: 2017, month: 13, day: 1) == nil)
        #expect(LocalDate(year: 0, month: 1, day: 1) == nil)
    }

    @Test func isoRoundTrip() {
        let date = LocalDate(year: 2017, month: 1, day: 3)
        #expect(date?.iso == "2017-01-03")
        #expect(LocalDate(iso: "2017-01-03") == date)
        #expect(LocalDate(iso: "2017-1-03") == nil)
        #expect(LocalDate(iso: "2017-02-30") == nil)
        #expect(LocalDate(iso: "20170103") == nil)
    }

    /// The ten-byte formatter pads every field: checked against Foundation's own zero-padded formatting.
    @Test(arguments: [(1, 1, 1), (5, 2, 9), (999, 10, 10), (1000, 12, 31), (2024, 2, 29), (9999, 12, 31)])
    func isoPadsEveryField(year: Int, month: Int, day: Int) throws {
        let date = try #require(LocalDate(year: year, month: month, day: day))
        let expected = String(format: "%04d-%02d-%02d", year, month, day)
        #expect(date.iso == expected)
        #expect(date.withISOBytes { Array($0) } == Array(expected.utf8))
    }

    @Test func ordersChronologically() throws {
        let a = try #require(LocalDate(iso: "2016-12-31"))
        let b = try #require(LocalDate(iso: "2017-01-01"))
        #expect(a < b)
        #expect(a.iso < b.iso, "ISO text must sort like the dates, the store relies on it")
    }
}

@Suite struct LocalDateArithmeticTests {
    @Test func epochAndKnownDays() throws {
        #expect(try #require(LocalDate(iso: "1970-01-01")).daysSinceEpoch == 0)
        #expect(try #require(LocalDate(iso: "2000-03-01")).daysSinceEpoch == 11_017)  // 30 years, 7 leap days, Jan+Feb 2000
        #expect(try #require(LocalDate(iso: "1969-12-31")).daysSinceEpoch == -1)
    }

    @Test func addingCrossesMonthsYearsAndLeapDays() throws {
        let d = try #require(LocalDate(iso: "2016-02-28"))
        #expect(d.adding(days: 1)?.iso == "2016-02-29")
        #expect(d.adding(days: 2)?.iso == "2016-03-01")
        #expect(LocalDate(iso: "2016-12-31")?.adding(days: 1)?.iso == "2017-01-01")
        #expect(LocalDate(iso: "2017-01-03")?.adding(days: -7)?.iso == "2016-12-27")
        // Round trip over a long span, every day.
        var day = try #require(LocalDate(iso: "1999-12-25"))
        for _ in 0..<1200 {
            let next = try #require(day.adding(days: 1))
            #expect(next.daysSinceEpoch == day.daysSinceEpoch + 1)
            #expect(next > day)
            day = next
        }
        #expect(LocalDate(iso: "9999-12-31")?.adding(days: 1) == nil)
    }
}
