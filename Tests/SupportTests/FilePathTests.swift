import Testing
@testable import Support

@Test func pathsResolveFromADirectoryAsCopyReadsADestination() {
    #expect(FilePath.resolved("./", from: "/srv") == "/srv/")
    #expect(FilePath.resolved(".", from: "/srv") == "/srv/")
    #expect(FilePath.resolved("a/../b/c.txt", from: "/srv/") == "/srv/b/c.txt")
    #expect(FilePath.resolved("/opt/x/", from: "/srv") == "/opt/x/")
    #expect(FilePath.resolved("../../..", from: "/srv") == "/")
    #expect(FilePath.cleanComponents("a/./b//../c") == ["a", "c"])
}
