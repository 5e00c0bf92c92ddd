/// One CUDA build of a PyTorch release, as PyTorch publishes its wheels.
public struct TorchWheelVariant: Sendable, Hashable {
    /// The CUDA `major.minor` the wheels are built for (`12.4`).
    public let cuda: String
    /// The wheels' local version label (`cu124`).
    public let label: String
    /// PyTorch's pip index for the variant.
    public let indexURL: String
}

/// What PyTorch and TensorFlow releases share: a version and the Python versions their wheels are built for.
public protocol FrameworkRelease: Sendable {
    /// `PyTorch`, `TensorFlow`.
    static var frameworkName: String { get }
    var version: String { get }
    var pythonMinimum: String { get }
    var pythonMaximum: String { get }
}

extension FrameworkRelease {
    /// Whether Python `major.minor` is one the release ships wheels for.
    public func supportsPython(_ version: String) -> Bool {
        compareVersions(version, pythonMinimum) != .orderedAscending && compareVersions(version, pythonMaximum) != .orderedDescending
    }

    /// `PyTorch 2.5.1`.
    public var name: String { "\(Self.frameworkName) \(version)" }
}

/// A PyTorch release: its CUDA wheel variants, the torchvision and torchaudio released with it, its Python range.
public struct TorchRelease: FrameworkRelease, Hashable {
    public static let frameworkName = "PyTorch"
    public let version: String
    public let torchvision: String
    public let torchaudio: String
    public let pythonMinimum: String
    public let pythonMaximum: String
    /// Oldest CUDA first.
    public let variants: [TorchWheelVariant]
    public let source: String
}

/// A TensorFlow release and the CUDA and cuDNN it was built and tested with.
public struct TensorFlowRelease: FrameworkRelease, Hashable {
    public static let frameworkName = "TensorFlow"
    public let version: String
    /// CUDA `major.minor`.
    public let cuda: String
    /// cuDNN `major.minor`.
    public let cudnn: String
    public let pythonMinimum: String
    public let pythonMaximum: String
    /// Installed as `tensorflow[and-cuda]`: CUDA and cuDNN come as pip packages (2.14 and later); otherwise TensorFlow
    /// loads the CUDA and cuDNN of the image.
    public let bringsCuda: Bool
    public let source: String

    /// cuDNN's major version (`8`).
    public var cudnnMajor: String { String(cudnn.prefix { $0 != "." }) }
}

/// The framework tables of `data/`: which CUDA each PyTorch and TensorFlow release needs.
public struct FrameworkCatalog: Sendable {
    public static let shared = FrameworkCatalog()

    /// Oldest first.
    public let torchReleases: [TorchRelease]
    /// Oldest first.
    public let tensorflowReleases: [TensorFlowRelease]

    init() {
        var torch: [TorchRelease] = []
        for fields in Self.rows(FrameworkData.torchRows) where fields.count == 9 {
            let variant = TorchWheelVariant(cuda: fields[1], label: fields[2], indexURL: fields[3])
            if let last = torch.last, last.version == fields[0] {
                torch[torch.count - 1] = TorchRelease(
                    version: last.version, torchvision: last.torchvision, torchaudio: last.torchaudio, pythonMinimum: last.pythonMinimum,
                    pythonMaximum: last.pythonMaximum, variants: last.variants + [variant], source: last.source)
            } else {
                torch.append(TorchRelease(
                    version: fields[0], torchvision: fields[4], torchaudio: fields[5], pythonMinimum: fields[6], pythonMaximum: fields[7],
                    variants: [variant], source: Self.source(fields[8])))
            }
        }
        torchReleases = torch
        tensorflowReleases = Self.rows(FrameworkData.tensorflowRows).filter { $0.count == 7 }.map { fields in
            TensorFlowRelease(
                version: fields[0], cuda: fields[1], cudnn: fields[2], pythonMinimum: fields[3], pythonMaximum: fields[4],
                bringsCuda: fields[5] == "and-cuda", source: Self.source(fields[6]))
        }
    }

    /// The release a user names: `2.5.1` exactly, or `2.5` for the newest `2.5.x`.
    public func torchRelease(_ requested: String) -> TorchRelease? {
        Self.line(requested, of: torchReleases).last
    }

    public func tensorflowRelease(_ requested: String) -> TensorFlowRelease? {
        Self.line(requested, of: tensorflowReleases).last
    }

    /// The releases a user's version names, oldest first: `2.5.1` that one, `2.5` every `2.5.x`.
    public static func line<Release: FrameworkRelease>(_ requested: String, of releases: [Release]) -> [Release] {
        let exact = releases.filter { $0.version == requested }
        return exact.isEmpty ? releases.filter { $0.version.hasPrefix(requested + ".") } : exact
    }

    private static func rows(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    }

    private static func source(_ index: String) -> String {
        guard let number = Int(index), FrameworkData.sources.indices.contains(number) else { return "" }
        return FrameworkData.sources[number]
    }
}

/// CUDA `major.minor` from a PyTorch wheel label: `cu124` → `12.4`, `cu118` → `11.8`, `cu130` → `13.0`.
public func cudaVersion(ofWheelLabel label: String) -> String? {
    let lowered = label.lowercased()
    guard lowered.hasPrefix("cu") else { return nil }
    let digits = lowered.dropFirst(2)
    guard (3...4).contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
    return "\(digits.dropLast()).\(digits.suffix(1))"
}
