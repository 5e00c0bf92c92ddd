import FoundationEssentials
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The engine's HTTP API over its Unix socket (docker's, or podman's compatible one): the exact bytes the engine
/// holds, where the command-line client reformats some (it turns tabs in history into spaces).
package struct EngineAPI: Sendable {
    package let socketPath: String

    package init(socketPath: String) {
        self.socketPath = socketPath
    }

    /// The socket `DOCKER_HOST` names (`unix://PATH`), or the default socket when `DOCKER_HOST` is unset and it
    /// exists; nil for `tcp://` and `ssh://` engines, which only the client reaches.
    package static func reachable(environment: [String: String] = ProcessInfo.processInfo.environment) -> EngineAPI? {
        if let host = environment["DOCKER_HOST"], !host.isEmpty {
            guard host.hasPrefix("unix://") else { return nil }
            let path = String(host.dropFirst("unix://".count))
            return path.isEmpty ? nil : EngineAPI(socketPath: path)
        }
        var information = stat()
        guard stat("/var/run/docker.sock", &information) == 0, information.st_mode & S_IFMT == S_IFSOCK else { return nil }
        return EngineAPI(socketPath: "/var/run/docker.sock")
    }

    /// The body of `GET path` when the engine answers 200; an error with the engine's message otherwise (`notFound`
    /// for a 404, when given). At most `limit` bytes are read, and the engine has `timeout` seconds for each read.
    package func get(_ path: String, notFound: String? = nil, limit: Int = 64 << 20, timeout: Double = 60) throws(InputError) -> [UInt8] {
        let response = try exchange(Array("GET \(path) HTTP/1.1\r\nHost: engine\r\nUser-Agent: dockerkit\r\nConnection: close\r\n\r\n".utf8),
                                    limit: limit, timeout: timeout)
        let (status, body) = try HTTPResponse.parse(response, source: socketPath, limit: limit)
        guard status == 200 else {
            if status == 404, let notFound { throw InputError(source: socketPath, message: notFound) }
            let message = (try? JSONValue.parse(body))?["message"]?.string ?? String(decoding: body.prefix(300), as: UTF8.self)
            throw InputError(source: socketPath, message: "the engine answered \(status) to GET \(path): \(message.escapingControlCharacters())")
        }
        return body
    }

    /// `path` with each character outside the URL's unreserved set (and `/`, `:`, `@`) percent-encoded.
    package static func escaped(_ path: String) -> String {
        var result = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "@"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = String(byte, radix: 16, uppercase: true)
                result += "%" + (digits.count == 1 ? "0" : "") + digits
            }
        }
        return result
    }

    /// Sends `request` and reads the whole response (the engine closes the connection after it).
    private func exchange(_ request: [UInt8], limit: Int, timeout: Double) throws(InputError) -> [UInt8] {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw InputError(source: socketPath, message: "cannot make a socket: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(socketPath.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw InputError(source: socketPath, message: "the socket path is too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            switch errno {
            case EACCES, EPERM:
                throw InputError(source: socketPath, message: "permission denied on the engine's socket (join the docker group, or run as root)")
            case ENOENT, ECONNREFUSED:
                throw InputError(source: socketPath, message: "no engine answers on this socket (is the daemon running? DOCKER_HOST names another?)")
            default:
                throw InputError(source: socketPath, message: "cannot connect to the engine: \(String(cString: strerror(errno)))")
            }
        }
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw InputError(source: socketPath, message: "the engine closed the connection: \(String(cString: strerror(errno)))") }
            sent += count
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(timeout * 1000))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { throw InputError(source: socketPath, message: "the engine did not answer within \(Int(timeout)) s") }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw InputError(source: socketPath, message: "reading the engine's answer: \(String(cString: strerror(errno)))") }
            if count == 0 { return response }
            // Headers and chunk sizes come on top of the body's limit.
            guard response.count + count <= limit + 65536 else {
                throw InputError(source: socketPath, message: "the engine's answer is over \(describeByteSize(limit))")
            }
            response += buffer[..<count]
        }
    }
}

/// An HTTP/1.1 response: status line, headers, and a body that is plain, `Content-Length` long, or chunked.
package enum HTTPResponse {
    package static func parse(_ bytes: [UInt8], source: String, limit: Int) throws(InputError) -> (status: Int, body: [UInt8]) {
        guard let headerEnd = bytes.withUnsafeBufferPointer({ buffer in
            Array("\r\n\r\n".utf8).withUnsafeBufferPointer { ByteSearch.firstOffset(of: $0, in: buffer) }
        }) else {
            throw InputError(source: source, message: "the engine's answer has no end of headers")
        }
        let head = String(decoding: bytes[..<headerEnd], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw InputError(source: source, message: "not an HTTP answer: \(String(lines.first ?? "").prefix(80).escapingControlCharacters())")
        }
        var chunked = false
        var length: Int?
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = String(line[line.index(after: colon)...]).trimming(" ")
            if name == "transfer-encoding" && value.lowercased().contains("chunked") { chunked = true }
            if name == "content-length" { length = Int(value) }
        }
        let rest = bytes[(headerEnd + 4)...]
        if chunked { return (status, try dechunked(rest, source: source, limit: limit)) }
        if let length {
            guard length >= 0, length <= rest.count else { throw InputError(source: source, message: "the engine's answer ends early") }
            return (status, Array(rest.prefix(length)))
        }
        return (status, Array(rest))
    }

    /// A chunked body put back together; sizes are checked before they are used.
    static func dechunked(_ bytes: ArraySlice<UInt8>, source: String, limit: Int) throws(InputError) -> [UInt8] {
        var body: [UInt8] = []
        var index = bytes.startIndex
        while true {
            guard let lineEnd = bytes[index...].firstIndex(of: UInt8(ascii: "\r")), lineEnd + 1 < bytes.endIndex, bytes[lineEnd + 1] == UInt8(ascii: "\n") else {
                throw InputError(source: source, message: "a chunk of the engine's answer has no size line")
            }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first.map(String.init) ?? ""
            guard sizeText.count <= 15, let size = Int(sizeText.trimming(" "), radix: 16), size >= 0 else {
                throw InputError(source: source, message: "a chunk size of the engine's answer does not read")
            }
            let start = lineEnd + 2
            if size == 0 { return body }
            guard size <= bytes.endIndex - start, body.count + size <= limit else {
                throw InputError(source: source, message: size > bytes.endIndex - start ? "the engine's answer ends inside a chunk" : "the engine's answer is over \(describeByteSize(limit))")
            }
            body += bytes[start..<(start + size)]
            index = start + size + 2
            guard index <= bytes.endIndex else { throw InputError(source: source, message: "the engine's answer ends inside a chunk") }
        }
    }
}
