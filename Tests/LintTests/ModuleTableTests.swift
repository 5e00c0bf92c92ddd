import Foundation
import Testing

/// The module tables of CONTRIBUTING.md and README.md say what Package.swift says, and Package.swift declares what
/// the sources import: a newcomer's map cannot drift from the code.
@Suite struct ModuleTableTests {
    static let repository = MutationTests.repository

    /// Target → its dependencies, as Package.swift declares them (test targets aside).
    static func declared() throws -> [String: Set<String>] {
        let text = try String(contentsOf: repository.appendingPathComponent("Package.swift"), encoding: .utf8)
        var targets: [String: Set<String>] = [:]
        for part in text.components(separatedBy: ".target(").dropFirst() + text.components(separatedBy: ".executableTarget(").dropFirst() {
            guard let nameStart = part.range(of: "name: \"") else { continue }
            let name = String(part[nameStart.upperBound...].prefix { $0 != "\"" })
            var dependencies: Set<String> = []
            let head = part.components(separatedBy: ")").first ?? part
            if let open = head.range(of: "dependencies: ["), let close = head[open.upperBound...].firstIndex(of: "]") {
                for item in head[open.upperBound..<close].split(separator: ",") {
                    dependencies.insert(item.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
                }
            }
            targets[name] = dependencies.filter { !$0.isEmpty }
        }
        return targets
    }

    /// Target → dependencies in a markdown table whose first column names the target in backquotes.
    static func table(_ file: String) throws -> [String: Set<String>] {
        let text = try String(contentsOf: repository.appendingPathComponent(file), encoding: .utf8)
        var rows: [String: Set<String>] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4 else { continue }
            let name = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            let last = cells[cells.count - 2]
            let dependencies = last == "nothing" || last == "—" ? [] : last.split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            }
            rows[name] = Set(dependencies)
        }
        return rows
    }

    @Test func contributingsModuleTableIsPackageSwifts() throws {
        let declared = try Self.declared()
        let table = try Self.table("CONTRIBUTING.md")
        #expect(Set(table.keys) == Set(declared.keys), "targets: CONTRIBUTING.md \(table.keys.sorted()), Package.swift \(declared.keys.sorted())")
        for (target, dependencies) in declared { #expect(table[target] == dependencies, "\(target)") }
    }

    @Test func readmesLayoutTableIsPackageSwifts() throws {
        let declared = try Self.declared()
        for (target, dependencies) in try Self.table("README.md") where declared[target] != nil {
            #expect(declared[target] == dependencies, "README.md's Layout: \(target)")
        }
    }

    @Test func everyDeclaredDependencyIsImported() throws {
        for (target, dependencies) in try Self.declared() {
            let folder = Self.repository.appendingPathComponent("Sources/\(target)")
            var imported: Set<String> = []
            let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
            while let url = files?.nextObject() as? URL {
                guard url.pathExtension == "swift" else { continue }
                for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where line.hasPrefix("import ") {
                    imported.insert(String(line.dropFirst("import ".count)))
                }
            }
            for dependency in dependencies { #expect(imported.contains(dependency), "\(target) declares \(dependency) but imports it nowhere") }
        }
    }
}

@Test func noTwoTestFilesShareAName() throws {
    var seen: [String: String] = [:]
    let files = FileManager.default.enumerator(at: ModuleTableTests.repository.appendingPathComponent("Tests"), includingPropertiesForKeys: nil)
    while let url = files?.nextObject() as? URL {
        guard url.pathExtension == "swift", !url.path.contains("/Fixtures/"), !url.path.contains("/Corpus/") else { continue }
        let name = url.lastPathComponent
        #expect(seen[name] == nil, "\(name) is in \(seen[name] ?? "") and \(url.deletingLastPathComponent().lastPathComponent)")
        seen[name] = url.deletingLastPathComponent().lastPathComponent
    }
}
