/// A DEFLATE (RFC 1951) decoder with a gzip (RFC 1952) wrapper reader, for compressed image layers.
public enum Inflate {
    /// An input that is not valid gzip or DEFLATE data.
    public struct Failure: Error, Sendable, Equatable {
        public let message: String
    }

    /// Whether the bytes start with the gzip magic number.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Decompresses gzip data (all members, concatenated).
    public static func gunzip(_ bytes: [UInt8], limit: Int = 1 << 34) throws(Failure) -> [UInt8] {
        var output: [UInt8] = []
        var offset = 0
        while offset + 10 <= bytes.count, bytes[offset] == 0x1F, bytes[offset + 1] == 0x8B {
            guard bytes[offset + 2] == 8 else { throw Failure(message: "gzip member uses an unknown compression method") }
            let flags = bytes[offset + 3]
            var position = offset + 10
            if flags & 0x04 != 0 {
                guard position + 2 <= bytes.count else { throw Failure(message: "truncated gzip header") }
                position += 2 + (Int(bytes[position]) | Int(bytes[position + 1]) << 8)
            }
            if flags & 0x08 != 0 { while position < bytes.count && bytes[position] != 0 { position += 1 }; position += 1 }
            if flags & 0x10 != 0 { while position < bytes.count && bytes[position] != 0 { position += 1 }; position += 1 }
            if flags & 0x02 != 0 { position += 2 }
            guard position <= bytes.count else { throw Failure(message: "truncated gzip header") }
            var reader = BitReader(bytes: bytes, position: position)
            try inflate(&reader, into: &output, limit: limit)
            offset = reader.alignedPosition + 8
            guard offset <= bytes.count else { throw Failure(message: "truncated gzip trailer") }
        }
        if offset == 0 { throw Failure(message: "not gzip data") }
        return output
    }

    struct BitReader {
        let bytes: [UInt8]
        var position: Int
        var bitBuffer: UInt64 = 0
        var bitCount = 0

        init(bytes: [UInt8], position: Int) {
            self.bytes = bytes
            self.position = position
        }

        mutating func bits(_ count: Int) throws(Failure) -> Int {
            while bitCount < count {
                guard position < bytes.count else { throw Failure(message: "truncated DEFLATE data") }
                bitBuffer |= UInt64(bytes[position]) << UInt64(bitCount)
                position += 1
                bitCount += 8
            }
            let value = Int(bitBuffer & ((1 << UInt64(count)) - 1))
            bitBuffer >>= UInt64(count)
            bitCount -= count
            return value
        }

        /// Drops the bits left in the current byte (stored blocks and the end of a stream start on a byte).
        mutating func alignToByte() {
            let drop = bitCount % 8
            bitBuffer >>= UInt64(drop)
            bitCount -= drop
        }

        /// The byte position after the data read so far, counting whole bytes still buffered as unread.
        var alignedPosition: Int { position - bitCount / 8 }
    }

    /// Canonical Huffman decoding table: counts per length and symbols ordered by code.
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int]

        init(lengths: [Int]) throws(Failure) {
            symbols = [Int](repeating: 0, count: lengths.count)
            for length in lengths { counts[length] += 1 }
            counts[0] = 0
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<16 { offsets[length] = offsets[length - 1] + counts[length - 1] }
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }

        func decode(_ reader: inout BitReader) throws(Failure) -> Int {
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
            throw Failure(message: "invalid Huffman code in DEFLATE data")
        }
    }

    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                                       4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    static func inflate(_ reader: inout BitReader, into output: inout [UInt8], limit: Int) throws(Failure) {
        var isFinal = false
        while !isFinal {
            isFinal = try reader.bits(1) == 1
            switch try reader.bits(2) {
            case 0:
                reader.alignToByte()
                let length = try reader.bits(16)
                let complement = try reader.bits(16)
                guard length == ~complement & 0xFFFF else { throw Failure(message: "corrupt stored block in DEFLATE data") }
                for _ in 0..<length { output.append(UInt8(try reader.bits(8))) }
            case 1:
                var lengths = [Int](repeating: 8, count: 288)
                for symbol in 144..<256 { lengths[symbol] = 9 }
                for symbol in 256..<280 { lengths[symbol] = 7 }
                try inflateBlock(&reader, literals: try Huffman(lengths: lengths), distances: try Huffman(lengths: [Int](repeating: 5, count: 30)),
                                 into: &output, limit: limit)
            case 2:
                let literalCount = try reader.bits(5) + 257
                let distanceCount = try reader.bits(5) + 1
                let codeLengthCount = try reader.bits(4) + 4
                var codeLengths = [Int](repeating: 0, count: 19)
                for index in 0..<codeLengthCount { codeLengths[codeLengthOrder[index]] = try reader.bits(3) }
                let codeLengthTable = try Huffman(lengths: codeLengths)
                var lengths: [Int] = []
                while lengths.count < literalCount + distanceCount {
                    let symbol = try codeLengthTable.decode(&reader)
                    switch symbol {
                    case 0..<16: lengths.append(symbol)
                    case 16:
                        guard let previous = lengths.last else { throw Failure(message: "corrupt code lengths in DEFLATE data") }
                        lengths.append(contentsOf: repeatElement(previous, count: 3 + (try reader.bits(2))))
                    case 17: lengths.append(contentsOf: repeatElement(0, count: 3 + (try reader.bits(3))))
                    default: lengths.append(contentsOf: repeatElement(0, count: 11 + (try reader.bits(7))))
                    }
                }
                guard lengths.count == literalCount + distanceCount else { throw Failure(message: "corrupt code lengths in DEFLATE data") }
                try inflateBlock(&reader, literals: try Huffman(lengths: Array(lengths[..<literalCount])),
                                 distances: try Huffman(lengths: Array(lengths[literalCount...])), into: &output, limit: limit)
            default:
                throw Failure(message: "invalid DEFLATE block type")
            }
        }
        reader.alignToByte()
    }

    private static func inflateBlock(_ reader: inout BitReader, literals: Huffman, distances: Huffman, into output: inout [UInt8], limit: Int) throws(Failure) {
        while true {
            let symbol = try literals.decode(&reader)
            if symbol < 256 {
                output.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let lengthIndex = symbol - 257
                guard lengthIndex < lengthBase.count else { throw Failure(message: "invalid length code in DEFLATE data") }
                let length = lengthBase[lengthIndex] + (try reader.bits(lengthExtra[lengthIndex]))
                let distanceSymbol = try distances.decode(&reader)
                guard distanceSymbol < distanceBase.count else { throw Failure(message: "invalid distance code in DEFLATE data") }
                let distance = distanceBase[distanceSymbol] + (try reader.bits(distanceExtra[distanceSymbol]))
                guard distance <= output.count else { throw Failure(message: "DEFLATE distance reaches before the start") }
                let start = output.count - distance
                for index in 0..<length { output.append(output[start + index]) }
            }
            if output.count > limit { throw Failure(message: "decompressed data larger than \(limit) bytes") }
        }
    }
}
