import Testing
@testable import dockerkit

@Test func diffPrintsRemovedLinesBeforeAddedOnesWithExactCounts() {
    let diff = UnifiedDiff.render(old: "from a\nrun x\nCMD y\n", new: "FROM a\nRUN x\nCMD y\n", path: "Dockerfile")
    #expect(diff == "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,3 +1,3 @@\n-from a\n-run x\n+FROM a\n+RUN x\n CMD y\n")
}

@Test func diffSaysWhenTheOldFileHadNoFinalLineBreak() {
    let diff = UnifiedDiff.render(old: "from a", new: "FROM a\n", path: "/tmp/Dockerfile")
    #expect(diff == "--- a/tmp/Dockerfile\n+++ b/tmp/Dockerfile\n@@ -1,1 +1,1 @@\n-from a\n\\ No newline at end of file\n+FROM a\n")
}
