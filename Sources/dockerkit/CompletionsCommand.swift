import Knowledge
import Lint
import Support

/// `dockerkit completions bash|zsh|fish` and `dockerkit man`: made from the same option sets the commands parse with
/// and the same usage texts `--help` prints, so they cannot disagree with the binary.
enum CompletionsCommand {
    static let usage = "usage: dockerkit completions bash|zsh|fish   (source it, e.g. dockerkit completions bash > /etc/bash_completion.d/dockerkit)"
    static let manUsage = "usage: dockerkit man   (the manual page in roff: dockerkit man > /usr/local/share/man/man1/dockerkit.1)"

    /// Each command's options, as its parser knows them.
    static let options: [(command: String, options: [String])] = [
        ("lint", (LintCommand.valueOptions + LintCommand.flagOptions).sorted()),
        ("rules", (RulesCommand.valueOptions + RulesCommand.flagOptions).sorted()), ("explain", []),
        ("fmt", (FormatCommand.valueOptions + FormatCommand.flagOptions).sorted()),
        ("new", (NewCommand.valueOptions + NewCommand.flagOptions).sorted()),
        ("reverse", (ReverseCommand.valueOptions + ReverseCommand.flagOptions).sorted()),
        ("build", (BuildCommand.valueOptions + BuildCommand.flagOptions).sorted()),
        ("lab", LabCommand.actions + (LabCommand.valueOptions + LabCommand.flagOptions).sorted()),
        ("parse", (ParseCommand.valueOptions + ParseCommand.flagOptions).sorted()),
        ("lsp", []), ("version", []), ("help", []), ("completions", ["bash", "fish", "zsh"]), ("man", []),
    ]

    /// The values an option takes, by command and option; `*` stands for the command's positional words (the rule
    /// codes of `explain` and `rules`).
    static var values: [(command: String, option: String, values: [String])] {
        let codes = RuleRegistry.all.map(\.description.code)
        let mirrors = MirrorCatalog.shared.names + ["none"]
        var cudaVersions: [String] = []
        for image in CudaImageCatalog.shared.images where image.isPullable && !cudaVersions.contains(image.minorVersion) {
            cudaVersions.append(image.minorVersion)
        }
        let thresholds = ["error", "warning", "info", "style", "none"]
        return [
            ("lint", "--format", ReportFormat.allCases.map(\.rawValue)), ("lint", "--failure-threshold", thresholds),
            ("lint", "--ignore", codes), ("lint", "--enable", codes), ("lint", "--error", codes), ("lint", "--warning", codes),
            ("lint", "--info", codes), ("lint", "--style", codes), ("lint", "--mirror", mirrors),
            ("rules", "--format", ["table", "json"]), ("rules", "*", codes), ("explain", "*", codes),
            ("new", "--cuda", cudaVersions), ("new", "--flavor", ["base", "runtime", "devel"]), ("new", "--mirror", mirrors),
            ("lab", "--format", ["table", "json", "compose", "kubernetes"]), ("lab", "--lang", ["en", "zh"]),
            ("parse", "--format", ["json", "commands", "dump", "source"]),
        ]
    }

    static func run(_ arguments: [String]) throws(CommandFailure) -> Int32 {
        guard arguments.count == 1 else { throw CommandFailure(message: "dockerkit completions: error: name a shell\n\(usage)") }
        let commands = options.map(\.command).joined(separator: " ")
        let values = Self.values
        switch arguments[0] {
        case "bash":
            var text = "# bash completion for dockerkit (dockerkit completions bash)\n_dockerkit() {\n"
            text += "    local current=${COMP_WORDS[COMP_CWORD]} previous=${COMP_WORDS[COMP_CWORD-1]} words\n"
            text += "    if [ \"$COMP_CWORD\" -eq 1 ]; then words=\"\(commands)\"; else\n        case ${COMP_WORDS[1]} in\n"
            for (command, list) in options where !list.isEmpty || values.contains(where: { $0.command == command }) {
                let own = values.filter { $0.command == command }
                text += "            \(command))\n                case $previous in\n"
                for entry in own where entry.option != "*" {
                    text += "                    \(entry.option)) words=\"\(entry.values.joined(separator: " "))\" ;;\n"
                }
                let positional = own.first { $0.option == "*" }.map { " " + $0.values.joined(separator: " ") } ?? ""
                text += "                    *) words=\"\(list.joined(separator: " "))\(positional)\" ;;\n                esac ;;\n"
            }
            text += "            *) words= ;;\n        esac\n    fi\n"
            text += "    mapfile -t COMPREPLY < <(compgen -W \"$words\" -- \"$current\")\n"
            text += "    [ ${#COMPREPLY[@]} -eq 0 ] && mapfile -t COMPREPLY < <(compgen -f -- \"$current\")\n    return 0\n}\n"
            text += "complete -o filenames -F _dockerkit dockerkit\n"
            StandardStreams.write(text)
        case "zsh":
            var text = "#compdef dockerkit\n# zsh completion for dockerkit (dockerkit completions zsh)\n_dockerkit() {\n"
            text += "    if (( CURRENT == 2 )); then compadd -- \(commands); return; fi\n"
            // An option's values after the option; otherwise the command's options (and codes, for explain/rules).
            text += "    case \"$words[2] $words[CURRENT-1]\" in\n"
            for entry in values where entry.option != "*" {
                text += "        \"\(entry.command) \(entry.option)\") compadd -- \(entry.values.joined(separator: " ")); return ;;\n"
            }
            text += "    esac\n    case $words[2] in\n"
            for (command, list) in options where !list.isEmpty || values.contains(where: { $0.command == command && $0.option == "*" }) {
                let positional = values.first { $0.command == command && $0.option == "*" }.map { " " + $0.values.joined(separator: " ") } ?? ""
                text += "        \(command)) compadd -- \(list.joined(separator: " "))\(positional); _files ;;\n"
            }
            text += "        *) _files ;;\n    esac\n}\ncompdef _dockerkit dockerkit\n"
            StandardStreams.write(text)
        case "fish":
            var text = "# fish completion for dockerkit (dockerkit completions fish)\n"
            text += "complete -c dockerkit -n __fish_use_subcommand -f -a '\(commands)'\n"
            for (command, list) in options {
                for option in list {
                    if option.hasPrefix("--") {
                        let own = values.first { $0.command == command && $0.option == option }
                        let arguments = own.map { " -x -a '\($0.values.joined(separator: " "))'" } ?? ""
                        text += "complete -c dockerkit -n '__fish_seen_subcommand_from \(command)' -l \(option.dropFirst(2))\(arguments)\n"
                    } else {
                        text += "complete -c dockerkit -n '__fish_seen_subcommand_from \(command)' -f -a \(option)\n"
                    }
                }
            }
            for entry in values where entry.option == "*" {
                text += "complete -c dockerkit -n '__fish_seen_subcommand_from \(entry.command)' -f -a '\(entry.values.joined(separator: " "))'\n"
            }
            StandardStreams.write(text)
        default:
            throw CommandFailure(message: "dockerkit completions: error: bash, zsh or fish, not \(arguments[0])\n\(usage)")
        }
        return 0
    }

    /// The manual page, one section per command with its usage as `--help` prints it.
    static func man() -> Int32 {
        func roff(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                var escaped = String(line).replacingAll("\\", with: "\\e")
                if escaped.hasPrefix(".") || escaped.hasPrefix("'") { escaped = "\\&" + escaped }
                return escaped
            }.joined(separator: "\n")
        }
        var text = ".TH DOCKERKIT 1 \"\" \"\(dockerkitVersionLine)\" \"User Commands\"\n"
        text += ".SH NAME\ndockerkit \\- Dockerfile parser, formatter and linter; GPU lab images and labs\n"
        text += ".SH SYNOPSIS\n.nf\n\(roff(commandUsage))\n.fi\n"
        for (command, _) in options {
            guard let usage = usageText(of: command) else { continue }
            text += ".SH \(command.uppercased())\n.nf\n\(roff(usage))\n.fi\n"
            text += ManualSection.byCommand[command]?.roff { roff($0).replacingAll("-", with: "\\-") } ?? ""
        }
        text += ".SH EXIT STATUS\n0 clean; 1 findings at or above the failure threshold (lint, fmt \\-\\-check, parse errors), "
        text += "a member that did not start or answer SSH (lab up), a member not running (lab status) or a container not removed (lab down); 2 usage or input errors; 3 the engine failed (build).\n"
        text += ".SH SEE ALSO\nhadolint(1), docker(1)\n"
        StandardStreams.write(text)
        return 0
    }
}
