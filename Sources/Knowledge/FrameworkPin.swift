import Support

/// The frameworks whose builds depend on a CUDA version.
public enum Framework: String, Sendable {
    case torch
    case tensorflow
}

/// A requirement that pins PyTorch or TensorFlow to one version.
public struct FrameworkPin: Sendable, Equatable {
    public let framework: Framework
    /// The version as written, without a local label or a trailing `.*` (`2.5.1`, `2.15`).
    public let version: String
    /// The wheel label after `+` (`cu121`), if any.
    public let wheelLabel: String?
    /// `tensorflow[and-cuda]`: the CUDA libraries come with it.
    public let bringsCuda: Bool
    /// The requirement as written.
    public let text: String

    /// Reads one requirement: pip's `torch==2.5.1+cu121`, `tensorflow[and-cuda]==2.15.1`, `tensorflow-gpu==2.4.0`, or
    /// conda's `pytorch=2.5.1`; nil for anything else (other packages, ranges, unpinned names).
    public init?(requirement: String) {
        let trimmed = unquoted(requirement.trimmingBlanks())
        guard let operatorStart = trimmed.firstIndex(where: { $0 == "=" || $0 == "<" || $0 == ">" || $0 == "!" || $0 == "~" }) else { return nil }
        let written: String = trimmed[..<operatorStart].lowercased().trimmingBlanks()
        var name = String(written.map { (character: Character) -> Character in character == "_" ? "-" : character })
        var extras: [Substring] = []
        if let bracket = name.firstIndex(of: "["), name.hasSuffix("]") {
            extras = name[name.index(after: bracket)..<name.index(before: name.endIndex)].split(separator: ",").map { Substring($0.trimmingBlanks()) }
            name = String(name[..<bracket])
        }
        switch name {
        case "torch", "pytorch": framework = .torch
        case "tensorflow", "tensorflow-gpu", "tensorflow-cpu": framework = .tensorflow
        default: return nil
        }
        var rest = trimmed[operatorStart...]
        if rest.hasPrefix("===") {
            rest = rest.dropFirst(3)
        } else if rest.hasPrefix("==") {
            rest = rest.dropFirst(2)
        } else if rest.hasPrefix("=") && !rest.hasPrefix("=<") && !rest.hasPrefix("=>") {
            rest = rest.dropFirst()
        } else {
            return nil
        }
        // A conda spec may add a build string (`pytorch=2.5.1=py3.11_cuda12.1_cudnn9_0`); an environment marker follows `;`.
        rest = rest.drop { $0 == " " || $0 == "\t" }
        var spec = String(rest.prefix { $0 != ";" && $0 != " " && $0 != "=" && $0 != "," })
        if spec.hasSuffix(".*") { spec.removeLast(2) }
        let parts = spec.split(separator: "+", maxSplits: 1).map(String.init)
        guard let version = parts.first, version.first?.isNumber == true, version.allSatisfy({ (character: Character) in character.isNumber || character == "." }) else {
            return nil
        }
        self.version = version
        wheelLabel = parts.count == 2 ? parts[1].lowercased() : nil
        bringsCuda = framework == .tensorflow && extras.contains("and-cuda")
        text = trimmed
    }
}

/// The framework pins of a requirements file or a conda environment, and the CUDA builds they ask for by other means.
public struct FrameworkRequirements: Sendable, Equatable {
    public private(set) var pins: [FrameworkPin] = []
    /// A PyTorch wheel label named by an index URL (`--index-url https://download.pytorch.org/whl/cu118`).
    public private(set) var indexWheelLabel: String?
    /// conda's `pytorch-cuda=12.1`.
    public private(set) var condaPytorchCuda: String?

    /// Reads pip's requirements format: one requirement a line, `#` comments, options such as `--index-url URL`.
    public init(requirementsFile text: String) {
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.prefix { $0 != "#" }.trimmingBlanks()
            guard !line.isEmpty else { continue }
            if line.hasPrefix("-") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "=" || $0 == "\t" }).map(String.init)
                if let url = words.dropFirst().first, ["--index-url", "-i", "--extra-index-url", "--find-links", "-f"].contains(words[0]) {
                    indexWheelLabel = pytorchWheelLabel(ofIndexURL: url) ?? indexWheelLabel
                }
                continue
            }
            if let pin = FrameworkPin(requirement: line) { pins.append(pin) }
        }
    }

    /// Reads a conda environment file's dependencies (`- pytorch=2.5.1`, `- pytorch-cuda=12.1`, and its `pip:` list).
    public init(condaEnvironment text: String) {
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = rawLine.prefix { $0 != "#" }.trimmingBlanks()
            guard line.hasPrefix("- ") else { continue }
            line = unquoted(line.dropFirst(2).trimmingBlanks())
            if line.hasPrefix("--") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
                if let url = words.dropFirst().first { indexWheelLabel = pytorchWheelLabel(ofIndexURL: url) ?? indexWheelLabel }
            } else if line.lowercased().hasPrefix("pytorch-cuda=") {
                condaPytorchCuda = String(line.dropFirst("pytorch-cuda=".count).prefix { $0 != "=" && $0 != " " }).filter { $0 != "*" }
            } else if let pin = FrameworkPin(requirement: line) {
                pins.append(pin)
            }
        }
    }

    /// The pin of a framework, if the file has one.
    public func pin(of framework: Framework) -> FrameworkPin? {
        pins.first { $0.framework == framework }
    }

    /// The CUDA `major.minor` the file asks PyTorch to be built for: the pin's label, an index URL, or conda's pytorch-cuda.
    public var torchCuda: String? {
        if let label = pin(of: .torch)?.wheelLabel, let cuda = cudaVersion(ofWheelLabel: label) { return cuda }
        if let label = indexWheelLabel, let cuda = cudaVersion(ofWheelLabel: label) { return cuda }
        return condaPytorchCuda.flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// The wheel label of a PyTorch index or find-links URL (`https://download.pytorch.org/whl/cu118` → `cu118`,
/// `…/whl/cu111/torch_stable.html` → `cu111`, a mirror's `…/pytorch-wheels/cu121/` → `cu121`).
public func pytorchWheelLabel(ofIndexURL url: String) -> String? {
    let lowered = url.lowercased()
    guard lowered.contains("pytorch") else { return nil }
    return lowered.split(separator: "/").map(String.init).last { cudaVersion(ofWheelLabel: $0) != nil }
}

/// Without one pair of surrounding quotes.
private func unquoted(_ text: String) -> String {
    guard text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first else { return text }
    return String(text.dropFirst().dropLast())
}
