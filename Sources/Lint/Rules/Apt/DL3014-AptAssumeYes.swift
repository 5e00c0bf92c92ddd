import DockerfileSyntax

/// DL3014: apt-get install without -y.
struct AptAssumeYesRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3014", origin: .hadolint, category: .apt, name: "apt-assume-yes", severity: .warning,
        summary: "Use the `-y` switch to avoid manual input `apt-get -y install <package>`",
        rationale: "Without -y, apt-get waits for an answer that never comes and the build fails.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3014",
        triggeringExamples: ["FROM debian:12\n↓RUN apt-get install curl=1\n", "FROM debian:12\n↓RUN apt-get -q install curl=1\n",
                             "FROM debian:12\n↓RUN apt-get -q -q -q install curl=1\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN apt-get install -y curl=1\n", "FROM debian:12\nRUN apt-get -qq install curl=1\n",
                                "FROM debian:12\nRUN apt-get install --assume-yes curl=1\n", "FROM debian:12\nRUN apt-get -q -q install curl=1\n",
                                "FROM debian:12\nRUN apt-get --quiet --quiet install curl=1\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.commands(named: "apt-get").compactMap { located in
            let command = located.command
            guard command.isAptGetInstall else { return nil }
            // One pass with a switch: an array literal tested per flag is built per flag.
            var saysYes = false
            var quietCount = 0
            var longQuietCount = 0
            for flag in command.flags {
                switch flag {
                case "y", "yes", "qq", "assume-yes": saysYes = true
                case "q": quietCount += 1
                case "quiet": longQuietCount += 1
                default: break
                }
            }
            let assumesYes = saysYes || quietCount == 2 || longQuietCount == 2 || command.argumentValues.contains("-q=2")
            return assumesYes ? nil : finding(description.summary, at: file.instructionRange(through: located))
        }
    }
}
