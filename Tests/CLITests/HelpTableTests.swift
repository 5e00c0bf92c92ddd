import Foundation
import Testing

/// Every subcommand answers `--help` and `-h` with its usage (exit 0), an unknown flag with the nearest one
/// (exit 2), and a mistyped command with a suggestion.
@Suite struct HelpTableTests {
    static let commands = ["lint", "rules", "explain", "fmt", "new", "reverse", "build", "lab", "parse", "version", "help", "completions", "man", "lsp"]

    @Test("--help and -h print the command's usage", arguments: commands)
    func helpPrintsUsage(_ command: String) throws {
        for flag in ["--help", "-h"] {
            let result = try runDockerkit([command, flag])
            #expect(result.status == 0, "\(command) \(flag): \(result.error)")
            #expect(result.output.hasPrefix("usage: dockerkit \(command)") || result.output.hasPrefix("usage: dockerkit lab"), "\(command) \(flag): \(result.output.prefix(80))")
        }
        let viaHelp = try runDockerkit(["help", command])
        #expect(viaHelp.status == 0)
        #expect(viaHelp.output == (try runDockerkit([command, "--help"])).output)
    }

    @Test("an unknown flag is a usage error that names the nearest flag", arguments: ["lint", "fmt", "new", "reverse", "build", "parse", "rules"])
    func unknownFlagSuggests(_ command: String) throws {
        let result = try runDockerkit([command, "--formt", "json"])
        #expect(result.status == 2, "\(command): \(result.error)")
        #expect(result.error.contains("unknown option --formt"), "\(command): \(result.error)")
    }

    @Test func flagTypoNamesTheFlagMeant() throws {
        let result = try runDockerkit(["lint", "--failure-treshold", "none", "-"], input: "FROM a\n")
        #expect(result.status == 2)
        #expect(result.error.contains("(did you mean --failure-threshold?)"))
    }

    @Test func commandTypoNamesTheCommandMeant() throws {
        let result = try runDockerkit(["lnit", "Dockerfile"])
        #expect(result.status == 2)
        #expect(result.error.hasPrefix("dockerkit: error: unknown command lnit (did you mean lint?)"))
        let help = try runDockerkit(["help", "buidl"])
        #expect(help.status == 2)
        #expect(help.error.contains("(did you mean build?)"))
    }

    @Test func explainSuggestsTheNearestRuleAndKnowsThePseudoCodes() throws {
        let unknown = try runDockerkit(["explain", "DL3088"])
        #expect(unknown.status == 2)
        #expect(unknown.error.contains("no rule DL3088 (did you mean"))
        for code in ["DK001", "DL1000", "dl3008", "MaintainerDeprecated"] {
            #expect(try runDockerkit(["explain", code]).status == 0, "\(code)")
        }
    }

    @Test func rulesFiltersByCode() throws {
        let result = try runDockerkit(["rules", "DL3008", "SecretsUsedInArgOrEnv"])
        #expect(result.status == 0)
        #expect(result.output.split(separator: "\n").map { String($0.prefix(6)) } == ["DL3008", "DL3064"])
    }

    @Test func aFolderWithoutDockerfilesIsAnError() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try runDockerkit(["lint", directory.path])
        #expect(result.status == 2)
        #expect(result.error.contains("holds no Dockerfile"))
    }

    @Test func completionsListEveryCommandsFlagsAndParse() throws {
        let bash = try runDockerkit(["completions", "bash"])
        #expect(bash.status == 0)
        #expect(bash.output.contains("--unsafe-fixes") && bash.output.contains("--print-run") && bash.output.contains("plan up down status invite forget doctor top reclaim snapshot snapshots restore save export"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-completion-\(UUID().uuidString).bash")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(bash.output.utf8).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-n", file.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try runDockerkit(["completions", "zsh"]).output.contains("--failure-threshold"))
        #expect(try runDockerkit(["completions", "fish"]).output.contains("-n '__fish_seen_subcommand_from lint' -l failure-threshold"))
    }

    @Test func manPageHasASectionPerCommand() throws {
        let page = try runDockerkit(["man"]).output
        #expect(page.hasPrefix(".TH DOCKERKIT 1"))
        for command in ["LINT", "FMT", "NEW", "LAB", "BUILD", "REVERSE", "PARSE", "RULES", "EXPLAIN"] { #expect(page.contains(".SH \(command)\n"), "\(command)") }
        let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/dockerkit.1")
        #expect((try? String(contentsOf: committed, encoding: .utf8)) == page, "docs/dockerkit.1 is stale: dockerkit man > docs/dockerkit.1")
    }

    @Test func everyCommandOfTheManPageHasExamplesFilesEnvironmentAndExitStatus() throws {
        let page = try runDockerkit(["man"]).output
        let sections = page.components(separatedBy: "\n.SH ").dropFirst(2)
        var checked = 0
        for section in sections {
            let title = section.prefix { $0 != "\n" }
            guard Self.commands.contains(title.lowercased()) else { continue }
            for subsection in ["EXAMPLES", "FILES", "ENVIRONMENT", "EXIT STATUS"] {
                #expect(section.contains("\n.SS \(subsection)\n"), "\(title) has no \(subsection)")
            }
            checked += 1
        }
        #expect(checked == Self.commands.count)
    }
}

/// What bash offers after the words typed so far, from the script `dockerkit completions bash` prints.
private func bashCompletions(_ words: [String]) throws -> [String] {
    let script = try runDockerkit(["completions", "bash"]).output
    let folder = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("dockerkit.bash")
    try Data(script.utf8).write(to: file)
    let quoted = words.map { "'\($0)'" }.joined(separator: " ")
    let result = try runProgram("/bin/bash", ["-c", "source \"$0\"; COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); _dockerkit; printf '%s\\n' \"${COMPREPLY[@]}\"", file.path])
    return result.output.split(separator: "\n").map(String.init)
}

@Test func bashCompletesOptionValuesAndRuleCodes() throws {
    #expect(try bashCompletions(["dockerkit", "lint", "--format", ""]).contains("sarif"))
    #expect(try bashCompletions(["dockerkit", "lint", "--failure-threshold", "w"]) == ["warning"])
    #expect(try bashCompletions(["dockerkit", "explain", "DK40"]).contains("DK406"))
    #expect(try bashCompletions(["dockerkit", "lint", "--ignore", "DL300"]).contains("DL3008"))
    #expect(try bashCompletions(["dockerkit", "new", "--mirror", "tu"]) == ["tuna"])
    #expect(try bashCompletions(["dockerkit", "new", "--cuda", "12."]).contains("12.4"))
    #expect(try bashCompletions(["dockerkit", "lab", "--lang", ""]) == ["en", "zh"])
    #expect(try bashCompletions(["dockerkit", "lint", "--tar"]) == ["--target"])
}

@Test func zshAndFishCompleteOptionValuesToo() throws {
    let zsh = try runDockerkit(["completions", "zsh"]).output
    #expect(zsh.contains("\"lint --format\") compadd -- tty json"))
    let fish = try runDockerkit(["completions", "fish"]).output
    #expect(fish.contains("-l failure-threshold -x -a 'error warning info style none'"))
    #expect(fish.contains("__fish_seen_subcommand_from explain' -f -a 'DL1001"))
}
