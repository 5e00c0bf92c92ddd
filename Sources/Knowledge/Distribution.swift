import Support

/// The Linux distribution of a base image, when its name or tag tells.
public struct Distribution: Sendable, Equatable {
    /// `ubuntu`, `debian`, `alpine`, `centos`, `rockylinux`, `fedora`, …
    public let name: String
    /// e.g. `22.04` or `12`; nil when the tag does not tell.
    public let version: String?

    /// Whether apt sources live in deb822 `*.sources` files (Ubuntu 24.04+, Debian 12+).
    public var usesDeb822Sources: Bool {
        guard let version, let major = Int(version.split(separator: ".").first ?? "") else { return false }
        switch name {
        case "ubuntu": return major >= 24
        case "debian": return major >= 12
        default: return false
        }
    }

    public var usesApt: Bool { name == "ubuntu" || name == "debian" }

    static let ubuntuCodenames = ["trusty": "14.04", "xenial": "16.04", "bionic": "18.04", "focal": "20.04",
                                  "jammy": "22.04", "noble": "24.04", "oracular": "24.10", "plucky": "25.04"]
    static let debianCodenames = ["stretch": "9", "buster": "10", "bullseye": "11", "bookworm": "12", "trixie": "13"]

    /// Reads the distribution from an image reference such as `ubuntu:22.04`, `debian:bookworm-slim`,
    /// `nvidia/cuda:12.4.1-runtime-ubuntu22.04` or `python:3.12-slim-bookworm`.
    public init?(image reference: ImageReference) {
        let name = reference.repositoryName
        let tag = (reference.tag ?? "").lowercased()
        for (codename, version) in Self.debianCodenames where tag.utf8Offset(of: codename) != nil {
            self.init(name: "debian", version: version)
            return
        }
        for (codename, version) in Self.ubuntuCodenames where tag.utf8Offset(of: codename) != nil {
            self.init(name: "ubuntu", version: version)
            return
        }
        for family in ["ubuntu", "centos", "rockylinux", "ubi", "alpine"] {
            if let offset = tag.utf8Offset(of: family) {
                let rest = tag.utf8.dropFirst(offset + family.utf8.count).prefix { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }
                self.init(name: family == "ubi" ? "rhel" : family, version: rest.isEmpty ? nil : String(decoding: rest, as: UTF8.self))
                return
            }
        }
        switch name {
        case "ubuntu", "debian", "alpine", "centos", "rockylinux", "fedora", "almalinux", "amazonlinux", "archlinux", "opensuse/leap":
            let version = tag.prefix { $0.isNumber || $0 == "." }
            self.init(name: name, version: version.isEmpty ? nil : String(version))
        default:
            return nil
        }
    }

    public init(name: String, version: String?) {
        self.name = name
        self.version = version
    }
}
