import Support

/// A usage error: exit status 2.
struct UsageError: Error {
    var message: String
}

/// A small command-line reader: options (`--name value`, `--name=value`, flags) and positional arguments.
struct CommandLineArguments {
    private var remaining: [String]
    /// Short spellings hadolint users type.
    static let aliases = ["-f": "--format", "-c": "--config", "-t": "--failure-threshold"]
    private(set) var positional: [String] = []

    /// Splits `arguments` given the names of options that take a value; anything else starting with `-` is a flag.
    init(_ arguments: [String], valueOptions: [String], flagOptions: [String]) throws(UsageError) {
        var options: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                positional.append(contentsOf: arguments[index...])
                break
            }
            if argument == "-" || !argument.hasPrefix("-") {
                positional.append(argument)
                continue
            }
            if let alias = CommandLineArguments.aliases[argument] {
                guard index < arguments.count, valueOptions.contains(alias) else { throw UsageError(message: "option \(argument) needs a value") }
                options.append(alias)
                options.append(arguments[index])
                index += 1
                continue
            }
            if let equals = argument.firstIndex(of: "=") {
                let name = String(argument[..<equals])
                guard valueOptions.contains(name) else { throw UsageError(message: CommandLineArguments.unknown(name, valueOptions + flagOptions)) }
                options.append(name)
                options.append(String(argument[argument.index(after: equals)...]))
                continue
            }
            if valueOptions.contains(argument) {
                guard index < arguments.count else { throw UsageError(message: "option \(argument) needs a value") }
                options.append(argument)
                options.append(arguments[index])
                index += 1
            } else if flagOptions.contains(argument) {
                options.append(argument)
                options.append("")
            } else {
                throw UsageError(message: CommandLineArguments.unknown(argument, valueOptions + flagOptions))
            }
        }
        remaining = options
    }

    /// "unknown option --fomat (did you mean --format?)".
    private static func unknown(_ option: String, _ known: [String]) -> String {
        "unknown option \(option)" + (nearest(option, among: known.sorted()).map { " (did you mean \($0)?)" } ?? "")
    }

    /// The last value given for an option.
    func value(_ name: String) -> String? {
        values(name).last
    }

    /// Every value given for an option, in order.
    func values(_ name: String) -> [String] {
        var result: [String] = []
        var index = 0
        while index + 1 < remaining.count {
            if remaining[index] == name { result.append(remaining[index + 1]) }
            index += 2
        }
        return result
    }

    func has(_ name: String) -> Bool {
        stride(from: 0, to: remaining.count, by: 2).contains { remaining[$0] == name }
    }
}
