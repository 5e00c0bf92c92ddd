import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Whether an sshd answers: a TCP connection that sends an `SSH-` banner, as a client would see it.
package enum SSHBannerProbe {
    /// Where to connect for a `bind` address: the wildcard addresses are reached on loopback.
    package static func connectAddress(for bind: String) -> String {
        switch bind {
        case "0.0.0.0": return "127.0.0.1"
        case "::": return "::1"
        default: return bind
        }
    }

    /// Tries every half second until `deadline` (seconds since 1970); true once a banner arrives.
    package static func waitForBanner(address: String, port: Int, until deadline: Double) -> Bool {
        while true {
            if banner(address: address, port: port, timeout: 2) { return true }
            let now = Date().timeIntervalSince1970
            if now >= deadline { return false }
            usleep(500_000)
        }
    }

    /// One try: connect, then read up to 255 bytes within `timeout` seconds and look for `SSH-` at the start.
    package static func banner(address: String, port: Int, timeout: Double) -> Bool {
        let isIPv6 = address.contains(":")
        let descriptor = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0, (1...65535).contains(port) else { return false }
        defer { close(descriptor) }
        guard let connected = withSocketAddress(address, port: port, { connect(descriptor, $0, $1) }) else { return false }
        if connected != 0 && errno != EINPROGRESS { return false }
        let end = Date().timeIntervalSince1970 + timeout
        var received: [UInt8] = []
        while received.count < 4 {
            let left = Int32(max(0, (end - Date().timeIntervalSince1970) * 1000))
            guard left > 0 else { return false }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, left)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return false }
            var buffer = [UInt8](repeating: 0, count: 255)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 && (errno == EAGAIN || errno == EINTR) { continue }
            guard count > 0 else { return false }
            received += buffer[..<count]
        }
        return received.starts(with: Array("SSH-".utf8))
    }
}

/// Calls `body` with the address and length of `address:port` (IPv4 or IPv6); nil when `address` is not one.
func withSocketAddress(_ address: String, port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32? {
    if address.contains(":") {
        var target = sockaddr_in6()
        target.sin6_family = sa_family_t(AF_INET6)
        target.sin6_port = UInt16(truncatingIfNeeded: port).bigEndian
        guard inet_pton(AF_INET6, address, &target.sin6_addr) == 1 else { return nil }
        return withUnsafePointer(to: &target) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
    }
    var target = sockaddr_in()
    target.sin_family = sa_family_t(AF_INET)
    target.sin_port = UInt16(truncatingIfNeeded: port).bigEndian
    guard inet_pton(AF_INET, address, &target.sin_addr) == 1 else { return nil }
    return withUnsafePointer(to: &target) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
}
