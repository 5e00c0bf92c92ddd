import DockerfileSyntax
import Support
import FoundationEssentials

/// Runs shellcheck: its path, its arguments and the script for its standard input in; its standard output out, or nil
/// when it cannot run. The CLI supplies it, so the library starts no process itself.
public typealias ShellCheckRunner = @Sendable (_ arguments: [String], _ input: [UInt8]) -> [UInt8]?

/// Runs the `shellcheck` binary over RUN scripts and places its findings at their Dockerfile positions, with
/// hadolint's exclusions (SC2187, SC1090, SC1091) and ENV/ARG names exported so they count as set.
public enum ShellCheck {
    static let exclusions = "2187,1090,1091"

    /// Findings for every RUN of `file`, from shellcheck as `runner` runs it.
    static func findings(for file: LintedFile, runner: ShellCheckRunner) -> [Finding] {
        var findings: [Finding] = []
        var exported: [Int: Set<String>] = [:]
        var names = Set<String>(["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy"])
        var nonPosix = false
        for (index, instruction) in file.instructions.enumerated() {
            if instruction.kind == .from { nonPosix = false }
            if instruction.kind == .shell {
                let shell = instruction.values.first?.text.lowercased() ?? ""
                nonPosix = ["pwsh", "powershell", "cmd"].contains { shell.contains($0) }
            }
            if let arg = ArgInstruction(instruction) { names.formUnion(arg.definitions.map(\.name)) }
            if instruction.kind == .env, let env = KeyValueInstruction(instruction) { names.formUnion(env.pairs.map(\.key.text)) }
            exported[index] = names
            guard !nonPosix else { continue }
            guard !(instruction.trigger ?? instruction).isJSON else { continue }
            for script in file.runScripts[index] {
                findings += run(script, of: index, file: file, exported: names, runner: runner)
            }
        }
        return findings
    }

    static func run(_ script: RunScript, of instructionIndex: Int, file: LintedFile, exported: Set<String>, runner: ShellCheckRunner) -> [Finding] {
        let text = file.text(of: script, at: instructionIndex)
        if text.hasPrefix("#!") && !["#!/bin/sh", "#!/bin/bash", "#!/usr/bin/env sh", "#!/usr/bin/env bash"].contains(where: { text.hasPrefix($0) }) {
            return []
        }
        let header = "#!/bin/sh\n" + exported.sorted().map { "export \($0)=1\n" }.joined()
        let headerLines = header.filter { $0 == "\n" }.count
        let arguments = ["--norc", "-f", "json1", "-e", exclusions, "-"]
        guard let data = runner(arguments, Array((header + text).utf8)),
              let comments = try? JSONDecoder().decode(Report.self, from: Data(data)).comments else { return [] }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) }
        var lineStarts: [Int] = []
        var offset = 0
        for line in lines {
            lineStarts.append(offset)
            offset += line.count + 1
        }
        func scriptOffset(line: Int, column: Int) -> Int? {
            let index = line - headerLines - 1
            guard index >= 0, index < lines.count else { return nil }
            // ShellCheck counts a tab as reaching the next multiple of 8.
            var visual = 1
            var byte = 0
            while byte < lines[index].count && visual < column {
                visual = lines[index][byte] == 0x09 ? ((visual - 1) / 8 + 1) * 8 + 1 : visual + 1
                byte += 1
            }
            return lineStarts[index] + byte
        }
        return comments.compactMap { comment in
            guard let start = scriptOffset(line: comment.line, column: comment.column) else { return nil }
            let end = scriptOffset(line: comment.endLine ?? comment.line, column: comment.endColumn ?? comment.column) ?? start
            let severity: Severity
            switch comment.level {
            case "error": severity = .error
            case "warning": severity = .warning
            case "info": severity = .info
            default: severity = .style
            }
            return Finding(code: "SC\(comment.code)", severity: severity, message: comment.message ?? "",
                           range: file.range(start..<max(start, end), in: script, of: instructionIndex))
        }
    }

    /// shellcheck's `json1` output, as far as findings need it.
    private struct Report: Decodable {
        let comments: [Comment]
    }

    private struct Comment: Decodable {
        let code: Int
        let line: Int
        let column: Int
        let endLine: Int?
        let endColumn: Int?
        let level: String?
        let message: String?
    }

    /// The shellcheck binary on PATH, if any.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        FilePath.executable("shellcheck", environment: environment)
    }
}
