import FinDocCore
import Testing

@testable import FinDocIngest

@Suite struct CSVDateParserTests {
    func date(_ text: String, _ order: DateOrder = .dmy) -> LocalDate? {
        let column = CSVDateColumn(values: [text], forced: order, fallback: nil)
        if case .success(let d) = column.date(text) { return d }
        return nil
    }

    @Test(arguments: [
        ("2017-01-31", .dmy, 2017, 1, 31), ("2017-01-31T13:45:00Z", .dmy, 2017, 1, 31),
        ("2017-01-31 13:45", .dmy, 2017, 1, 31), ("31/01/2017", .dmy, 2017, 1, 31), ("01/31/2017", .mdy, 2017, 1, 31),
        ("31/01/17", .dmy, 2017, 1, 31), ("01/31/17", .mdy, 2017, 1, 31), ("31.01.2017", .dmy, 2017, 1, 31),
        ("31-01-2017", .dmy, 2017, 1, 31), ("2017/01/31", .mdy, 2017, 1, 31), ("20170131", .dmy, 2017, 1, 31),
        ("3 Jan 2017", .mdy, 2017, 1, 3), ("03-JAN-17", .dmy, 2017, 1, 3), ("Jan 3, 2017", .dmy, 2017, 1, 3),
        ("January 3, 2017", .dmy, 2017, 1, 3), ("3 september 2017", .dmy, 2017, 9, 3), ("31/12/69", .dmy, 2069, 12, 31),
        ("01/01/70", .dmy, 1970, 1, 1), ("1/2/99", .dmy, 1999, 2, 1), ("Tue, 03 Jan 2017", .dmy, 2017, 1, 3),
        ("17/01/31", .ymd, 2017, 1, 31), (" 03/01/2017 ", .dmy, 2017, 1, 3), ("29/02/2016", .dmy, 2016, 2, 29),
    ] as [(String, DateOrder, Int, Int, Int)])
    func formats(text: String, order: DateOrder, year: Int, month: Int, day: Int) {
        #expect(date(text, order) == LocalDate(year: year, month: month, day: day), "\(text)")
    }

    @Test(arguments: ["31/02/2017", "2017-13-01", "00/01/2017", "29/02/2017", "20171301"])
    func impossibleDates(text: String) {
        let column = CSVDateColumn(values: [text], forced: .dmy, fallback: nil)
        #expect(column.date(text) == .failure(.impossible), "\(text)")
    }

    @Test(arguments: ["yesterday", "2017", "1/2", "12:30", "01/02/2017x", "3 Foo 2017", "1/2/345", "", "2017-01-31-05"])
    func unrecognised(text: String) {
        let column = CSVDateColumn(values: [text], forced: .dmy, fallback: nil)
        guard case .failure(let failure) = column.date(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(failure == (text.isEmpty ? .empty : .unrecognised), "\(text)")
    }

    @Test func orderIsDecidedOverTheColumn() {
        let dmy = CSVDateColumn(values: ["01/02/2017", "13/02/2017"], forced: nil, fallback: nil)
        #expect(dmy.order == .dmy)
        #expect(!dmy.ambiguous)
        #expect((try? dmy.date("01/02/2017").get()) == LocalDate(year: 2017, month: 2, day: 1))
        let mdy = CSVDateColumn(values: ["01/02/2017", "02/13/2017"], forced: nil, fallback: nil)
        #expect(mdy.order == .mdy)
        #expect((try? mdy.date("01/02/2017").get()) == LocalDate(year: 2017, month: 1, day: 2))
        let ambiguous = CSVDateColumn(values: ["01/02/2017", "03/04/2017"], forced: nil, fallback: nil)
        #expect(ambiguous.ambiguous)
        #expect(ambiguous.order == .dmy)
        #expect(ambiguous.pattern == "dd/mm/yyyy")
        let sameDayMonth = CSVDateColumn(values: ["01/01/2017", "2017-05-05"], forced: nil, fallback: nil)
        #expect(!sameDayMonth.ambiguous)
        let contradicting = CSVDateColumn(
            values: ["13/01/2017", "14/01/2017", "01/13/2017"], forced: nil, fallback: nil)
        #expect(contradicting.order == .dmy)
        #expect(contradicting.contradicting == .mdy)
        #expect(contradicting.date("01/13/2017") == .failure(.contradicts(.mdy)))
        #expect((try? contradicting.date("13/01/2017").get()) == LocalDate(year: 2017, month: 1, day: 13))
    }
}
