import FoundationEssentials
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The dockerkit command line: dispatches to a subcommand and turns its outcome into an exit status.
let commandUsage = """
    usage: dockerkit <command> [options]

    commands:
      lint      check Dockerfiles (hadolint's DL rules and dockerkit's GPU-lab rules)
      rules     list the lint rules
      explain   explain one rule with its examples
      fmt       rewrite Dockerfiles to the canonical layout (--check, --write, --diff)
      new       generate a GPU lab image (CUDA, cuDNN, sshd, VNC desktop, mirrors, Python) from templates
      reverse   rebuild a Dockerfile from an image's history and config (engine, history JSON or docker save archive)
      build     lint, then build with the engine (docker, podman, or a BuildKit builder through buildx)
      lab       run a GPU lab's members from one lab.yaml (plan, up, down, status, export to Compose or Kubernetes)
      parse     print a Dockerfile's syntax tree, BuildKit's views of it, or its source
      lsp       the language server for editors (LSP over standard input and output)
      version   print the version
      completions  print shell completions (bash, zsh, fish); man prints the manual page

    Run `dockerkit <command> --help` (or `dockerkit help <command>`) for a command's options.
    Exit status: 0 clean, 1 findings at or above the failure threshold (lint, fmt --check, parse errors), 2 usage or
    input errors, 3 the engine failed (build).
    """

/// Each command's usage, for `--help`, `-h` and `dockerkit help COMMAND`, or nil when there is no such command. A
/// switch rather than a table: top-level values in this file are made on every run, and a table of usages was a
/// noticeable part of a one-file lint.
func usageText(of command: String) -> String? {
    switch command {
    case "lint": LintCommand.usage
    case "rules": RulesCommand.usage
    case "explain": RulesCommand.explainUsage
    case "fmt": FormatCommand.usage
    case "new": NewCommand.usage
    case "reverse": ReverseCommand.usage
    case "build": BuildCommand.usage
    case "lab": LabCommand.usage
    case "parse": ParseCommand.usage
    case "version": "usage: dockerkit version (or --version): print the version and the commit of a release"
    case "help": "usage: dockerkit help [COMMAND]"
    case "completions": CompletionsCommand.usage
    case "man": CompletionsCommand.manUsage
    case "lsp": LanguageServerCommand.usage
    default: nil
    }
}

func runCommandLine() -> Int32 {
    var arguments = Array(CommandLine.arguments.dropFirst())
    // Installed as `hadolint` (a symlink), the binary is hadolint's command line.
    if CommandLine.arguments.first.map(FilePath.lastComponent) == "hadolint" {
        do {
            return try LintCommand.run(arguments, mode: .hadolint)
        } catch {
            StandardStreams.error(error.message + "\n")
            return 1
        }
    }
    guard let command = arguments.first else {
        StandardStreams.error(commandUsage + "\n")
        return 2
    }
    arguments.removeFirst()
    // `--help` or `-h` anywhere before `--` shows the command's usage (the hadolint alias has its own).
    // The flag first: the table of usages is not made on a run that does not ask for one.
    if command != "hadolint", arguments.prefix(while: { $0 != "--" }).contains(where: { $0 == "--help" || $0 == "-h" }),
       let usage = usageText(of: command) {
        StandardStreams.write(usage + "\n")
        return 0
    }
    if command == "help", let topic = arguments.first {
        guard let usage = usageText(of: topic) else {
            StandardStreams.error("dockerkit: error: no command \(topic)\(suggestion(topic))\n\(commandUsage)\n")
            return 2
        }
        StandardStreams.write(usage + "\n")
        return 0
    }
    do {
        switch command {
        case "parse": return try ParseCommand.run(arguments)
        case "lint": return try LintCommand.run(arguments)
        case "hadolint": return try LintCommand.run(arguments, mode: .hadolint)
        case "rules": return try RulesCommand.list(arguments)
        case "explain": return try RulesCommand.explain(arguments)
        case "fmt": return try FormatCommand.run(arguments)
        case "new": return try NewCommand.run(arguments)
        case "reverse": return try ReverseCommand.run(arguments)
        case "build": return try BuildCommand.run(arguments)
        case "lab": return try LabCommand.run(arguments)
        case "completions": return try CompletionsCommand.run(arguments)
        case "lsp": return try LanguageServerCommand.run(arguments)
        case "man": return CompletionsCommand.man()
        case "version", "--version", "-V": StandardStreams.write(dockerkitVersionLine + "\n"); return 0
        case "help", "--help", "-h": StandardStreams.write(commandUsage + "\n"); return 0
        default: throw UsageError(message: "unknown command \(command)\(suggestion(command))\n\(commandUsage)")
        }
    } catch let error as CommandFailure {
        StandardStreams.error(error.message + "\n")
        return 2
    } catch let error as UsageError {
        StandardStreams.error("dockerkit: error: \(error.message)\n")
        return 2
    } catch {
        StandardStreams.error("dockerkit: error: \(error)\n")
        return 2
    }
}

/// " (did you mean lint?)" for a mistyped command.
func suggestion(_ command: String) -> String {
    let commands = ["build", "completions", "explain", "fmt", "help", "lab", "lint", "lsp", "man", "new", "parse", "reverse", "rules", "version"]
    return nearest(command, among: commands.filter { usageText(of: $0) != nil }).map { " (did you mean \($0)?)" } ?? ""
}

let status = runCommandLine()
StandardStreams.flush()
exit(status)
