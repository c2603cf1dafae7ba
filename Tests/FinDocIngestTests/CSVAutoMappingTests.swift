import FinDocCore
import Foundation
import Testing

@testable import FinDocIngest

/// Automatic mapping of header shapes met in real exports (the OCA, reds-importers and Kaggle fixtures in
/// ../shared/data), with the sign decided by a debit/credit column when the amounts are magnitudes.
@Suite struct CSVAutoMappingTests {
    @Test func transactionTypeColumnGivesTheSign() {
        let document = TestSupport.read(
            "Date,Description,Amount,Transaction Type,Category,Account Name\n"
                + "01/01/2018,Amazon,11.11,debit,Shopping,Platinum Card\n"
                + "01/02/2018,Paycheck,2000.00,credit,Paycheck,Checking\n")
        #expect(TestSupport.minor(document) == [-1111, 200_000])
        #expect(document.transactions.map(\.account) == ["Platinum Card", "Checking"])
        #expect(document.transactions.map(\.sourceCategory) == ["Shopping", "Paycheck"])
        #expect(TestSupport.diagnostics(document, "csv.direction-column").count == 1)
    }

    /// A "Type" column of transaction codes (DD, SO, DEB) is not a direction: the signed amount stands.
    @Test func typeColumnOfCodesIsLeftAlone() {
        let document = TestSupport.read(
            "Date,Type,Description,Amount\n03/01/2024,DEB,Tesco,-42.17\n05/01/2024,FPI,Salary,3250.00\n")
        #expect(TestSupport.minor(document) == [-4217, 325_000])
        #expect(TestSupport.diagnostics(document, "csv.direction-column").isEmpty)
    }

    /// A column that is only *mostly* debit/credit is not trusted with the sign.
    @Test func mixedValuesAreNotADirection() {
        let document = TestSupport.read(
            "Date,Description,Amount,Transaction Type\n01/01/2018,A,-5.00,debit\n02/01/2018,B,7.00,transfer\n")
        #expect(TestSupport.minor(document) == [-500, 700])
    }

    @Test func labelPartnerAndDirectionHeaders() {
        let document = TestSupport.read(
            "\"Date\",\"Label\",\"Amount\",\"D/C\",\"Balance\",\"Partner Name\",\"Bank Account\"\n"
                + "\"12/15/2018\",\"Your best supplier\",\"33.50\",\"D\",\"-23.50\",\"John Doe\",\"123456789\"\n"
                + "\"12/15/2018\",\"Your payment\",\"-1,533.50\",\"C\",\"1,510.00\",\"Azure Interior\",\"\"\n",
            options: CSVOptions(defaultCurrency: CurrencyCode("EUR")))
        #expect(TestSupport.minor(document) == [-3350, 153_350])
        #expect(document.transactions.map(\.description) == ["Your best supplier", "Your payment"])
        #expect(document.transactions.map(\.payee) == ["John Doe", "Azure Interior"])
        // "Bank Account" is the counterparty's account here, so it must not become the statement's account.
        #expect(Set(document.transactions.map(\.account)).count == 1)
    }

    /// The Kaggle personal-transactions export: every row stored, signs from "Transaction Type" matching an
    /// independent count of debit and credit rows.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: kagglePath), "needs ../shared/data"))
    func kagglePersonalTransactions() throws {
        let bytes = try #require(TestSupport.readFile(Self.kagglePath))
        let document = CSVStatementIngestor(options: CSVOptions(defaultCurrency: CurrencyCode("USD")))
            .read(bytes, path: Self.kagglePath)
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).dropFirst()
        let debit = lines.filter { $0.split(separator: ",").dropLast(2).last == "debit" }.count
        let credit = lines.filter { $0.split(separator: ",").dropLast(2).last == "credit" }.count
        #expect(document.transactions.count == lines.count)
        #expect(document.transactions.filter { $0.amount.minorUnits < 0 }.count == debit)
        #expect(document.transactions.filter { $0.amount.minorUnits > 0 }.count == credit)
        #expect(!document.hasErrors)
    }

    static let kagglePath = TestSupport.repositoryRoot + "/../shared/data/txn_personal_transactions_kaggle/personal_transactions.csv"
}
