/// DEFLATE (RFC 1951) inside gzip (RFC 1952), decoded as it is read, for compressed image layers.
package enum Inflate {
    /// An input that is not valid gzip or DEFLATE data.
    package struct Failure: Error, Sendable, Equatable {
        package let message: String
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                                       4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Whether the bytes start with the gzip magic number.
    package static func isGzip<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        var iterator = bytes.makeIterator()
        return iterator.next() == 0x1F && iterator.next() == 0x8B
    }

    /// Decompresses gzip data held in memory (all members, concatenated), refusing output past `limit` bytes.
    package static func gunzip(_ bytes: [UInt8], limit: Int = 1 << 34) throws(Failure) -> [UInt8] {
        var stream = GzipStream(StoreRegionStream.whole(.memory(bytes), source: "gzip"),
                                limit: InflationLimit(maximumBytes: limit, maximumRatio: Int.max), compressedSize: bytes.count, source: "gzip")
        var output: [UInt8] = []
        do {
            while true {
                let chunk = try stream.read(1 << 16)
                if chunk.isEmpty { return output }
                output.append(contentsOf: chunk)
            }
        } catch {
            throw Failure(message: error.message)
        }
    }
}

/// How far a compressed layer may inflate: an absolute size, and a ratio to its compressed size (past a first
/// allowance, so small layers of zeros pass). Either one stops a decompression bomb before it fills memory or disk.
package struct InflationLimit: Sendable, Equatable {
    /// Decompressed bytes a layer may have at most.
    package var maximumBytes: Int
    /// Decompressed bytes per compressed byte at most, once past `allowance`.
    package var maximumRatio: Int
    /// Decompressed bytes every layer may have whatever its ratio.
    package var allowance: Int = 64 << 20

    /// 16 GiB and 200:1: real layers are far below both (text compresses about 5:1); DEFLATE's own maximum is 1032:1.
    package static let standard = InflationLimit(maximumBytes: 16 << 30, maximumRatio: 200)

    package init(maximumBytes: Int, maximumRatio: Int) {
        self.maximumBytes = maximumBytes
        self.maximumRatio = maximumRatio
    }

    /// The decompressed size allowed for `compressedSize` bytes.
    func bytesAllowed(compressedSize: Int) -> Int {
        let (byRatio, overflow) = compressedSize.multipliedReportingOverflow(by: maximumRatio)
        return min(maximumBytes, max(allowance, overflow ? Int.max : byRatio))
    }
}

/// Reads bits least significant first from a byte stream, as DEFLATE packs them.
struct BitReader<Input: ByteStream> {
    var input: Input
    private var buffer: ArraySlice<UInt8> = []
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0
    let source: String

    init(_ input: Input, source: String) {
        self.input = input
        self.source = source
    }

    mutating func bits(_ count: Int) throws(InputError) -> Int {
        while bitCount < count {
            if buffer.isEmpty {
                buffer = try input.read(1 << 16)
                guard !buffer.isEmpty else { throw InputError(source: source, message: "truncated gzip data") }
            }
            bitBuffer |= UInt64(buffer.removeFirst()) << UInt64(bitCount)
            bitCount += 8
        }
        let value = Int(bitBuffer & ((1 << UInt64(count)) - 1))
        bitBuffer >>= UInt64(count)
        bitCount -= count
        return value
    }

    /// Drops the bits left in the current byte (stored blocks and the end of a member start on a byte).
    mutating func alignToByte() {
        let drop = bitCount % 8
        bitBuffer >>= UInt64(drop)
        bitCount -= drop
    }

    /// Whether no byte is left (call when aligned).
    mutating func isAtEnd() throws(InputError) -> Bool {
        if bitCount > 0 || !buffer.isEmpty { return false }
        buffer = try input.read(1 << 16)
        return buffer.isEmpty
    }
}

/// Canonical Huffman decoding table: counts per length and symbols ordered by code.
struct Huffman {
    var counts = [Int](repeating: 0, count: 16)
    var symbols: [Int]

    init(lengths: [Int], source: String) throws(InputError) {
        symbols = [Int](repeating: 0, count: lengths.count)
        for length in lengths {
            guard length >= 0 && length < 16 else { throw InputError(source: source, message: "corrupt code lengths in DEFLATE data") }
            counts[length] += 1
        }
        counts[0] = 0
        var offsets = [Int](repeating: 0, count: 16)
        for length in 1..<16 { offsets[length] = offsets[length - 1] + counts[length - 1] }
        for (symbol, length) in lengths.enumerated() where length != 0 {
            symbols[offsets[length]] = symbol
            offsets[length] += 1
        }
    }

    func decode<Input>(_ reader: inout BitReader<Input>) throws(InputError) -> Int {
        var code = 0
        var first = 0
        var index = 0
        for length in 1..<16 {
            code |= try reader.bits(1)
            let count = counts[length]
            if code - count < first { return symbols[index + (code - first)] }
            index += count
            first += count
            first <<= 1
            code <<= 1
        }
        throw InputError(source: reader.source, message: "invalid Huffman code in DEFLATE data")
    }
}

/// A gzip stream (all members, concatenated) decompressed as it is read, within an `InflationLimit`.
package struct GzipStream<Input: ByteStream>: ByteStream {
    private enum State {
        case memberHeader
        case blockHeader
        case stored(remaining: Int)
        case compressed(literals: Huffman, distances: Huffman)
        case memberEnd
        case end
    }

    private var reader: BitReader<Input>
    private var state = State.memberHeader
    private var isFinalBlock = false
    private var window = [UInt8](repeating: 0, count: 1 << 15)
    private var windowPosition = 0
    private var produced = 0
    private var hasReadMember = false
    private var pendingLength = 0
    private var pendingDistance = 0
    private let bytesAllowed: Int
    private let compressedSize: Int
    private let source: String

    /// `compressedSize` is the input's size, for the ratio limit.
    package init(_ input: Input, limit: InflationLimit, compressedSize: Int, source: String) {
        reader = BitReader(input, source: source)
        bytesAllowed = limit.bytesAllowed(compressedSize: compressedSize)
        self.compressedSize = compressedSize
        self.source = source
    }

    package mutating func read(_ maximum: Int) throws(InputError) -> ArraySlice<UInt8> {
        var output: [UInt8] = []
        output.reserveCapacity(min(maximum, 1 << 16))
        while output.count < maximum {
            if pendingLength > 0 {
                copyPending(into: &output, maximum: maximum)
                continue
            }
            switch state {
            case .end:
                return output[...]
            case .memberHeader:
                // Bytes after a complete member that are not another member (padding some tools add) end the stream.
                state = try readMemberHeader() ? .blockHeader : .end
            case .blockHeader:
                try readBlockHeader()
            case .stored(let remaining):
                if remaining == 0 {
                    state = isFinalBlock ? .memberEnd : .blockHeader
                } else {
                    emit(UInt8(try reader.bits(8)), into: &output)
                    state = .stored(remaining: remaining - 1)
                }
            case .compressed(let literals, let distances):
                let symbol = try literals.decode(&reader)
                if symbol < 256 {
                    emit(UInt8(symbol), into: &output)
                } else if symbol == 256 {
                    state = isFinalBlock ? .memberEnd : .blockHeader
                } else {
                    try readMatch(lengthSymbol: symbol, distances: distances)
                }
            case .memberEnd:
                reader.alignToByte()
                _ = try reader.bits(16)
                _ = try reader.bits(16)
                _ = try reader.bits(16)
                _ = try reader.bits(16)
                state = try reader.isAtEnd() ? .end : .memberHeader
            }
            guard produced <= bytesAllowed else {
                throw InputError(source: source, message: "decompresses to more than \(bytesAllowed) bytes from \(compressedSize) compressed (a decompression bomb?); "
                    + "raise the limit with --max-layer-size or --max-inflation-ratio")
            }
        }
        return output[...]
    }

    private mutating func emit(_ byte: UInt8, into output: inout [UInt8]) {
        output.append(byte)
        window[windowPosition] = byte
        windowPosition = (windowPosition + 1) & (window.count - 1)
        produced += 1
    }

    private mutating func copyPending(into output: inout [UInt8], maximum: Int) {
        while pendingLength > 0 && output.count < maximum {
            let byte = window[(windowPosition - pendingDistance) & (window.count - 1)]
            emit(byte, into: &output)
            pendingLength -= 1
        }
    }

    private mutating func readMemberHeader() throws(InputError) -> Bool {
        let isFirst = !hasReadMember
        hasReadMember = true
        guard try reader.bits(8) == 0x1F, try reader.bits(8) == 0x8B else {
            if isFirst { throw InputError(source: source, message: "not gzip data") }
            return false
        }
        guard try reader.bits(8) == 8 else { throw InputError(source: source, message: "gzip member uses an unknown compression method") }
        let flags = try reader.bits(8)
        for _ in 0..<6 { _ = try reader.bits(8) }
        if flags & 0x04 != 0 {
            let length = try reader.bits(16)
            for _ in 0..<length { _ = try reader.bits(8) }
        }
        if flags & 0x08 != 0 { while try reader.bits(8) != 0 {} }
        if flags & 0x10 != 0 { while try reader.bits(8) != 0 {} }
        if flags & 0x02 != 0 { _ = try reader.bits(16) }
        return true
    }

    private mutating func readBlockHeader() throws(InputError) {
        isFinalBlock = try reader.bits(1) == 1
        switch try reader.bits(2) {
        case 0:
            reader.alignToByte()
            let length = try reader.bits(16)
            let complement = try reader.bits(16)
            guard length == ~complement & 0xFFFF else { throw InputError(source: source, message: "corrupt stored block in DEFLATE data") }
            state = .stored(remaining: length)
        case 1:
            var lengths = [Int](repeating: 8, count: 288)
            for symbol in 144..<256 { lengths[symbol] = 9 }
            for symbol in 256..<280 { lengths[symbol] = 7 }
            state = .compressed(literals: try Huffman(lengths: lengths, source: source),
                                distances: try Huffman(lengths: [Int](repeating: 5, count: 30), source: source))
        case 2:
            let literalCount = try reader.bits(5) + 257
            let distanceCount = try reader.bits(5) + 1
            let codeLengthCount = try reader.bits(4) + 4
            var codeLengths = [Int](repeating: 0, count: 19)
            for index in 0..<codeLengthCount { codeLengths[Inflate.codeLengthOrder[index]] = try reader.bits(3) }
            let codeLengthTable = try Huffman(lengths: codeLengths, source: source)
            var lengths: [Int] = []
            while lengths.count < literalCount + distanceCount {
                let symbol = try codeLengthTable.decode(&reader)
                switch symbol {
                case 0..<16: lengths.append(symbol)
                case 16:
                    guard let previous = lengths.last else { throw InputError(source: source, message: "corrupt code lengths in DEFLATE data") }
                    lengths.append(contentsOf: repeatElement(previous, count: 3 + (try reader.bits(2))))
                case 17: lengths.append(contentsOf: repeatElement(0, count: 3 + (try reader.bits(3))))
                default: lengths.append(contentsOf: repeatElement(0, count: 11 + (try reader.bits(7))))
                }
            }
            guard lengths.count == literalCount + distanceCount else { throw InputError(source: source, message: "corrupt code lengths in DEFLATE data") }
            state = .compressed(literals: try Huffman(lengths: Array(lengths[..<literalCount]), source: source),
                                distances: try Huffman(lengths: Array(lengths[literalCount...]), source: source))
        default:
            throw InputError(source: source, message: "invalid DEFLATE block type")
        }
    }

    private mutating func readMatch(lengthSymbol: Int, distances: Huffman) throws(InputError) {
        let lengthIndex = lengthSymbol - 257
        guard lengthIndex < Inflate.lengthBase.count else { throw InputError(source: source, message: "invalid length code in DEFLATE data") }
        let length = Inflate.lengthBase[lengthIndex] + (try reader.bits(Inflate.lengthExtra[lengthIndex]))
        let distanceSymbol = try distances.decode(&reader)
        guard distanceSymbol < Inflate.distanceBase.count else { throw InputError(source: source, message: "invalid distance code in DEFLATE data") }
        let distance = Inflate.distanceBase[distanceSymbol] + (try reader.bits(Inflate.distanceExtra[distanceSymbol]))
        guard distance <= produced else { throw InputError(source: source, message: "DEFLATE distance reaches before the start") }
        pendingLength = length
        pendingDistance = distance
    }
}
