#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A program run to completion with `posix_spawn`. Standard input comes from bytes or /dev/null; standard output
/// and error are captured, passed through, or handed over as they come. All pipes are served together, so a child
/// that writes much while we still write its input cannot block.
// Written on the C library rather than Foundation's `Process`: that class lives in the full Foundation, which brings
// ICU and tens of megabytes that every start would load.
package enum ChildProcess {
    /// What becomes of one of the child's output streams.
    package enum OutputHandling: Sendable {
        /// Read into the result.
        case capture
        /// Shared with ours.
        case inherit
        /// Each chunk given to the closure as it arrives; the result keeps at least the last 64 KiB.
        case stream(@Sendable (ArraySlice<UInt8>) -> Void)
    }

    /// The exit status and what was read.
    package struct Result: Sendable {
        /// The exit code, or 128 + the signal number when a signal ended the child.
        package let status: Int32
        package let output: [UInt8]
        package let errorOutput: [UInt8]
    }

    /// Why a child could not be started.
    package struct LaunchError: Error, Sendable {
        package let message: String
    }

    /// Runs `path` (a full path) with `arguments`; `environment` nil passes ours on.
    package static func run(
        _ path: String, arguments: [String], environment: [String: String]? = nil, input: [UInt8]? = nil,
        output: OutputHandling = .capture, errorOutput: OutputHandling = .capture
    ) throws(LaunchError) -> Result {
        var inputPipe: [Int32] = [-1, -1]
        var outputPipe: [Int32] = [-1, -1]
        var errorPipe: [Int32] = [-1, -1]
        func makePipe(_ ends: inout [Int32]) throws(LaunchError) {
            guard pipe(&ends) == 0 else { throw LaunchError(message: "cannot make a pipe: \(systemMessage())") }
            // Not inherited by other children; dup2 in the child clears the flag on 0, 1 and 2.
            for descriptor in ends { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        }
        do throws(LaunchError) {
            if input != nil { try makePipe(&inputPipe) }
            if case .inherit = output {} else { try makePipe(&outputPipe) }
            if case .inherit = errorOutput {} else { try makePipe(&errorPipe) }
        } catch {
            // Out of descriptors part way: the pipes already made are not left open.
            for descriptor in inputPipe + outputPipe + errorPipe where descriptor >= 0 { close(descriptor) }
            throw error
        }
        let childEnds = [inputPipe[0], outputPipe[1], errorPipe[1]]
        let parentEnds = [inputPipe[1], outputPipe[0], errorPipe[0]]
        // The input end is closed by `exchange` (or below when the spawn fails), the output ends here.
        defer { for descriptor in parentEnds.dropFirst() where descriptor >= 0 { close(descriptor) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if input != nil {
            posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        if outputPipe[1] >= 0 { posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1) }
        if errorPipe[1] >= 0 { posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2) }
        // The child starts with default signal handling even where we ignore SIGPIPE.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))

        let argv = ([path] + arguments).map { strdup($0) }
        let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } }
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp ?? [] { free(pointer) }
        }
        var processID: pid_t = 0
        let environmentPointers = envp ?? []
        func spawn() -> Int32 {
            (argv + [nil]).withUnsafeBufferPointer { arguments in
                (environmentPointers + [nil]).withUnsafeBufferPointer { environment in
                    guard let argumentList = arguments.baseAddress, let environmentList = environment.baseAddress else { return EINVAL }
                    return posix_spawn(&processID, path, &actions, &attributes, argumentList, envp == nil ? UnsafePointer(environ) : environmentList)
                }
            }
        }
        // A program file just written (a wrapper script) cannot be run while any process still holds it open for
        // writing, as a child started meanwhile by another thread may for a moment: wait a little and try again.
        var spawned = spawn()
        var delay: UInt32 = 1_000
        while spawned == ETXTBSY && delay <= 256_000 {
            usleep(delay)
            delay *= 2
            spawned = spawn()
        }
        for descriptor in childEnds where descriptor >= 0 { close(descriptor) }
        guard spawned == 0 else {
            if parentEnds[0] >= 0 { close(parentEnds[0]) }
            throw LaunchError(message: "cannot run \(path): \(String(cString: strerror(spawned)))")
        }

        var collected: [[UInt8]] = [[], []]
        exchange(input: input ?? [], inputDescriptor: parentEnds[0],
                 readers: [(parentEnds[1], output), (parentEnds[2], errorOutput)], collected: &collected)
        var status: Int32 = 0
        while waitpid(processID, &status, 0) < 0 && errno == EINTR {}
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Result(status: exitStatus, output: collected[0], errorOutput: collected[1])
    }

    /// Writes `input` and reads the output pipes until the child has closed them all; closes the input end.
    private static func exchange(
        input: [UInt8], inputDescriptor: Int32, readers: [(descriptor: Int32, handling: OutputHandling)], collected: inout [[UInt8]]
    ) {
        var writeDescriptor = inputDescriptor
        if writeDescriptor >= 0 {
            // A child that exits without reading its input must give us EPIPE, not a fatal SIGPIPE.
            signal(SIGPIPE, SIG_IGN)
            _ = fcntl(writeDescriptor, F_SETFL, fcntl(writeDescriptor, F_GETFL) | O_NONBLOCK)
        }
        var written = 0
        var open = readers.map { $0.descriptor >= 0 }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while writeDescriptor >= 0 || open.contains(true) {
            var polled: [pollfd] = []
            if writeDescriptor >= 0 { polled.append(pollfd(fd: writeDescriptor, events: Int16(POLLOUT), revents: 0)) }
            for (index, reader) in readers.enumerated() where open[index] {
                polled.append(pollfd(fd: reader.descriptor, events: Int16(POLLIN), revents: 0))
            }
            if poll(&polled, nfds_t(polled.count), -1) < 0 {
                if errno == EINTR { continue }
                return
            }
            for entry in polled where entry.revents != 0 {
                if entry.fd == writeDescriptor {
                    let count = input.withUnsafeBytes { bytes in
                        written < input.count ? write(writeDescriptor, bytes.baseAddress.map { $0 + written }, input.count - written) : 0
                    }
                    if count > 0 { written += count }
                    if written >= input.count || (count < 0 && errno != EAGAIN && errno != EINTR) {
                        close(writeDescriptor)
                        writeDescriptor = -1
                    }
                    continue
                }
                guard let index = readers.firstIndex(where: { $0.descriptor == entry.fd }) else { continue }
                let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    open[index] = false
                    continue
                }
                let chunk = buffer[..<count]
                switch readers[index].handling {
                case .capture:
                    collected[index].append(contentsOf: chunk)
                case .stream(let handle):
                    handle(chunk)
                    collected[index].append(contentsOf: chunk)
                    if collected[index].count > 1 << 20 { collected[index] = Array(collected[index].suffix(1 << 16)) }
                case .inherit:
                    break
                }
            }
        }
        if writeDescriptor >= 0 { close(writeDescriptor) }
    }

    private static func systemMessage() -> String { String(cString: strerror(errno)) }
}
