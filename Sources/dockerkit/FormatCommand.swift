import Formatting
import Support
import DockerfileSyntax
import FoundationEssentials
import Lint

/// `dockerkit fmt [--check|--write|--diff] [FILES|DIRS|-]`
enum FormatCommand {
    static let valueOptions: [String] = ["--config", "--max-input-size"]
    static let flagOptions: [String] = ["--check", "--write", "--diff", "--no-config", "--help"]
    static let usage = "usage: dockerkit fmt [--check | --write | --diff] [--config FILE | --no-config] [--max-input-size SIZE] [FILES|DIRS|-]"

    static func run(_ arguments: [String]) throws(CommandFailure) -> Int32 {
        let options: CommandLineArguments
        do {
            options = try CommandLineArguments(arguments, valueOptions: valueOptions, flagOptions: flagOptions)
        } catch {
            throw CommandFailure(message: "dockerkit fmt: \(error.message)\n\(usage)")
        }
        if options.has("--help") {
            StandardStreams.write(usage + "\n")
            return 0
        }
        let modes = ["--check", "--write", "--diff"].filter { options.has($0) }
        guard modes.count <= 1 else { throw CommandFailure(message: "dockerkit fmt: choose one of --check, --write, --diff\n\(usage)") }
        var configuration = LintConfiguration()
        var formatOptions = FormatOptions()
        if !options.has("--no-config") {
            try ConfigurationLoader.load(options.value("--config").map { [$0] } ?? ConfigurationLoader.discover(), into: &configuration, format: &formatOptions)
        }
        let paths: [String]
        do {
            paths = try FileDiscovery.expand(options.positional.isEmpty ? ["Dockerfile"] : options.positional)
        } catch {
            throw CommandFailure(message: "dockerkit: error: \(error.message)")
        }
        let inputLimit: Int
        do {
            inputLimit = try options.value("--max-input-size").map { (size: String) throws(UsageError) in try parseByteSize(size, option: "--max-input-size") } ?? defaultInputLimit
        } catch {
            throw CommandFailure(message: "dockerkit fmt: error: \(error.message)")
        }
        var status: Int32 = 0
        for path in paths {
            let source: [UInt8]
            do {
                source = try readDockerfile(path, limit: inputLimit)
            } catch {
                // Every file is tried; each failure is said, and the exit status says one happened.
                StandardStreams.error("dockerkit: error: \(error.message)\n")
                status = max(status, 2)
                continue
            }
            let tree = DockerfileParser.parse(source)
            guard let formatted = DockerfileFormatter.format(tree, options: formatOptions) else {
                for error in tree.errors {
                    StandardStreams.error("\(path):\(error.range.start.line):\(error.range.start.column): error: \(error.message)".escapingControlCharacters() + "\n")
                }
                StandardStreams.error("\(path): not formatted: it does not parse\n")
                status = max(status, 2)
                continue
            }
            switch modes.first {
            case "--check":
                if formatted != source {
                    StandardStreams.write("\(path)\n")
                    status = max(status, 1)
                }
            case "--diff":
                if formatted != source {
                    StandardStreams.write(UnifiedDiff.render(old: String(decoding: source, as: UTF8.self), new: String(decoding: formatted, as: UTF8.self), path: path))
                    status = max(status, 1)
                }
            case "--write":
                if formatted != source && path != "-" {
                    do {
                        try SafeFileWriter.write(formatted, to: path, expecting: source)
                    } catch {
                        StandardStreams.error("dockerkit fmt: error: \(error.message)\n")
                        status = max(status, 2)
                    }
                }
                if path == "-" { StandardStreams.writeBytes(formatted) }
            default:
                StandardStreams.writeBytes(formatted)
            }
        }
        return status
    }
}
