import Knowledge
import Support

/// `dockerkit new --list --torch` and `--list --tensorflow`: each release's CUDA builds and the tag `new` would pick.
public enum FrameworkListing {
    /// PyTorch's releases (or those of one line, `2.5`), oldest first.
    public static func torch(_ version: String?, frameworks: FrameworkCatalog = .shared, images: CudaImageCatalog = .shared) throws(LabImageRequestError) -> String {
        let releases = try line(frameworks.torchReleases, version, option: "--torch")
        var output = "PyTorch releases and their CUDA wheels (* has no published nvidia/cuda tag dockerkit new builds on):\n"
        output += "TORCH    TORCHVISION  TORCHAUDIO  PYTHON       CUDA WHEELS\n"
        for release in releases {
            let builds = release.variants.map { hasTag($0.cuda, images) ? $0.cuda : $0.cuda + "*" }
            output += padded(release.version, to: 9) + padded(release.torchvision, to: 13) + padded(release.torchaudio, to: 12)
                + padded("\(release.pythonMinimum)-\(release.pythonMaximum)", to: 13) + builds.joined(separator: " ") + "\n"
        }
        output += "Wheels: https://download.pytorch.org/whl/cuXYZ. Source: \(releases.last?.source ?? "")\n"
        return output
    }

    /// TensorFlow's releases (or those of one line), oldest first.
    public static func tensorflow(_ version: String?, frameworks: FrameworkCatalog = .shared, images: CudaImageCatalog = .shared) throws(LabImageRequestError) -> String {
        let releases = try line(frameworks.tensorflowReleases, version, option: "--tensorflow")
        var output = "TensorFlow releases and the CUDA and cuDNN they were built and tested with:\n"
        output += "TENSORFLOW  PYTHON       CUDA   CUDNN  INSTALLS\n"
        for release in releases {
            let how = release.bringsCuda ? "tensorflow[and-cuda] (CUDA and cuDNN from pip)" : "tensorflow (CUDA and cuDNN from the cudnn\(release.cudnnMajor) tag)"
            output += padded(release.version, to: 12) + padded("\(release.pythonMinimum)-\(release.pythonMaximum)", to: 13)
                + padded(release.cuda + (hasTag(release.cuda, images) ? "" : "*"), to: 7) + padded(release.cudnn, to: 7) + how + "\n"
        }
        output += "Source: \(releases.last?.source ?? "")\n"
        return output
    }

    /// The releases of one line (`2.5`, or `2.5.1` exactly), or all of them; none is an error.
    private static func line<Release: FrameworkRelease>(_ releases: [Release], _ version: String?, option: String) throws(LabImageRequestError) -> [Release] {
        let chosen = version.map { FrameworkCatalog.line($0, of: releases) } ?? releases
        guard !chosen.isEmpty else {
            throw LabImageRequestError(message: "\(Release.frameworkName) \(version ?? "") is not in dockerkit's table; dockerkit new --list \(option) lists the releases it knows")
        }
        return chosen
    }

    private static func hasTag(_ cuda: String, _ images: CudaImageCatalog) -> Bool {
        images.images.contains { $0.isGeneratable && $0.minorVersion == cuda }
    }
}
