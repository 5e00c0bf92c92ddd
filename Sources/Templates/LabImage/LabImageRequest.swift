import Knowledge

/// What a lab admin asks `dockerkit new` for.
public struct LabImageRequest: Sendable, Equatable {
    /// `11.3` (newest patch) or `11.3.1`; nil only with `base`.
    public var cudaVersion: String?
    /// `base`, `runtime` or `devel`; nil means `runtime`.
    public var flavor: String?
    /// nil: no cuDNN; `""`: the newest cuDNN published; `8`, `9`: that major version.
    public var cudnn: String?
    /// e.g. `ubuntu22.04`; nil means the newest Ubuntu published for the version and flavor.
    public var os: String?
    public var ssh = false
    public var vnc = false
    /// A mirror name from the catalog, or `none`.
    public var mirror = "none"
    /// A Python `major.minor`; nil means the distribution's python3 (or conda's default).
    public var python: String?
    public var conda = false
    public var user: String?
    public var uid: Int?
    public var gid: Int?
    public var sudo = false
    public var jupyter = false
    /// Extra distribution packages.
    public var packages: [String] = []
    /// A locale to generate and make the default (`zh_CN.UTF-8`).
    public var locale: String?
    /// A time zone for the image and its sessions (`Asia/Shanghai`).
    public var timeZone: String?
    /// Chinese, Japanese and Korean fonts (Noto CJK), for desktops and plots.
    public var cjkFonts = false
    /// An image to build on instead of nvidia/cuda (must be Debian or Ubuntu).
    public var base: String?
    /// A PyTorch release (`2.5` or `2.5.1`): its CUDA wheels, torchvision and torchaudio, on a CUDA tag they fit.
    public var torch: String?
    /// A TensorFlow release (`2.15`), on the CUDA (and cuDNN) it was built with.
    public var tensorflow: String?
    /// A pip requirements file's contents, copied into the build context and installed in a layer of its own.
    public var requirements: String?
    /// A conda environment file's contents, applied to conda's base environment (implies `conda`).
    public var condaEnvironment: String?

    public init() {}
}

/// A request that cannot be met, with the choices that can.
public struct LabImageRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// One file `dockerkit new -o DIR` writes.
public struct GeneratedFile: Sendable, Equatable {
    /// Path inside the output folder.
    public let name: String
    public let contents: String
    public let isExecutable: Bool
}

/// What `dockerkit new` produces: the files, and the `docker run` line to start a member's container.
public struct LabImage: Sendable {
    /// The resolved nvidia/cuda image (nil with `--base` and no `--cuda`).
    public let cudaImage: CudaImage?
    /// The FROM image.
    public let baseImage: String
    public let files: [GeneratedFile]
    public let runCommand: String

    /// The Dockerfile's text.
    public var dockerfile: String {
        files.first { $0.name == "Dockerfile" }?.contents ?? ""
    }
}
