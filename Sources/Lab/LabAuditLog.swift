import FoundationEssentials
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The lab's audit log beside its lab file: one JSON object a line for every `up`, `down`, `forget`, re-create
/// and build (time, admin, command, member, action, reason), appended, never rewritten.
package struct LabAuditLog: Sendable {
    let path: String
    let admin: String

    package init(path: String, admin: String) {
        self.path = path
        self.admin = admin
    }

    /// The admin's name: `SUDO_USER` (who ran sudo), else `USER`, else the uid.
    package static func admin(environment: [String: String]) -> String {
        if let user = environment["SUDO_USER"], !user.isEmpty { return user }
        if let user = environment["USER"], !user.isEmpty { return user }
        return "uid \(getuid())"
    }

    /// One line, as `time` (seconds since 1970) says; a log that cannot be written is not a reason to stop.
    package func line(command: String, member: String?, action: String, reason: String, time: Int) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("time")
        writer.string(UTCTime(secondsSince1970: time).rfc3339)
        writer.key("admin")
        writer.string(admin)
        writer.key("command")
        writer.string(command)
        writer.key("member")
        writer.optionalString(member)
        writer.key("action")
        writer.string(action)
        writer.key("reason")
        writer.string(reason)
        writer.endObject()
        return writer.output + "\n"
    }

    /// Appends one entry with one write (O_APPEND), so entries of two commands never mix.
    @discardableResult
    package func append(command: String, member: String?, action: String, reason: String) -> Bool {
        let bytes = Array(line(command: command, member: member, action: action, reason: reason, time: Int(Date().timeIntervalSince1970)).utf8)
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return bytes.withUnsafeBufferPointer { writeAll($0, to: descriptor) }
    }
}
