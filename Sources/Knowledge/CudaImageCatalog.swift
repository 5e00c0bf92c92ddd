import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
/// Whether NVIDIA still publishes and updates an nvidia/cuda tag.
public enum CudaImageStatus: String, Sendable {
    /// Published and updated.
    case supported
    /// Still published, no longer updated.
    case unsupported
    /// Deleted from Docker Hub: pulls fail with "manifest unknown".
    case removed
    /// Listed in 2023, absent from later lists.
    case unknown
}

/// One published nvidia/cuda image tag.
public struct CudaImage: Sendable, Hashable {
    /// Full CUDA version, e.g. `11.3.1`.
    public let version: String
    /// `base`, `runtime` or `devel`.
    public let flavor: String
    /// `cudnn8`, `cudnn` (CUDA 12.x tags), … or nil.
    public let cudnn: String?
    /// e.g. `ubuntu20.04`; empty for the OS-less aliases (`11.3-devel`) NVIDIA deleted.
    public let os: String
    public let status: CudaImageStatus
    /// Where the status comes from (the table's `source` column): why a tag is marked removed or unsupported.
    public let source: String

    /// The tag, e.g. `11.3.1-cudnn8-devel-ubuntu20.04` (made once: replacements and suggestions compare thousands).
    public let tag: String

    /// `major.minor` of the version.
    public let minorVersion: String

    /// `tag` and `minorVersion` as the catalog reads them with the other parts (they follow from them).
    init(
        version: String, flavor: String, cudnn: String?, os: String, status: CudaImageStatus, source: String,
        tag: String, minorVersion: String
    ) {
        self.version = version
        self.flavor = flavor
        self.cudnn = cudnn
        self.os = os
        self.status = status
        self.source = source
        self.tag = tag
        self.minorVersion = minorVersion
    }

    /// Whether the tag can still be pulled.
    public var isPullable: Bool { status != .removed }

    /// The cuDNN major the tag names: `8` for `cudnn8`; the unversioned `cudnn` of CUDA 12.4 and later is cuDNN 9.
    /// nil for a tag without cuDNN (or with another library in that place, such as `tensorrt`).
    public var cudnnMajor: String? {
        guard let cudnn, cudnn.hasPrefix("cudnn") else { return nil }
        let number = cudnn.dropFirst("cudnn".count)
        return number.isEmpty ? "9" : String(number)
    }
}

/// A requested tag split into the parts it names; parts it leaves out are nil.
public struct CudaTagParts: Sendable, Equatable {
    public var version: String?
    public var flavor: String?
    public var cudnn: String?
    public var os: String?

    /// Reads `11.3-devel`, `11.3.1-cudnn8-runtime-ubuntu20.04`, `12.4.1-cudnn-devel-ubuntu22.04`, …
    public init(tag: String) {
        for part in tag.lowercased().split(separator: "-").map(String.init) {
            if part.first?.isNumber == true && part.allSatisfy({ $0.isNumber || $0 == "." }) && version == nil {
                version = part
            } else if ["base", "runtime", "devel"].contains(part) {
                flavor = part
            } else if part.hasPrefix("cudnn") {
                cudnn = part
            } else if part.first?.isLetter == true && part.contains(where: \.isNumber) {
                os = part
            }
        }
    }
}

/// The nvidia/cuda tags NVIDIA published (built in from data/cuda-images.tsv).
public struct CudaImageCatalog: Sendable {
    public static let shared = CudaImageCatalog()

    /// Every image, in the data's order, read from the built-in table the first time anything asks for them:
    /// a one-file lint of a CUDA Dockerfile usually asks only for its own tag (`image(tag:)`), which is found on the
    /// table's bytes without reading the rest.
    public var images: [CudaImage] { Self.allImages }
    private static let allImages: [CudaImage] = {
        var images: [CudaImage] = []
        images.reserveCapacity(2304)
        CudaImageRow.forEach { row in
            images.append(row.image())
            return false
        }
        return images
    }()
    /// Replacements already worked out, by tag (at most one per published tag): a file, or a run over many, asks
    /// about the same few tags again.
    private let knownReplacements = TagMemo<ReplacementAnswer>()
    /// Images already found by `image(tag:)`, by the tag asked for: each CUDA rule of a file looks the same tag up.
    /// Only tags that name an image are kept, so the memo stays within the table's size whatever files ask.
    private let knownImages = TagMemo<CudaImage>()

    /// The published image with exactly this tag (`VERSION[-CUDNN]-FLAVOR[-OS]`; no part holds a dash).
    public func image(tag: String) -> CudaImage? {
        if let known = knownImages.answer(for: tag) { return known }
        var parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        // An OS-less alias (`11.3-devel`, `8.0-cudnn7-runtime`) ends with its flavor.
        if let last = parts.last, last == "base" || last == "runtime" || last == "devel" { parts.append("") }
        guard parts.count == 3 || parts.count == 4 else { return nil }
        let version = Array(parts[0].utf8)
        let cudnn = parts.count == 4 ? Array(parts[1].utf8) : nil
        let flavor = Array(parts[parts.count - 2].utf8)
        let os = Array(parts[parts.count - 1].utf8)
        // The table's rows of that version compared field by field on their bytes; only the row that matches becomes
        // an image.
        var found: CudaImage?
        CudaImageRow.forEach(version: version) { row in
            guard row.field(1, equals: flavor), row.optionalField(3, equals: os),
                  cudnn.map({ !row.isAbsent(2) && row.field(2, equals: $0) }) ?? row.isAbsent(2) else { return false }
            found = row.image()
            return true
        }
        if let found { knownImages.remember(found, for: tag) }
        return found
    }

    /// Images matching every part the request names (a `major.minor` version matches its patches).
    public func images(matching parts: CudaTagParts) -> [CudaImage] {
        let patchPrefix = Array((parts.version ?? "").utf8) + [UInt8(ascii: ".")]
        // The cheap exact parts first; the version test (a prefix by bytes) last.
        return images.filter { image in
            if let flavor = parts.flavor, image.flavor != flavor { return false }
            if let os = parts.os, image.os != os { return false }
            if let cudnn = parts.cudnn, image.cudnn != cudnn { return false }
            if let version = parts.version, image.version != version, image.minorVersion != version,
               !image.version.utf8.starts(with: patchPrefix) {
                return false
            }
            return true
        }
    }

    /// The published tags nearest to a tag that does not exist: same parts where possible, pullable first, newest first.
    public func suggestions(for tag: String, limit: Int = 3) -> [CudaImage] {
        var parts = CudaTagParts(tag: tag)
        var candidates = images(matching: parts)
        // Drop the least important parts until something matches.
        for drop in [\CudaTagParts.os, \CudaTagParts.cudnn, \CudaTagParts.flavor] where candidates.isEmpty {
            parts[keyPath: drop] = nil
            candidates = images(matching: parts)
        }
        if candidates.isEmpty, let version = parts.version {
            let minor = version.split(separator: ".").prefix(2).joined(separator: ".")
            candidates = images.filter { $0.minorVersion == minor }
        }
        return Self.mostPreferred(candidates, count: limit)
    }

    /// What replaces a tag that is removed or no longer updated. `sameLine`: a tag of the same minor version,
    /// flavor and cuDNN major (none when the tag has none) — never a removed one, and for a tag that is no longer
    /// updated only a supported one — preferring the same OS. `nearestLine`: when there is none, the supported tag
    /// of the nearest newer minor version with that flavor (keeping the cuDNN major when such a line exists).
    public func publishedReplacement(for image: CudaImage) -> (image: CudaImage, isSameLine: Bool)? {
        // Images come only from the catalog, so a tag names one image and one answer.
        if let known = knownReplacements.answer(for: image.tag) { return known.replacement }
        let replacement = findReplacement(for: image)
        knownReplacements.remember(ReplacementAnswer(replacement: replacement), for: image.tag)
        return replacement
    }

    private func findReplacement(for image: CudaImage) -> (image: CudaImage, isSameLine: Bool)? {
        let major = image.cudnnMajor
        // Positions, not copies, while filtering every published tag: an image copied holds eight strings to retain.
        let usable = images.indices.filter {
            images[$0].flavor == image.flavor && images[$0].isPullable && !images[$0].os.isEmpty && images[$0].tag != image.tag
        }
        let sameLine = Array(usable.lazy.map { images[$0] }.filter {
            $0.minorVersion == image.minorVersion && $0.cudnnMajor == major && (image.status != .unsupported || $0.status == .supported)
        })
        for tier in [sameLine.filter { $0.os == image.os && $0.status == .supported }, sameLine.filter { $0.status == .supported },
                     sameLine.filter { $0.os == image.os }, sameLine] {
            if let best = Self.mostPreferred(tier, count: 1).first { return (best, true) }
        }
        let newerSupported = Array(usable.lazy.map { images[$0] }.filter {
            $0.status == .supported && compareVersions($0.minorVersion, image.minorVersion) == .orderedDescending
        })
        let keepingCudnn = newerSupported.filter { $0.cudnnMajor == major }
        let candidates = keepingCudnn.isEmpty ? newerSupported.filter { ($0.cudnn == nil) == (major == nil) } : keepingCudnn
        guard let nearest = candidates.min(by: { compareVersions($0.minorVersion, $1.minorVersion) == .orderedAscending }) else { return nil }
        let line = candidates.filter { $0.minorVersion == nearest.minorVersion }
        return (Self.mostPreferred(line.filter { $0.os == image.os }, count: 1).first ?? Self.mostPreferred(line, count: 1).first ?? nearest, false)
    }

    /// The `count` most preferred images, best first (pullable before removed, supported before unsupported, newer
    /// versions and OS releases first), found in one pass: suggestions want three of hundreds.
    public static func mostPreferred(_ images: [CudaImage], count: Int) -> [CudaImage] {
        var best: [CudaImage] = []
        for image in images {
            guard best.count < count || best.last.map({ isPreferred(image, $0) }) == true else { continue }
            let position = best.firstIndex { isPreferred(image, $0) } ?? best.count
            best.insert(image, at: position)
            if best.count > count { best.removeLast() }
        }
        return best
    }

    /// The order of `mostPreferred`.
    private static func isPreferred(_ left: CudaImage, _ right: CudaImage) -> Bool {
        func rank(_ status: CudaImageStatus) -> Int {
            switch status {
            case .supported: return 0
            case .unsupported: return 1
            case .unknown: return 2
            case .removed: return 3
            }
        }
        if rank(left.status) != rank(right.status) { return rank(left.status) < rank(right.status) }
        if left.version != right.version { return compareVersions(left.version, right.version) == .orderedDescending }
        let leftUbuntu = left.os.hasPrefix("ubuntu")
        let rightUbuntu = right.os.hasPrefix("ubuntu")
        if leftUbuntu != rightUbuntu { return leftUbuntu }
        if left.os != right.os { return compareVersions(left.os, right.os) == .orderedDescending }
        if (left.cudnn == nil) != (right.cudnn == nil) { return left.cudnn == nil }
        return left.tag < right.tag
    }
}

/// `major.minor` of a version: `12.4.1` → `12.4`; a shorter version as it is. A scan of the bytes, not a
/// split: the catalog asks once for each of its thousands of tags as a lint starts.
public func majorMinorVersion(_ version: String) -> String {
    var dots = 0
    for index in version.utf8.indices where version.utf8[index] == UInt8(ascii: ".") {
        dots += 1
        if dots == 2 { return String(version[..<index]) }
    }
    return version
}

/// Orders strings by their embedded numbers (`11.10` after `11.9`, `ubuntu22.04` after `ubuntu20.04`).
public func compareVersions(_ left: String, _ right: String) -> ComparisonResult {
    // Number by number without making arrays: suggestions compare hundreds of tags.
    var leftNumbers = DigitRuns(left.utf8.makeIterator())
    var rightNumbers = DigitRuns(right.utf8.makeIterator())
    while true {
        switch (leftNumbers.next(), rightNumbers.next()) {
        case (nil, nil):
            return left < right ? .orderedAscending : (left == right ? .orderedSame : .orderedDescending)
        case (nil, _):
            return .orderedAscending
        case (_, nil):
            return .orderedDescending
        case (let a?, let b?) where a != b:
            return a < b ? .orderedAscending : .orderedDescending
        default:
            continue
        }
    }
}

/// The numbers written in a text (`12.4.1` gives 12, 4, 1; `ubuntu22.04` gives 22, 4).
private struct DigitRuns: IteratorProtocol {
    var bytes: String.UTF8View.Iterator

    init(_ bytes: String.UTF8View.Iterator) { self.bytes = bytes }

    mutating func next() -> Int? {
        var value: Int?
        while let byte = bytes.next() {
            if byte >= 0x30 && byte <= 0x39 {
                value = (value ?? 0) &* 10 &+ Int(byte - 0x30)
            } else if value != nil {
                return value
            }
        }
        return value
    }
}

/// Foundation-free ordering result.
public enum ComparisonResult: Sendable {
    case orderedAscending, orderedSame, orderedDescending
}

/// `publishedReplacement`'s answer for a tag, none included.
private struct ReplacementAnswer: Sendable {
    let replacement: (image: CudaImage, isSameLine: Bool)?
}

/// Answers by tag, shared by every thread that lints.
private final class TagMemo<Answer: Sendable>: Sendable {
    private let answers = Mutex<[String: Answer]>([:])

    func answer(for tag: String) -> Answer? { answers.withLock { $0[tag] } }

    func remember(_ answer: Answer, for tag: String) { answers.withLock { $0[tag] = answer } }
}

/// One row of the built-in table (`CudaImageData.rows`), as byte ranges of its six fields: version, flavor, cuDNN,
/// OS (`-` for none), status and source; valid only inside `forEach`'s body. A hand-rolled scan of the UTF-8 bytes,
/// making strings only of the image a caller keeps: generic splitting and joining would be most of a one-file lint
/// of a CUDA Dockerfile.
struct CudaImageRow {
    let bytes: UnsafeBufferPointer<UInt8>
    let fields: [Range<Int>]

    /// Calls `body` with each row in order until it returns true; with `version`, only with the rows of that
    /// version (told by the row's first bytes, before its fields are read).
    static func forEach(version: [UInt8]? = nil, _ body: (CudaImageRow) -> Bool) {
        var rows = CudaImageData.rows
        rows.withUTF8 { bytes in
            var fields: [Range<Int>] = []
            fields.reserveCapacity(8)
            var rowStart = 0
            while rowStart < bytes.count {
                // `memchr`, not a loop: a lookup passes over the whole table, some 60 KB.
                let rowEnd = bytes.baseAddress.flatMap { base in
                    memchr(base + rowStart, 0x0A, bytes.count - rowStart).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) }
                } ?? bytes.count
                defer { rowStart = rowEnd + 1 }
                // The version is the row's first field.
                if let version {
                    let end = rowStart + version.count
                    guard end < rowEnd, bytes[end] == UInt8(ascii: " "), Self.equal(bytes, rowStart..<end, version) else { continue }
                }
                fields.removeAll(keepingCapacity: true)
                var fieldStart = rowStart
                for index in rowStart...rowEnd {
                    guard index == rowEnd || bytes[index] == UInt8(ascii: " ") else { continue }
                    if index > fieldStart { fields.append(fieldStart..<index) }
                    fieldStart = index + 1
                }
                guard fields.count == 6 else { continue }
                if body(CudaImageRow(bytes: bytes, fields: fields)) { return }
            }
        }
    }

    /// Whether field `index` is `-` (no cuDNN, no OS).
    func isAbsent(_ index: Int) -> Bool {
        fields[index].count == 1 && bytes[fields[index].lowerBound] == UInt8(ascii: "-")
    }

    func field(_ index: Int, equals text: [UInt8]) -> Bool {
        Self.equal(bytes, fields[index], text)
    }

    /// Whether field `index` is `text`, a `-` in the table reading as empty.
    func optionalField(_ index: Int, equals text: [UInt8]) -> Bool {
        isAbsent(index) ? text.isEmpty : field(index, equals: text)
    }

    /// Whether `range` of `bytes` holds `text`, compared by index (the generic comparison of two sequences walks
    /// iterators, and every lookup compares thousands of rows).
    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ text: [UInt8]) -> Bool {
        guard range.count == text.count else { return false }
        for offset in 0..<text.count where bytes[range.lowerBound + offset] != text[offset] { return false }
        return true
    }

    private func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// The row as an image: its tag (VERSION[-CUDNN]-FLAVOR[-OS]) and minor version made from its parts.
    func image() -> CudaImage {
        let (version, flavor, cudnn, os) = (fields[0], fields[1], fields[2], fields[3])
        let status: CudaImageStatus
        switch fields[4].count == 1 ? bytes[fields[4].lowerBound] : 0 {
        case UInt8(ascii: "s"): status = .supported
        case UInt8(ascii: "u"): status = .unsupported
        case UInt8(ascii: "r"): status = .removed
        default: status = .unknown
        }
        var sourceIndex = 0
        for digit in bytes[fields[5]] {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9"), sourceIndex < 1_000_000 else { sourceIndex = -1; break }
            sourceIndex = sourceIndex * 10 + Int(digit - UInt8(ascii: "0"))
        }
        var tag: [UInt8] = []
        tag.reserveCapacity(64)
        tag += bytes[version]
        if !isAbsent(2) { tag.append(UInt8(ascii: "-")); tag += bytes[cudnn] }
        tag.append(UInt8(ascii: "-"))
        tag += bytes[flavor]
        if !isAbsent(3) { tag.append(UInt8(ascii: "-")); tag += bytes[os] }
        var minorEnd = version.upperBound
        var dots = 0
        for position in version where bytes[position] == UInt8(ascii: ".") {
            dots += 1
            if dots == 2 { minorEnd = position; break }
        }
        return CudaImage(
            version: string(version), flavor: string(flavor), cudnn: isAbsent(2) ? nil : string(cudnn),
            os: isAbsent(3) ? "" : string(os), status: status,
            source: CudaImageData.sources.indices.contains(sourceIndex) ? CudaImageData.sources[sourceIndex] : "",
            tag: String(decoding: tag, as: UTF8.self), minorVersion: string(version.lowerBound..<minorEnd))
    }
}
