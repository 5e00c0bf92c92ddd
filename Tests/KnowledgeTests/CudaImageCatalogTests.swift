import Foundation
import Testing
@testable import Knowledge

/// The repository's data folder.
let dataFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("data")

/// The rows of a tab-separated table with a header line, as column → value.
func table(_ name: String) throws -> [[String: String]] {
    let lines = try String(contentsOf: dataFolder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map(String.init)
    guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) else { return [] }
    return lines.dropFirst().map { line in
        Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)))
    }
}

@Test func catalogIsTheTableInData() throws {
    let rows = try table("cuda-images.tsv")
    let images = CudaImageCatalog.shared.images
    #expect(rows.count == images.count, "regenerate with scripts/generate-knowledge.py")
    for (row, image) in zip(rows, images) {
        #expect(image.tag == row["tag"])
        #expect(image.status.rawValue == row["status"], "\(image.tag)")
        #expect(image.source == row["source"], "\(image.tag)")
        #expect(image.os == row["os"] && image.flavor == row["flavor"] && (image.cudnn ?? "") == row["cudnn"], "\(image.tag)")
    }
}

@Test func mirrorCatalogIsTheTableInData() throws {
    // Rows without a replacement say a mirror has none for that ecosystem; the catalog leaves them out.
    let rows = try table("mirrors.tsv").filter { !($0["replacement"] ?? "").isEmpty }
        .map { [$0["mirror"] ?? "", $0["ecosystem"] ?? "", $0["original"] ?? "", $0["replacement"] ?? ""].joined(separator: " ") }
    let entries = MirrorCatalog.shared.mirrors.flatMap { mirror in
        mirror.entries.map { [mirror.name, $0.ecosystem, $0.originalURL, $0.replacementURL].joined(separator: " ") }
    }
    #expect(rows.sorted() == entries.sorted(), "regenerate with scripts/generate-knowledge.py")
}

@Test func osLessAliasIsFoundAndRemoved() {
    let alias = CudaImageCatalog.shared.image(tag: "6.5-runtime")
    #expect(alias?.status == .removed)
    #expect(alias?.os == "")
    #expect(alias?.source.contains("OS-less alias") == true)
}

@Test func everyRemovedOrUnsupportedTagGetsAPublishedReplacementOfItsFlavor() {
    let catalog = CudaImageCatalog.shared
    for image in catalog.images where image.status == .removed || image.status == .unsupported {
        guard let replacement = catalog.publishedReplacement(for: image) else { continue }
        #expect(replacement.image.isPullable && !replacement.image.os.isEmpty, "\(image.tag) → \(replacement.image.tag)")
        #expect(replacement.image.flavor == image.flavor, "\(image.tag) → \(replacement.image.tag)")
        if image.status == .unsupported || !replacement.isSameLine {
            #expect(replacement.image.status == .supported, "\(image.tag) → \(replacement.image.tag)")
        }
        if replacement.isSameLine {
            #expect(replacement.image.cudnnMajor == image.cudnnMajor, "\(image.tag) → \(replacement.image.tag)")
        }
    }
}

@Test func removedCudnnSevenTagIsPointedAtTheNearestSupportedLine() throws {
    let image = try #require(CudaImageCatalog.shared.image(tag: "10.0-cudnn7-devel-ubuntu16.04"))
    let replacement = try #require(CudaImageCatalog.shared.publishedReplacement(for: image))
    #expect(!replacement.isSameLine)
    #expect(replacement.image.status == .supported && replacement.image.flavor == "devel" && replacement.image.cudnn != nil)
}

@Test func everyTagIsFoundByTheLookupAsTheCatalogListsIt() {
    // The lookup reads the table's bytes on its own; it must find what the whole catalog holds, first row first.
    let catalog = CudaImageCatalog.shared
    var firstByTag: [String: CudaImage] = [:]
    for image in catalog.images where firstByTag[image.tag] == nil { firstByTag[image.tag] = image }
    var mismatches: [String] = []
    for (tag, image) in firstByTag where catalog.image(tag: tag) != image { mismatches.append(tag) }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
}

@Test func lookupReadsOSLessAliasesAndRefusesOtherShapes() {
    let catalog = CudaImageCatalog.shared
    #expect(catalog.image(tag: "8.0-cudnn7-runtime")?.os == "")
    // A trailing dash reads as an empty OS, which is how the OS-less aliases are kept.
    #expect(catalog.image(tag: "6.5-runtime-")?.tag == "6.5-runtime")
    for tag in ["", "latest", "12.4.1", "12.4.1-cudnn--devel-ubuntu22.04", "12.4.1-devel-ubuntu22.04-extra-part", "99.9-runtime-ubuntu22.04"] {
        #expect(catalog.image(tag: tag) == nil, "\(tag)")
    }
}
