import Support

/// Installed packages by name and version, read from a package database.
package struct PackageSet: Sendable, Equatable {
    package var versions: [String: String] = [:]

    /// The packages `dpkg` holds as installed in a `/var/lib/dpkg/status` file.
    package init(dpkgStatus text: String) {
        for stanza in text.split(separator: "\n\n", omittingEmptySubsequences: true) {
            var name: String?
            var version = ""
            var installed = false
            for line in stanza.split(separator: "\n") {
                if line.hasPrefix("Package: ") { name = String(line.dropFirst("Package: ".count)) }
                if line.hasPrefix("Version: ") { version = String(line.dropFirst("Version: ".count)) }
                if line.hasPrefix("Status: ") { installed = line.hasSuffix(" installed") }
            }
            if let name, installed { versions[name] = version }
        }
    }

    package init(versions: [String: String]) {
        self.versions = versions
    }

    /// The names apt marked as installed only to satisfy another (`/var/lib/apt/extended_states`).
    package static func autoInstalled(_ extendedStates: String) -> Set<String> {
        var names: Set<String> = []
        for stanza in extendedStates.split(separator: "\n\n", omittingEmptySubsequences: true) {
            let lines = stanza.split(separator: "\n")
            guard lines.contains("Auto-Installed: 1"), let package = lines.first(where: { $0.hasPrefix("Package: ") }) else { continue }
            names.insert(String(package.dropFirst("Package: ".count)))
        }
        return names
    }
}

/// A Python package installed with pip (its `NAME-VERSION.dist-info` folder) under a site-packages folder.
package struct PipPackage: Sendable, Hashable {
    /// The site-packages folder (normalised).
    package let site: String
    package let name: String
    package let version: String

    /// The package a `…/site-packages/NAME-VERSION.dist-info` (or Debian's `dist-packages`) path names; nil for any
    /// other path.
    init?(distInfo path: String) {
        guard path.hasSuffix(".dist-info"), let slash = path.lastIndex(of: "/") else { return nil }
        let site = String(path[..<slash])
        guard site.hasSuffix("/site-packages") || site.hasSuffix("/dist-packages") else { return nil }
        let folder = path[path.index(after: slash)...].dropLast(".dist-info".count)
        guard let dash = folder.firstIndex(of: "-") else { return nil }
        self.site = site
        name = String(folder[..<dash])
        version = String(folder[folder.index(after: dash)...])
        guard !name.isEmpty, !version.isEmpty else { return nil }
    }

    /// The interpreter that installs into `site`: the system's `pythonX.Y` for `usr` and `usr/local`, else the
    /// environment's own `bin/python`.
    var interpreter: String {
        guard let range = site.firstRange(of: "/lib/python") else { return "python3" }
        let root = String(site[..<range.lowerBound])
        let version = site[range.upperBound...].prefix { $0 != "/" }
        return root == "usr" || root == "usr/local" ? "python\(version)" : "/\(root)/bin/python"
    }
}

/// A package conda installed into an environment (its `conda-meta/NAME-VERSION-BUILD.json` record).
package struct CondaPackage: Sendable, Hashable {
    /// The environment's folder (normalised), which holds `conda-meta/`.
    package let prefix: String
    package let name: String
    package let version: String

    /// The environment and record a `PREFIX/conda-meta/….json` path names; nil for any other path.
    static func prefix(ofRecord path: String) -> String? {
        guard path.hasSuffix(".json"), let range = path.firstRange(of: "/conda-meta/"), !path[range.upperBound...].contains("/") else { return nil }
        return String(path[..<range.lowerBound])
    }

    /// The package of a record's JSON (`name`, `version`), and the files it lists, under the prefix.
    init?(record bytes: [UInt8], prefix: String) {
        guard let document = try? JSONValue.parse(bytes), let name = document["name"]?.string, let version = document["version"]?.string else { return nil }
        self.prefix = prefix
        self.name = name
        self.version = version
    }

    /// The files a record lists, as paths under the environment.
    static func files(ofRecord bytes: [UInt8], prefix: String) -> [String] {
        ((try? JSONValue.parse(bytes))?["files"]?.array ?? []).compactMap { $0.string }.map { FilePath.cleanComponents(prefix + "/" + $0).joined(separator: "/") }
    }
}

/// Why a changed path is not copied: what it is, for the Dockerfile's comment.
enum LeftOutReason: String, CaseIterable {
    case temporary = "temporary files"
    case caches = "caches"
    case logs = "logs"
    case packageState = "package databases and files their scripts regenerate"
    case engine = "files the engine makes"
    case mounts = "the container's mounts (homes, datasets, secrets, host keys)"

    /// The reason `path` is left out, if it is.
    static func of(_ path: String, mounts: [String]) -> LeftOutReason? {
        func under(_ prefixes: [String]) -> Bool { prefixes.contains { path == $0 || path.hasPrefix($0 + "/") } }
        if under(mounts) { return .mounts }
        if under(["tmp", "var/tmp", "run", "var/run"]) { return .temporary }
        if under(["var/cache", "root/.cache"]) || path.contains("/.cache/") || path.hasSuffix("/.cache") || path.contains("__pycache__") || path.hasSuffix(".pyc") {
            return .caches
        }
        if under(["var/log"]) { return .logs }
        if under(["var/lib/dpkg", "var/lib/apt", "var/lib/ucf", "etc/ld.so.cache", "usr/share/info/dir", "etc/alternatives", "var/lib/dpkg/alternatives"])
            || path.contains("/conda-meta/") || path.hasSuffix("/conda-meta") {
            return .packageState
        }
        if under(["proc", "sys", "dev", "etc/hostname", "etc/hosts", "etc/resolv.conf", "etc/mtab", ".dockerenv"]) { return .engine }
        return nil
    }
}

/// What a container added to its image, worked out from its changes and its exported filesystem, and the
/// Dockerfile that adds it again.
package struct ContainerReversal: Sendable {
    package var aptInstalled: [String] = []
    package var aptRemoved: [String] = []
    package var pipInstalled: [PipPackage] = []
    package var pipRemoved: [PipPackage] = []
    package var condaInstalled: [CondaPackage] = []
    /// Packages whose records the container removed, by environment and name.
    package var condaRemoved: [(prefix: String, name: String)] = []
    /// Files to copy by owner (`uid:gid`), and the folders on their way with their modes (root's group only).
    package var copied: [String: Set<String>] = [:]
    package var deleted: [String] = []
    /// Left-out paths by reason, for the comment.
    var leftOut: [LeftOutReason: [String]] = [:]
    /// Package versions in the container, for the comment.
    var versions: [String: String] = [:]

    /// The context folder that holds `owner`'s files.
    package static func folder(of owner: String) -> String {
        owner == "0:0" ? "files" : "files-" + owner.replacingAll(":", with: "-")
    }

    /// Works it out: `containerFiles` are the small files read from the export (dpkg status, apt's extended states,
    /// the package file lists and pip RECORDs the changes added), `entries` each exported path's type and owner.
    /// `removedFiles` are the files of the packages the container removed (their purge removes them again).
    package init(_ source: ContainerSource, imageStatus: String?, containerFiles: [String: [UInt8]],
                 entries: [String: (isDirectory: Bool, owner: String)], removedFiles: Set<String> = []) {
        func text(_ path: String) -> String { containerFiles[path].map { String(decoding: $0, as: UTF8.self) } ?? "" }
        let now = PackageSet(dpkgStatus: text("var/lib/dpkg/status"))
        let before = PackageSet(dpkgStatus: imageStatus ?? "")
        let automatic = PackageSet.autoInstalled(text("var/lib/apt/extended_states"))
        if imageStatus != nil {
            aptInstalled = now.versions.keys.filter { before.versions[$0] != now.versions[$0] && !automatic.contains($0) }.sorted()
            aptRemoved = before.versions.keys.filter { now.versions[$0] == nil }.sorted()
            versions = now.versions.filter { aptInstalled.contains($0.key) }
        }
        // Files a package brought: dpkg's lists (a path under /lib, /bin or /sbin also under /usr, where the
        // distribution merged them), pip's RECORDs. Files a new package's scripts made in the folders it brought
        // (update-ca-certificates' links in /etc/ssl/certs) are its too.
        var owned: Set<String> = []
        for (path, bytes) in containerFiles where path.hasPrefix("var/lib/dpkg/info/") && path.hasSuffix(".list") {
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                let listed = TarArchive.normalized(String(line))
                owned.insert(listed)
                if ["lib/", "lib64/", "bin/", "sbin/"].contains(where: listed.hasPrefix) { owned.insert("usr/" + listed) }
            }
        }
        let packageFolders = Set(source.changes.filter { $0.kind == .added && owned.contains($0.path) }.map(\.path))
        var pipSites: Set<String> = []
        for change in source.changes where !owned.contains(change.path) {
            guard let package = PipPackage(distInfo: change.path) else { continue }
            pipSites.insert(package.site)
            if change.kind == .added { pipInstalled.append(package) }
            if change.kind == .deleted { pipRemoved.append(package) }
            for line in text(change.path + "/RECORD").split(separator: "\n") {
                let file = line.split(separator: ",", maxSplits: 1).first.map(String.init) ?? ""
                owned.insert(FilePath.cleanComponents(package.site + "/" + file).joined(separator: "/"))
            }
        }
        pipRemoved.removeAll { removed in pipInstalled.contains { $0.site == removed.site && $0.name.lowercased() == removed.name.lowercased() } }
        for change in source.changes {
            guard let prefix = CondaPackage.prefix(ofRecord: change.path) else { continue }
            owned.insert(change.path)
            if change.kind == .added, let record = containerFiles[change.path], let package = CondaPackage(record: record, prefix: prefix) {
                condaInstalled.append(package)
                owned.formUnion(CondaPackage.files(ofRecord: record, prefix: prefix))
            } else if change.kind == .deleted, let name = Self.condaName(ofRecord: change.path) {
                condaRemoved.append((prefix, name))
            }
        }
        condaRemoved.removeAll { removed in condaInstalled.contains { $0.prefix == removed.prefix && $0.name == removed.name } }
        for change in source.changes {
            let path = change.path
            if let reason = LeftOutReason.of(path, mounts: source.mounts) {
                leftOut[reason, default: []].append(path)
                continue
            }
            if owned.contains(path) || pipSites.contains(where: { path.hasPrefix($0 + "/") }) { continue }
            if change.kind == .added, let slash = path.lastIndex(of: "/"), packageFolders.contains(String(path[..<slash])) { continue }
            switch change.kind {
            case .deleted:
                // Inside a deleted folder, the folder's removal covers it; so does a removed package's purge.
                if !removedFiles.contains(path), !source.changes.contains(where: { $0.kind == .deleted && path.hasPrefix($0.path + "/") }) { deleted.append(path) }
            case .added, .changed:
                guard let entry = entries[path], !(entry.isDirectory && change.kind == .changed) else { continue }
                copied[entry.owner, default: []].insert(path)
            }
        }
        // A new folder whose contents were all left out or are a package's (pip's site folder) is the package's.
        let withChanges = Self.ancestors(of: source.changes.map(\.path))
        let withKeptFiles = Self.ancestors(of: copied.values.flatMap { $0 }.filter { entries[$0]?.isDirectory == false })
        for (owner, paths) in copied {
            copied[owner] = paths.filter { entries[$0]?.isDirectory != true || !withChanges.contains($0) || withKeptFiles.contains($0) }
        }
        copied = copied.filter { !$0.value.isEmpty }
    }

    /// A removed record's package name: `NAME-VERSION-BUILD.json` with the last two dash-separated parts dropped.
    static func condaName(ofRecord path: String) -> String? {
        let parts = FilePath.lastComponent(path).dropLast(".json".count).split(separator: "-")
        return parts.count >= 3 ? parts.dropLast(2).joined(separator: "-") : nil
    }

    /// Every folder above each of `paths`.
    static func ancestors(of paths: [String]) -> Set<String> {
        var result: Set<String> = []
        for path in paths {
            var current = Substring(path)
            while let slash = current.lastIndex(of: "/") {
                current = current[..<slash]
                guard result.insert(String(current)).inserted else { break }
            }
        }
        return result
    }

    /// The Dockerfile: FROM the container's image, then packages, then files, then removals.
    package func dockerfile(_ source: ContainerSource) -> String {
        var lines = [
            "# Dockerfile recovered by dockerkit reverse from container \(source.name.escapingControlCharacters()) (\(source.id.prefix(12)))",
            "# Image: \(source.imageID)",
        ]
        for reason in LeftOutReason.allCases {
            guard let all = leftOut[reason], !all.isEmpty else { continue }
            // The top-most paths: a folder's entry stands for what changed inside it.
            let paths = all.filter { path in !all.contains { path.hasPrefix($0 + "/") } }
            let shown = paths.sorted().prefix(4).map { "/" + $0.escapingControlCharacters() }.joined(separator: ", ")
            lines.append("# Left out, \(reason.rawValue): \(shown)\(paths.count > 4 ? " and \(paths.count - 4) more" : "")")
        }
        lines += ["", "FROM \(source.image)"]
        if !aptRemoved.isEmpty {
            lines.append("RUN apt-get purge -y \(aptRemoved.map(Quoting.shellWord).joined(separator: " "))")
        }
        if !aptInstalled.isEmpty {
            lines.append("# In the container: \(aptInstalled.map { "\($0) \(versions[$0] ?? "")" }.joined(separator: ", "))")
            lines.append("RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
                + aptInstalled.map(Quoting.shellWord).joined(separator: " ") + " && rm -rf /var/lib/apt/lists/*")
        }
        for interpreter in Set(pipInstalled.map(\.interpreter)).sorted() {
            let pins = pipInstalled.filter { $0.interpreter == interpreter }.map { "\($0.name)==\($0.version)" }.sorted()
            lines.append("RUN PIP_BREAK_SYSTEM_PACKAGES=1 \(Quoting.shellWord(interpreter)) -m pip install --no-cache-dir --no-deps \(pins.map(Quoting.shellWord).joined(separator: " "))")
        }
        for interpreter in Set(pipRemoved.map(\.interpreter)).sorted() {
            let names = pipRemoved.filter { $0.interpreter == interpreter }.map(\.name).sorted()
            lines.append("RUN PIP_BREAK_SYSTEM_PACKAGES=1 \(Quoting.shellWord(interpreter)) -m pip uninstall -y \(names.map(Quoting.shellWord).joined(separator: " "))")
        }
        for prefix in Set(condaInstalled.map(\.prefix)).sorted() {
            let pins = condaInstalled.filter { $0.prefix == prefix }.map { "\($0.name)=\($0.version)" }.sorted()
            lines.append("RUN \(Quoting.shellWord("/" + prefix + "/bin/conda")) install -y -p \(Quoting.shellWord("/" + prefix)) \(pins.map(Quoting.shellWord).joined(separator: " "))")
        }
        for prefix in Set(condaRemoved.map(\.prefix)).sorted() {
            let names = condaRemoved.filter { $0.prefix == prefix }.map(\.name).sorted()
            lines.append("RUN \(Quoting.shellWord("/" + prefix + "/bin/conda")) remove -y -p \(Quoting.shellWord("/" + prefix)) \(names.map(Quoting.shellWord).joined(separator: " "))")
        }
        for owner in copied.keys.sorted() {
            let chown = owner == "0:0" ? "" : " --chown=\(owner)"
            // Each top-most path on its own, so no folder that was there keeps another owner's files' owner.
            let paths = copied[owner] ?? []
            for path in paths.sorted() where !paths.contains(where: { path.hasPrefix($0 + "/") }) {
                lines.append("COPY\(chown) [\(JSONWriter.quoted(Self.folder(of: owner) + "/" + path)), \(JSONWriter.quoted("/" + path))]")
            }
        }
        if !deleted.isEmpty {
            lines.append("RUN rm -rf -- \(deleted.sorted().map { Quoting.shellWord("/" + $0) }.joined(separator: " "))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
