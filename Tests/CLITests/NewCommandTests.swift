import Foundation
import Testing

@Suite(.serialized) struct NewCommandTests {
    @Test func listVerboseShowsEveryTagWithItsStatusSource() throws {
        let result = try runDockerkit(["new", "--list", "--verbose"])
        #expect(result.status == 0)
        let line = result.output.split(separator: "\n").first { $0.hasPrefix("10.0-cudnn7-devel-ubuntu16.04 ") }
        #expect(line?.contains("removed") == true)
        #expect(line?.contains("nvidia/container-images/cuda") == true)
    }

    @Test func removedTagAdviceNamesAPublishedTagAndTheSource() throws {
        let result = try runDockerkit(["lint", "--no-config", "--format", "gnu", "-"], input: "FROM nvidia/cuda:10.0-cudnn7-devel-ubuntu16.04\nRUN nvcc x\n")
        let message = result.output.split(separator: "\n").first { $0.contains("[DK302]") } ?? ""
        #expect(message.contains("the nearest supported line is nvidia/cuda:"))
        #expect(message.contains("(status from: nvidia/container-images/cuda"))
    }

    @Test func newPrintsTheDockerfileToStandardOutput() throws {
        let result = try runDockerkit(["new", "--cuda", "11.3", "--flavor", "devel"])
        #expect(result.status == 0)
        #expect(result.output.contains("\nFROM nvidia/cuda:11.3.1-devel-ubuntu20.04\n"))
    }

    @Test func impossibleRequestExitsTwoWithTheChoices() throws {
        let result = try runDockerkit(["new", "--cuda", "11.3", "--flavor", "gpu"])
        #expect(result.status == 2)
        #expect(result.error.contains("base, runtime, devel"))
        #expect(result.output.isEmpty)
    }

    @Test func bareCudnnFlagPicksTheNewestCudnn() throws {
        let result = try runDockerkit(["new", "--cuda", "11.8", "--cudnn", "--ssh"])
        #expect(result.output.contains("FROM nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04"))
    }

    @Test func outputFolderGetsAllFilesAndIsNeverOverwrittenWithoutForce() throws {
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let directory = scratch.appendingPathComponent("lab")
        let first = try runDockerkit(["new", "--cuda", "12.4", "--ssh", "--user", "lab", "-o", directory.path])
        #expect(first.status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == [".dockerignore", "Dockerfile", "README.md", "lab-entrypoint.sh", "run.sh"])
        let entrypoint = directory.appendingPathComponent("lab-entrypoint.sh").path
        let mode = try FileManager.default.attributesOfItem(atPath: entrypoint)[.posixPermissions] as? Int
        #expect(mode == 0o755)
        try Data("mine\n".utf8).write(to: directory.appendingPathComponent("README.md"))
        let second = try runDockerkit(["new", "--cuda", "12.4", "-o", directory.path])
        #expect(second.status == 2)
        #expect(try String(contentsOf: directory.appendingPathComponent("README.md"), encoding: .utf8) == "mine\n")
        #expect(try runDockerkit(["new", "--cuda", "12.4", "-o", directory.path, "--force"]).status == 0)
    }

    @Test func printRunGivesTheDockerRunLine() throws {
        let result = try runDockerkit(["new", "--cuda", "12.4", "--ssh", "--vnc", "--print-run"])
        #expect(result.output.hasPrefix("docker run -d --name lab-member"))
        #expect(result.output.contains("--gpus all"))
        #expect(result.output.contains("-p 2222:22"))
        #expect(result.output.contains("-p 6080:6080"))
    }

    @Test func templatesFolderOverridesTheBuiltInCopy() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("FROM {{base_image}}\n# mine\n".utf8).write(to: directory.appendingPathComponent("Dockerfile.tmpl"))
        let result = try runDockerkit(["new", "--cuda", "12.4", "--templates", directory.path])
        #expect(result.output == "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\n# mine\n")
    }

    @Test func brokenTemplateIsReportedWithItsPosition() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("FROM {{base_image}}\n{{#if ssh}}\n".utf8).write(to: directory.appendingPathComponent("Dockerfile.tmpl"))
        let result = try runDockerkit(["new", "--cuda", "12.4", "--templates", directory.path])
        #expect(result.status == 2)
        #expect(result.error.contains("Dockerfile.tmpl:2:1: error:"))
    }

    @Test func listPrintsTheTable() throws {
        let result = try runDockerkit(["new", "--list"])
        #expect(result.output.contains("11.3.1   devel    cudnn8  ubuntu16.04 ubuntu18.04 ubuntu20.04\n"))
    }
}
