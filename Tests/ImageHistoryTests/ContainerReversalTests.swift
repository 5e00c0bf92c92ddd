import Testing
@testable import ImageHistory

private let imageStatus = """
    Package: apt
    Status: install ok installed
    Version: 2.6.1

    Package: tzdata
    Status: install ok installed
    Version: 2024a-0+deb12u1

    Package: gone-config
    Status: deinstall ok config-files
    Version: 1

    """

private let containerStatus = """
    Package: apt
    Status: install ok installed
    Version: 2.6.1

    Package: file
    Status: install ok installed
    Version: 1:5.44-3

    Package: libmagic1
    Status: install ok installed
    Version: 1:5.44-3

    """

private func source(_ changes: [FilesystemChange], mounts: [String] = []) -> ContainerSource {
    ContainerSource(name: "ann", id: "0123456789abcdef", image: "lab1/img:1", imageID: "sha256:ab", mounts: mounts, changes: changes)
}

@Test func onlyInstalledPackagesCountNotConfigFilesLeftBehind() {
    #expect(PackageSet(dpkgStatus: imageStatus).versions == ["apt": "2.6.1", "tzdata": "2024a-0+deb12u1"])
}

@Test func packagesInstalledByNameAreInstalledAndTheirDependenciesLeftToApt() {
    let reversal = ContainerReversal(source([]), imageStatus: imageStatus,
                                     containerFiles: ["var/lib/dpkg/status": Array(containerStatus.utf8),
                                                      "var/lib/apt/extended_states": Array("Package: libmagic1\nArchitecture: amd64\nAuto-Installed: 1\n".utf8)],
                                     entries: [:])
    #expect(reversal.aptInstalled == ["file"])
    #expect(reversal.aptRemoved == ["tzdata"])
    let dockerfile = reversal.dockerfile(source([]))
    #expect(dockerfile.contains("\nFROM lab1/img:1\nRUN apt-get purge -y tzdata\n# In the container: file 1:5.44-3\n"))
    #expect(dockerfile.contains("apt-get install -y --no-install-recommends file && rm -rf /var/lib/apt/lists/*\n"))
}

@Test func filesAPackageBroughtAreNotCopied() {
    let changes = [FilesystemChange(.added, "/usr/bin/file"), FilesystemChange(.added, "/var/lib/dpkg/info/file.list"), FilesystemChange(.added, "/opt/x")]
    let reversal = ContainerReversal(source(changes), imageStatus: nil,
                                     containerFiles: ["var/lib/dpkg/info/file.list": Array("/.\n/usr/bin/file\n".utf8)],
                                     entries: ["usr/bin/file": (false, "0:0"), "opt/x": (false, "0:0")])
    #expect(reversal.copied == ["0:0": ["opt/x"]])
}

@Test func pipPackagesArePinnedForTheirOwnInterpreterAndTheirFilesLeftToPip() {
    let changes = [
        FilesystemChange(.added, "/usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info"),
        FilesystemChange(.added, "/usr/local/lib/python3.11/site-packages/requests/api.py"),
        FilesystemChange(.added, "/opt/venv/lib/python3.11/site-packages/numpy-1.26.4.dist-info"),
        FilesystemChange(.deleted, "/usr/local/lib/python3.11/site-packages/six-1.16.0.dist-info"),
    ]
    let reversal = ContainerReversal(source(changes), imageStatus: nil, containerFiles: [:], entries: ["usr/local/lib/python3.11/site-packages/requests/api.py": (false, "0:0")])
    #expect(reversal.copied.isEmpty)
    let dockerfile = reversal.dockerfile(source(changes))
    #expect(dockerfile.contains("RUN PIP_BREAK_SYSTEM_PACKAGES=1 /opt/venv/bin/python -m pip install --no-cache-dir --no-deps numpy==1.26.4\n"))
    #expect(dockerfile.contains("RUN PIP_BREAK_SYSTEM_PACKAGES=1 python3.11 -m pip install --no-cache-dir --no-deps requests==2.31.0\n"))
    #expect(dockerfile.contains("RUN PIP_BREAK_SYSTEM_PACKAGES=1 python3.11 -m pip uninstall -y six\n"))
}

@Test func cachesLogsTemporaryFilesAndMountsAreLeftOutAndListed() {
    let changes = [FilesystemChange(.added, "/tmp/x"), FilesystemChange(.added, "/var/log/apt/history.log"), FilesystemChange(.added, "/home/ann/notes"),
                   FilesystemChange(.added, "/root/.cache/pip/http/1"), FilesystemChange(.added, "/opt/app/__pycache__/m.cpython-311.pyc")]
    let reversal = ContainerReversal(source(changes, mounts: ["home/ann"]), imageStatus: nil, containerFiles: [:],
                                     entries: Dictionary(uniqueKeysWithValues: changes.map { ($0.path, (false, "0:0")) }))
    #expect(reversal.copied.isEmpty)
    let dockerfile = reversal.dockerfile(source(changes, mounts: ["home/ann"]))
    #expect(dockerfile.contains("# Left out, temporary files: /tmp/x\n"))
    #expect(dockerfile.contains("# Left out, the container's mounts (homes, datasets, secrets, host keys): /home/ann/notes\n"))
}

@Test func filesOfAnotherOwnerAreCopiedWithTheirOwnerAndNamesAreQuoted() {
    let changes = [FilesystemChange(.added, "/opt/data"), FilesystemChange(.added, "/opt/data/a b"), FilesystemChange(.changed, "/opt"),
                   FilesystemChange(.deleted, "/srv/old"), FilesystemChange(.deleted, "/srv/old/inner"), FilesystemChange(.deleted, "/etc/it's")]
    let reversal = ContainerReversal(source(changes), imageStatus: nil, containerFiles: [:],
                                     entries: ["opt/data": (true, "1000:1000"), "opt/data/a b": (false, "1000:1000"), "opt": (true, "0:0")])
    let dockerfile = reversal.dockerfile(source(changes))
    #expect(dockerfile.contains("COPY --chown=1000:1000 [\"files-1000-1000/opt/data\", \"/opt/data\"]\n"))
    #expect(!dockerfile.contains("\"/opt\"]"))
    #expect(dockerfile.contains("RUN rm -rf -- '/etc/it'\\''s' /srv/old\n"))
}

@Test func condaPackagesAreInstalledPinnedIntoTheirEnvironmentAndTheirFilesLeftToConda() {
    let record = Array(#"{"name": "numpy", "version": "1.26.4", "build": "py311h", "files": ["lib/python3.11/site-packages/numpy/__init__.py", "bin/f2py"]}"#.utf8)
    let changes = [FilesystemChange(.added, "/opt/conda/conda-meta/numpy-1.26.4-py311h.json"), FilesystemChange(.added, "/opt/conda/bin/f2py"),
                   FilesystemChange(.changed, "/opt/conda/conda-meta/history"), FilesystemChange(.deleted, "/opt/conda/conda-meta/six-1.16.0-pyhd8ed1ab_0.json")]
    let reversal = ContainerReversal(source(changes), imageStatus: nil, containerFiles: ["opt/conda/conda-meta/numpy-1.26.4-py311h.json": record],
                                     entries: ["opt/conda/bin/f2py": (false, "0:0"), "opt/conda/conda-meta/history": (false, "0:0")])
    #expect(reversal.copied.isEmpty)
    let dockerfile = reversal.dockerfile(source(changes))
    #expect(dockerfile.contains("RUN /opt/conda/bin/conda install -y -p /opt/conda numpy=1.26.4\n"))
    #expect(dockerfile.contains("RUN /opt/conda/bin/conda remove -y -p /opt/conda six\n"))
    #expect(!dockerfile.contains("rm -rf"))
}
