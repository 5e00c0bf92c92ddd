import Support
import Testing

@Test func utcTimeFromSecondsGivesTheCalendarFields() {
    #expect(UTCTime(secondsSince1970: 0) == UTCTime(year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0))
    #expect(UTCTime(secondsSince1970: 1_795_930_959) == UTCTime(year: 2026, month: 11, day: 29, hour: 5, minute: 42, second: 39))
    #expect(UTCTime(secondsSince1970: 951_782_400) == UTCTime(year: 2000, month: 2, day: 29, hour: 0, minute: 0, second: 0))
}

@Test func utcTimeRoundTripsThroughSecondsAcrossLeapYears() {
    for seconds in stride(from: 0, to: 4_102_444_800, by: 86_399 * 37) {
        #expect(UTCTime(secondsSince1970: seconds).secondsSince1970 == seconds)
    }
}

@Test func utcTimeReadsEngineStampsWithFractions() {
    #expect(UTCTime(rfc3339: "2026-11-29T05:42:39.123456789Z")?.secondsSince1970 == 1_795_930_959)
    #expect(UTCTime(rfc3339: "0001-01-01T00:00:00Z")?.year == 1)
}

@Test func utcTimeRejectsTextThatIsNotAStamp() {
    #expect(UTCTime(rfc3339: "2026-13-29T05:42:39Z") == nil)
    #expect(UTCTime(rfc3339: "2026/11/29 05:42:39Z") == nil)
    #expect(UTCTime(rfc3339: "yesterday") == nil)
}
