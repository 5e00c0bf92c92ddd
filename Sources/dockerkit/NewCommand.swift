import FoundationEssentials
import Knowledge
import Support
import Templates

/// `dockerkit new`: a GPU lab image's Dockerfile and companion files from the templates.
enum NewCommand {
    static let valueOptions: [String] = ["--cuda", "--flavor", "--cudnn", "--os", "--mirror", "--python", "--user", "--uid", "--gid",
                               "--packages", "--base", "--output", "--templates", "--locale", "--tz", "--lang",
                               "--torch", "--tensorflow", "--requirements", "--conda-env"]
    static let flagOptions: [String] = ["--ssh", "--vnc", "--conda", "--sudo", "--jupyter", "--print-run", "--force", "--list", "--verbose", "--cjk-fonts", "--help"]
    static let usage = """
        usage: dockerkit new --cuda VERSION [--flavor base|runtime|devel] [--cudnn [8|9]] [--os ubuntu22.04]
                             [--torch 2.5 | --tensorflow 2.15] [--cuda auto|VERSION]
                             [--requirements FILE | --conda-env FILE]
                             [--ssh] [--vnc] [--mirror tuna|aliyun|ustc|163|huawei|tencent|none]
                             [--python 3.10 | --conda [--python 3.11]] [--user NAME [--uid N --gid N] [--sudo]]
                             [--jupyter] [--packages "a b c"] [--base IMAGE] [--templates DIR]
                             [--locale zh_CN.UTF-8] [--tz Asia/Shanghai] [--cjk-fonts] [--lang zh]
                             [-o DIR [--force]] [--print-run]
               dockerkit new --list [--verbose]   (--verbose: every tag, its status and the status's source)
               dockerkit new --list --torch [VERSION] | --list --tensorflow [VERSION]   (the framework's CUDA builds)

        --lang zh is --locale zh_CN.UTF-8 --tz Asia/Shanghai --cjk-fonts in one.
        --torch and --tensorflow pick the CUDA tag, cuDNN and Python the release was built for (or check --cuda) and
        install it pinned; --requirements and --conda-env copy the file beside the Dockerfile and install it in a
        layer of its own, checking a torch or tensorflow pin in it the same way.
        Without -o the Dockerfile goes to stdout; with -o DIR the folder gets the Dockerfile, .dockerignore, the
        entrypoint, run.sh and a README.md for the lab member. --print-run prints the `docker run` line.
        """

    static func run(_ arguments: [String]) throws(CommandFailure) -> Int32 {
        let options: CommandLineArguments
        do {
            options = try CommandLineArguments(
                normalizeCudnn(arguments),
                valueOptions: valueOptions, flagOptions: flagOptions)
        } catch {
            throw CommandFailure(message: "dockerkit new: error: \(error.message)\n\(usage)")
        }
        if options.has("--help") {
            StandardStreams.write(usage + "\n")
            return 0
        }
        if options.has("--list") {
            do throws(LabImageRequestError) {
                if let torch = options.value("--torch") {
                    StandardStreams.write(try FrameworkListing.torch(torch.isEmpty ? nil : torch))
                } else if let tensorflow = options.value("--tensorflow") {
                    StandardStreams.write(try FrameworkListing.tensorflow(tensorflow.isEmpty ? nil : tensorflow))
                } else {
                    StandardStreams.write(options.has("--verbose") ? LabImageResolver.tagListing() : LabImageResolver.publishedListing())
                }
            } catch {
                throw CommandFailure(message: "dockerkit new: error: \(error.message)")
            }
            return 0
        }
        guard options.positional.isEmpty else {
            throw CommandFailure(message: "dockerkit new: error: unexpected argument \(options.positional[0])\n\(usage)")
        }
        let request = try makeRequest(options)
        let templates: any TemplateSource
        do throws(TemplateFolderError) {
            templates = try options.value("--templates").map(InMemoryTemplates.overlaying) ?? BuiltinTemplates()
        } catch {
            throw CommandFailure(message: "dockerkit new: error: \(error.message)")
        }
        let image: LabImage
        do throws(LabImageGenerationError) {
            image = try LabImageGenerator(templates: templates).generate(request, invocation: invocation(arguments))
        } catch {
            switch error {
            case .request(let problem): throw CommandFailure(message: "dockerkit new: error: \(problem.message)")
            case .template(let problem): throw CommandFailure(message: "\(problem)")
            }
        }
        if let directory = options.value("--output") {
            do throws(TemplateFolderError) {
                try GeneratedFile.write(image.files, to: directory, overwrite: options.has("--force"))
            } catch {
                throw CommandFailure(message: "dockerkit new: error: \(error.message)")
            }
            StandardStreams.error("dockerkit new: wrote \(image.files.map(\.name).joined(separator: ", ")) to \(directory)\n")
            if options.has("--print-run") { StandardStreams.write(image.runCommand) }
        } else if options.has("--print-run") {
            StandardStreams.write(image.runCommand)
        } else {
            StandardStreams.write(image.dockerfile)
        }
        return 0
    }

    /// `--cudnn` takes an optional version: `--cudnn 8` names it, a bare `--cudnn` means the newest; `--torch` and
    /// `--tensorflow` may stand bare after `--list`.
    private static func normalizeCudnn(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--cudnn" {
                let next = index + 1 < arguments.count ? arguments[index + 1] : ""
                if !next.isEmpty, next.allSatisfy(\.isNumber) {
                    result.append("--cudnn=\(next)")
                    index += 2
                    continue
                }
                result.append("--cudnn=")
            } else if argument == "--torch" || argument == "--tensorflow", arguments.contains("--list"),
                      index + 1 >= arguments.count || arguments[index + 1].hasPrefix("-") {
                result.append(argument + "=")
            } else if argument == "-o" {
                result.append("--output")
            } else {
                result.append(argument)
            }
            index += 1
        }
        return result
    }

    /// The command line as typed, for the Dockerfile's header.
    private static func invocation(_ arguments: [String]) -> String {
        (["dockerkit", "new"] + arguments.filter { $0.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F } }).map { argument in
            argument.isEmpty || argument.contains(where: { " \"'$`\\".contains($0) }) ? Quoting.shell(argument) : argument
        }.joined(separator: " ")
    }
}
