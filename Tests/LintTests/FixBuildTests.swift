import DockerfileSyntax
import Foundation
import Lint
import Testing

/// Safe fixes composed to their fixed point must keep a Dockerfile building: the apt lists are never deleted
/// before an install that reads them, in this RUN, a later RUN or a stage built on this one.
@Suite struct FixBuildTests {
    func fixed(_ text: String) -> String {
        let linter = Linter()
        let result = Fixer.fix(source: Array(text.utf8), path: "Dockerfile", configuration: LintConfiguration(), linter: linter, includingUnsafe: false)
        return result.map { String(decoding: $0.fixed, as: UTF8.self) } ?? text
    }

    /// Every install after the last `rm` of the lists has an update before it in the same RUN.
    func installsHaveLists(_ text: String) -> Bool {
        var listsPresent = false
        for line in text.split(separator: "\n") where line.hasPrefix("RUN ") || line.hasPrefix("FROM ") {
            if line.hasPrefix("FROM ") { listsPresent = line.contains(" AS ") ? false : listsPresent; continue }
            for part in line.split(separator: "&&").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                if part.contains("apt-get update") { listsPresent = true }
                if part.contains("apt-get install") && !listsPresent { return false }
                if part.contains("rm -rf /var/lib/apt/lists/*") { listsPresent = false }
            }
        }
        return true
    }

    @Test func theListsAreNeverDeletedBetweenUpdateAndInstall() {
        let cases = [
            "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n",
            "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n",
            "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\nRUN apt-get install -y --no-install-recommends make\n",
            "FROM debian:12 AS base\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\nFROM base\nRUN apt-get install -y --no-install-recommends make\n",
        ]
        for text in cases {
            let result = fixed(text)
            #expect(installsHaveLists(result), "\(text)\n→\n\(result)")
        }
    }

    @Test func aRunThatUpdatesAndInstallsStillGetsTheListsDeleted() {
        #expect(fixed("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n")
            .contains("apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"))
    }
}

@Test func fixesNeverChangeWhichDirectivesBuildKitReads() {
    let text = "\n# escape=`\nFROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"
    let result = Fixer.fix(source: Array(text.utf8), path: "Dockerfile", configuration: LintConfiguration(), linter: Linter())
    let fixed = result.map { String(decoding: $0.fixed, as: UTF8.self) } ?? text
    #expect(DockerfileParser.parse(Array(fixed.utf8)).directives.isEmpty)
    #expect(fixed.hasPrefix("\n# escape=`\n"))
}
