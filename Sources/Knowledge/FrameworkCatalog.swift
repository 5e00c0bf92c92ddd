/// One CUDA build of a PyTorch release, as PyTorch publishes its wheels.
public struct TorchWheelVariant: Sendable, Hashable {
    /// The CUDA `major.minor` the wheels are built for (`12.4`).
    public let cuda: String
    /// The wheels' local version label (`cu124`).
    public let label: String
    /// PyTorch's pip index for the variant.
    public let indexURL: String
}

/// A PyTorch release: its CUDA wheel variants, the torchvision and torchaudio released with it, its Python range.
public struct TorchRelease: Sendable, Hashable {
    public let version: String
    public let torchvision: String
    public let torchaudio: String
    public let pythonMinimum: String
    public let pythonMaximum: String
    /// Oldest CUDA first.
    public let variants: [TorchWheelVariant]
    public let source: String

    /// Whether Python `major.minor` is one the release ships wheels for.
    public func supportsPython(_ version: String) -> Bool {
        compareVersions(version, pythonMinimum) != .orderedAscending && compareVersions(version, pythonMaximum) != .orderedDescending
    }
}

/// A TensorFlow release and the CUDA and cuDNN it was built and tested with.
public struct TensorFlowRelease: Sendable, Hashable {
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

    public func supportsPython(_ version: String) -> Bool {
        compareVersions(version, pythonMinimum) != .orderedAscending && compareVersions(version, pythonMaximum) != .orderedDescending
    }
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
        Self.newest(torchReleases, matching: requested, version: \.version)
    }

    public func tensorflowRelease(_ requested: String) -> TensorFlowRelease? {
        Self.newest(tensorflowReleases, matching: requested, version: \.version)
    }

    private static func newest<Release>(_ releases: [Release], matching requested: String, version: KeyPath<Release, String>) -> Release? {
        releases.last { $0[keyPath: version] == requested } ?? releases.last { $0[keyPath: version].hasPrefix(requested + ".") }
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
