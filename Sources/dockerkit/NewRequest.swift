import Templates

extension NewCommand {
    /// The request `new`'s options describe; files it names are read here.
    static func makeRequest(_ options: CommandLineArguments) throws(CommandFailure) -> LabImageRequest {
        var request = LabImageRequest()
        request.cudaVersion = options.value("--cuda")
        request.flavor = options.value("--flavor")?.lowercased()
        request.cudnn = options.value("--cudnn")
        request.os = options.value("--os")
        request.ssh = options.has("--ssh")
        request.vnc = options.has("--vnc")
        request.mirror = options.value("--mirror")?.lowercased() ?? "none"
        request.python = options.value("--python")
        request.conda = options.has("--conda")
        request.user = options.value("--user")
        request.sudo = options.has("--sudo")
        request.jupyter = options.has("--jupyter")
        request.base = options.value("--base")
        request.torch = options.value("--torch")
        request.tensorflow = options.value("--tensorflow")
        do throws(TemplateFolderError) {
            request.requirements = try options.value("--requirements").map { path throws(TemplateFolderError) in try LabImageInputFile.read(path, what: "requirements file") }
            request.condaEnvironment = try options.value("--conda-env").map { path throws(TemplateFolderError) in try LabImageInputFile.read(path, what: "conda environment") }
        } catch {
            throw CommandFailure(message: "dockerkit new: error: \(error.message)")
        }
        if request.requirements != nil && request.condaEnvironment != nil {
            throw CommandFailure(message: "dockerkit new: error: give one of --requirements and --conda-env (a conda environment can list pip packages itself)")
        }
        if let language = options.value("--lang") {
            guard language.lowercased() == "zh" else {
                throw CommandFailure(message: "dockerkit new: error: --lang knows zh (zh_CN.UTF-8, Asia/Shanghai, CJK fonts), not '\(language)'; use --locale and --tz")
            }
            request.locale = "zh_CN.UTF-8"
            request.timeZone = "Asia/Shanghai"
            request.cjkFonts = true
        }
        if let locale = options.value("--locale") { request.locale = locale }
        if let timeZone = options.value("--tz") { request.timeZone = timeZone }
        if options.has("--cjk-fonts") { request.cjkFonts = true }
        request.packages = options.values("--packages").flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init) }
        for (name, keyPath) in [("--uid", \LabImageRequest.uid), ("--gid", \LabImageRequest.gid)] {
            guard let text = options.value(name) else { continue }
            guard let number = Int(text) else { throw CommandFailure(message: "dockerkit new: error: \(name) takes a number, not '\(text)'") }
            request[keyPath: keyPath] = number
        }
        return request
    }
}
