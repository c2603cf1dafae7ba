import FinDocCore
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

    @Test func ordersChronologically() throws {
        let a = try #require(LocalDate(iso: "2016-12-31"))
        let b = try #require(LocalDate(iso: "2017-01-01"))
        #expect(a < b)
        #expect(a.iso < b.iso, "ISO text must sort like the dates, the store relies on it")
    }
}
