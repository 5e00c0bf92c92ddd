import Knowledge
import Support

/// Facts about the distribution a lab image is built on that change what the Dockerfile writes.
public struct LabImageDistribution: Sendable, Equatable {
    /// `ubuntu22.04`, `debian12`, or `debian-family` for a `--base` image dockerkit cannot identify.
    public let name: String
    /// Mirror ecosystems whose hosts are rewritten (`ubuntu`, `debian`).
    public let mirrorEcosystems: [String]
    /// The apt source files to rewrite where they exist: a base may use the one-line `/etc/apt/sources.list`,
    /// deb822 `*.sources` files, or both, whatever its release usually does.
    public let aptSourceFiles: [String]
    /// The `major.minor` of the distribution's python3, when known.
    public let pythonVersion: String?
    /// Whether `vncpasswd` comes in its own `tigervnc-tools` package (TigerVNC 1.11 and later); nil when unknown.
    public let hasTigerVNCTools: Bool?

    /// What dockerkit knows of a distribution by name (`ubuntu22.04`, `debian12`), or nil.
    public static func known(_ name: String) -> LabImageDistribution? {
        let ubuntu: [String: (python: String, vncTools: Bool)] = [
            "ubuntu16.04": ("3.5", false), "ubuntu18.04": ("3.6", false), "ubuntu20.04": ("3.8", false),
            "ubuntu22.04": ("3.10", true), "ubuntu24.04": ("3.12", true), "ubuntu26.04": ("3.14", true),
        ]
        let debian: [String: (python: String, vncTools: Bool)] = [
            "debian10": ("3.7", false), "debian11": ("3.9", true), "debian12": ("3.11", true), "debian13": ("3.13", true),
        ]
        if let facts = ubuntu[name] {
            return LabImageDistribution(
                name: name, mirrorEcosystems: ["ubuntu"],
                aptSourceFiles: ["/etc/apt/sources.list", "/etc/apt/sources.list.d/ubuntu.sources"],
                pythonVersion: facts.python, hasTigerVNCTools: facts.vncTools)
        }
        if let facts = debian[name] {
            return LabImageDistribution(
                name: name, mirrorEcosystems: ["debian"],
                aptSourceFiles: ["/etc/apt/sources.list", "/etc/apt/sources.list.d/debian.sources"],
                pythonVersion: facts.python, hasTigerVNCTools: facts.vncTools)
        }
        return nil
    }

    /// A Debian or Ubuntu base dockerkit cannot identify: every layout is rewritten where it exists.
    static let debianFamily = LabImageDistribution(
        name: "debian-family", mirrorEcosystems: ["ubuntu", "debian"],
        aptSourceFiles: ["/etc/apt/sources.list", "/etc/apt/sources.list.d/ubuntu.sources", "/etc/apt/sources.list.d/debian.sources"],
        pythonVersion: nil, hasTigerVNCTools: nil)

    /// Guesses the distribution from a base image's name (`debian:12`, `local/debian:12-slim`, `ubuntu:24.04`,
    /// `ubuntu:noble`), as the linter reads distributions; the repository's last path component names it.
    static func guess(fromImage image: String) -> LabImageDistribution {
        let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
        guard let distribution = Distribution(image: ImageReference(lastComponent)), let version = distribution.version else { return debianFamily }
        switch distribution.name {
        case "ubuntu": return known("ubuntu" + version) ?? debianFamily
        case "debian": return known("debian" + (version.split(separator: ".").first.map(String.init) ?? version)) ?? debianFamily
        default: return debianFamily
        }
    }
}

/// Checks a request against the published nvidia/cuda tags and the options that fit together.
public enum LabImageResolver {
    static let flavors = ["base", "runtime", "devel"]

    /// The nvidia/cuda image a request names, or an error listing what is available.
    public static func resolveCudaImage(_ request: LabImageRequest, catalog: CudaImageCatalog = .shared) throws(LabImageRequestError) -> CudaImage? {
        let flavor = request.flavor ?? "runtime"
        guard flavors.contains(flavor) else {
            throw LabImageRequestError(message: "there is no nvidia/cuda flavor '\(flavor)'; choose one of: \(flavors.joined(separator: ", "))")
        }
        guard let requestedVersion = request.cudaVersion else {
            if request.base != nil { return nil }
            throw LabImageRequestError(message: "--cuda VERSION is required; published versions: \(publishedVersions(catalog).joined(separator: ", "))")
        }
        let usable = catalog.images.filter { $0.isGeneratable }
        let ofVersion = usable.filter { matches($0, version: requestedVersion) }
        guard !ofVersion.isEmpty else {
            let listed = catalog.images.filter { matches($0, version: requestedVersion) }
            let reason: String
            if listed.contains(where: { $0.status == .removed }) {
                reason = "NVIDIA deleted the nvidia/cuda images of CUDA \(requestedVersion) (pulls fail with \"manifest unknown\")"
            } else if !listed.isEmpty {
                reason = "the nvidia/cuda images of CUDA \(requestedVersion) are not known to be published any more (presumed deleted, unverified)"
            } else {
                reason = "CUDA \(requestedVersion) was never published as an nvidia/cuda image on Ubuntu"
            }
            throw LabImageRequestError(message: "\(reason); published versions: \(publishedVersions(catalog).joined(separator: ", "))")
        }
        let ofFlavor = ofVersion.filter { $0.flavor == flavor }
        guard !ofFlavor.isEmpty else {
            let available = flavors.filter { name in ofVersion.contains { $0.flavor == name } }
            throw LabImageRequestError(message: "CUDA \(requestedVersion) has no '\(flavor)' image; flavors published: \(available.joined(separator: ", "))")
        }
        let ofCudnn = ofFlavor.filter { image in
            guard let wanted = request.cudnn else { return image.cudnn == nil }
            guard let major = image.cudnnMajor else { return false }
            return wanted.isEmpty || major == wanted
        }
        guard !ofCudnn.isEmpty else {
            let published = Set(ofFlavor.compactMap(\.cudnnMajor)).sorted()
            let wanted = request.cudnn.map { $0.isEmpty ? "cuDNN" : "cuDNN \($0)" } ?? "an image without cuDNN"
            let choices = published.isEmpty ? "no cuDNN images are published for it" : "cuDNN versions published: \(published.joined(separator: ", "))"
            throw LabImageRequestError(message: "CUDA \(requestedVersion) \(flavor) has no tag with \(wanted); \(choices)")
        }
        var candidates = ofCudnn
        if let os = request.os {
            candidates = ofCudnn.filter { $0.os == os.lowercased() }
            guard !candidates.isEmpty else {
                let systems = Set(ofCudnn.map(\.os)).sorted { compareVersions($0, $1) == .orderedAscending }
                throw LabImageRequestError(message: "CUDA \(requestedVersion) \(flavor) is not published for \(os); operating systems published: \(systems.joined(separator: ", "))")
            }
        }
        // The newest patch first, then the newest Ubuntu for it.
        return candidates.max { left, right in
            let versionOrder = compareVersions(left.version, right.version)
            if versionOrder != .orderedSame { return versionOrder == .orderedAscending }
            let osOrder = compareVersions(left.os, right.os)
            if osOrder != .orderedSame { return osOrder == .orderedAscending }
            return (left.cudnn ?? "") < (right.cudnn ?? "")
        }
    }

    /// `cudnn8` → `8`; the unversioned `cudnn` of CUDA 12.4 and later tags carries cuDNN 9.
    private static func matches(_ image: CudaImage, version: String) -> Bool {
        image.version == version || image.minorVersion == version || image.version.hasPrefix(version + ".")
    }

    /// Versions with at least one pullable Ubuntu image, oldest first.
    static func publishedVersions(_ catalog: CudaImageCatalog) -> [String] {
        Set(catalog.images.filter { $0.isGeneratable }.map(\.version))
            .sorted { compareVersions($0, $1) == .orderedAscending }
    }

    /// `dockerkit new --list --verbose`: every tag of the table, with its status and where the status comes from.
    public static func tagListing(_ catalog: CudaImageCatalog = .shared) -> String {
        var output = "TAG                                     STATUS       SOURCE\n"
        for image in catalog.images {
            output += padded(image.tag, to: 40) + padded(image.status.rawValue, to: 13) + image.source + "\n"
        }
        return output
    }

    /// `dockerkit new --list`: the published table.
    public static func publishedListing(_ catalog: CudaImageCatalog = .shared) -> String {
        var output = "Published nvidia/cuda images dockerkit new can build on (Ubuntu; removed tags left out):\n"
        output += "VERSION  FLAVOR   CUDNN     OS\n"
        for row in publishedTable(catalog) {
            output += padded(row.version, to: 9) + padded(row.flavor, to: 9) + padded(row.cudnn, to: 10) + row.systems.joined(separator: " ") + "\n"
        }
        return output
    }

    /// The table `dockerkit new --list` prints: one line per version, flavor and cuDNN with its operating systems.
    public static func publishedTable(_ catalog: CudaImageCatalog = .shared) -> [(version: String, flavor: String, cudnn: String, systems: [String])] {
        var rows: [String: (version: String, flavor: String, cudnn: String, systems: Set<String>)] = [:]
        for image in catalog.images where image.isGeneratable {
            let cudnn = image.cudnnMajor.map { "cudnn\($0)" } ?? image.cudnn ?? "-"
            let key = "\(image.version) \(image.flavor) \(cudnn)"
            rows[key, default: (image.version, image.flavor, cudnn, [])].systems.insert(image.os)
        }
        return rows.values
            .map { (version: $0.version, flavor: $0.flavor, cudnn: $0.cudnn, systems: $0.systems.sorted { compareVersions($0, $1) == .orderedAscending }) }
            .sorted { left, right in
                if left.version != right.version { return compareVersions(left.version, right.version) == .orderedAscending }
                let leftFlavor = flavors.firstIndex(of: left.flavor) ?? 0
                let rightFlavor = flavors.firstIndex(of: right.flavor) ?? 0
                if leftFlavor != rightFlavor { return leftFlavor < rightFlavor }
                return left.cudnn < right.cudnn
            }
    }
}

extension CudaImage {
    /// Whether `dockerkit new` may build on the tag: an Ubuntu tag known to be published (supported or still
    /// published without updates); not a removed one, nor one whose state is unknown.
    package var isGeneratable: Bool {
        (status == .supported || status == .unsupported) && os.hasPrefix("ubuntu")
    }
}
