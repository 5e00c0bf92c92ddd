/// Checks authorized_keys lines: `[options] TYPE BASE64 [comment]`, where the decoded blob starts with TYPE.
enum SSHPublicKey {
    static let types: Set<String> = [
        "ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ]

    /// Whether `line` is one package key that sshd would read.
    static func isValid(line: String) -> Bool {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // Options come first when present (`no-pty,command="…" ssh-ed25519 …`); the type is the first known field.
        guard let typeIndex = fields.firstIndex(where: { types.contains($0) }), typeIndex + 1 < fields.count,
              let blob = decodeBase64(fields[typeIndex + 1]), blob.count >= 4 else { return false }
        let length = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
        guard length <= blob.count - 4 else { return false }
        return String(decoding: blob[4..<(4 + length)], as: UTF8.self) == fields[typeIndex]
    }

    /// Standard base64 with padding; nil for anything else.
    static func decodeBase64(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = 0
        for (index, byte) in bytes.enumerated() {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="):
                guard index >= bytes.count - 2 else { return nil }
                padding += 1
                continue
            default: return nil
            }
            guard padding == 0 else { return nil }
            accumulator = accumulator << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }
}
