import FoundationEssentials
import Lab
import Lint
import Support
import Templates

/// `dockerkit lab`: runs a shared GPU server's members from one lab.yaml, and exports it to Compose or Kubernetes.
/// Option handling and printing only; the use cases are the Lab target's.
enum LabCommand {
    static let valueOptions: [String] = ["--file", "--format", "--output", "--engine", "--host", "--lang", "--registry", "--node-port-range", "--service-type"]
    static let flagOptions: [String] = ["--help", "--all", "--container", "--usage", "--image", "--homes-job"]
    static let actions = ["plan", "up", "down", "status", "invite", "forget", "doctor", "top", "reclaim", "snapshot", "snapshots", "restore", "save", "export"]
    static var usage: String { LabReports.help }

    static func failure(_ text: String) -> CommandFailure {
        CommandFailure(message: text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0).escapingControlCharacters(keepingTabs: true) }.joined(separator: "\n"))
    }

    static func run(_ arguments: [String]) throws(CommandFailure) -> Int32 {
        guard let action = arguments.first, !["--help", "-h", "help"].contains(action) else {
            if arguments.isEmpty { throw CommandFailure(message: "dockerkit lab: error: which action?\n\(usage)") }
            StandardStreams.write(usage + "\n")
            return 0
        }
        let options: CommandLineArguments
        do {
            options = try CommandLineArguments(
                Array(arguments.dropFirst()).map { ["-f": "--file", "-o": "--output"][$0] ?? $0 },
                valueOptions: valueOptions, flagOptions: flagOptions)
        } catch {
            throw failure("dockerkit lab: error: \(error.message)\n\(usage)")
        }
        if options.has("--help") {
            StandardStreams.write(usage + "\n")
            return 0
        }
        guard actions.contains(action) else { throw failure("dockerkit lab: error: unknown action \(action)\n\(usage)") }
        let takesMembers = ["up", "down", "snapshot"].contains(action)
        let takesOne = ["invite", "forget", "save"].contains(action)
        if takesOne {
            guard options.positional.count == 1 else { throw failure("dockerkit lab \(action): error: name one member") }
        } else if action == "restore" {
            guard options.positional.count == 2 else { throw failure("dockerkit lab restore: error: name a member and a snapshot (`lab snapshots` lists them)") }
        } else if action == "snapshot" {
            guard !options.positional.isEmpty != options.has("--all") else { throw failure("dockerkit lab snapshot: error: name members, or --all") }
        } else if !takesMembers, let extra = options.positional.first {
            throw failure("dockerkit lab \(action): error: unexpected argument \(extra)")
        }
        for (flag, allowed) in [("--all", ["snapshot"]), ("--container", ["snapshot"]), ("--usage", ["status"]), ("--image", ["restore", "save"]), ("--homes-job", ["export"])] where options.has(flag) && !allowed.contains(action) {
            throw failure("dockerkit lab \(action): error: \(flag) is for \(allowed.joined(separator: ", "))")
        }
        let format = options.value("--format")
        switch action {
        case "plan", "doctor", "top", "snapshots":
            guard format == nil || format == "table" || format == "json" else {
                throw failure("dockerkit lab \(action): error: --format is table or json, not \(format ?? "")")
            }
        case "status":
            guard format == nil || format == "table" || format == "json" || format == "html" else {
                throw failure("dockerkit lab status: error: --format is table, json or html, not \(format ?? "")")
            }
            if format == "html" && options.value("--output") == nil { throw failure("dockerkit lab status: error: --format html needs -o FILE") }
        case "export":
            guard format == "compose" || format == "kubernetes" else {
                throw failure("dockerkit lab export: error: --format compose or --format kubernetes is required")
            }
            if format == "compose", let flag = ["--registry", "--node-port-range", "--service-type", "--homes-job"].first(where: { options.value($0) != nil || options.has($0) }) {
                throw failure("dockerkit lab export: error: \(flag) is for --format kubernetes")
            }
        default:
            guard format == nil else { throw failure("dockerkit lab \(action): error: --format is for plan, status, doctor, top, snapshots and export") }
        }
        let language: LabInvite.Language
        if let lang = options.value("--lang") {
            guard action == "invite", let chosen = LabInvite.Language(rawValue: lang) else {
                throw failure("dockerkit lab \(action): error: --lang is for invite and takes en or zh")
            }
            language = chosen
        } else {
            language = .en
        }
        if options.value("--host") != nil && action != "invite" { throw failure("dockerkit lab \(action): error: --host is for invite") }
        if action != "export", let flag = ["--registry", "--node-port-range", "--service-type"].first(where: { options.value($0) != nil }) {
            throw failure("dockerkit lab \(action): error: \(flag) is for export --format kubernetes")
        }

        return try perform(action, options: options, format: format, language: language)
    }
}
