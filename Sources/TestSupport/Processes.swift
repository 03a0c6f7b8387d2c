import Foundation
import Synchronization

/// Loopback ports and child processes for tests.
public enum FreePort {
    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read back, closed).
    public static func allocate() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TestFailure("bind() failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw TestFailure("getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Spawns `executable` under `/usr/bin/timeout` (so it ends by itself even if the test process dies), with
/// stdout and stderr to files. posix_spawn and `waitpid(WNOHANG)` polling keep every wait off the cooperative
/// thread pool (Foundation's `Process.waitUntilExit` blocks a pool thread, which deadlocks a 2-core machine).
func spawn(
    _ executable: String, _ arguments: [String], stdout: URL, stderr: URL, environment: [String: String]?,
    maxLifetime: Int
) throws -> pid_t {
    let argv = ["/usr/bin/timeout", "--kill-after=5", String(maxLifetime), executable] + arguments
    let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, stderr.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    // Nothing else is inherited: not every socket of this process is close-on-exec, and a child holding a copy of a
    // test server's listening socket keeps the port open (accepting, never answering) after the server has stopped.
    closeInheritedDescriptors(&actions)
    // The child must not inherit this thread's blocked signals (or SIGTERM would never reach it).
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    // Its own process group, so that a stop reaches `timeout` and the command under it alike.
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(
        &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
    var pid: pid_t = 0
    let cArgs = argv.map { strdup($0) } + [nil]
    let cEnv = env.map { strdup($0) } + [nil]
    defer {
        cArgs.forEach { free($0) }
        cEnv.forEach { free($0) }
    }
    let rc = posix_spawn(&pid, argv[0], &actions, &attributes, cArgs, cEnv)
    guard rc == 0 else { throw TestFailure("cannot start \(executable): \(String(cString: strerror(rc)))") }
    return pid
}

/// Makes a spawn close every descriptor from 3 on: with glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+,
/// looked up at run time because Swift's Glibc module does not import it), else by marking this process'
/// descriptors close-on-exec.
func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
        let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
        if closeFrom(&actions, 3) == 0 { return }
    }
    let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    for fd in descriptors.compactMap({ Int32($0) }) where fd > 2 {
        let flags = fcntl(fd, F_GETFD)
        if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
    }
}

/// Polls for the exit of `pid` without blocking a thread; nil when it has not exited within `limit` seconds.
func waitForExit(_ pid: pid_t, limit: TimeInterval) async -> Int32? {
    let deadline = Date().addingTimeInterval(limit)
    repeat {
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid {
            // WIFEXITED / WEXITSTATUS / WTERMSIG by hand: the macros are not imported.
            let signal = status & 0x7F
            return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        }
        if r < 0 { return -1 }
        try? await Task.sleep(for: .milliseconds(20))
    } while Date() < deadline
    return nil
}

/// A long-running child process (a server) whose output goes to a log file.
public final class ChildProcess: Sendable {
    public let name: String
    public let logURL: URL
    public let pid: pid_t
    private let exited = Mutex(false)

    public init(
        name: String, executable: String, arguments: [String], directory: URL, maxLifetime: Int = 600
    ) throws {
        self.name = name
        logURL = directory.appendingPathComponent("\(name).log")
        pid = try spawn(
            executable, arguments, stdout: logURL, stderr: logURL, environment: nil, maxLifetime: maxLifetime)
    }

    /// True until the process has exited (and been reaped).
    public var isRunning: Bool {
        exited.withLock { done in
            if done { return false }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { done = true }
            return !done
        }
    }

    /// SIGTERM, then SIGKILL after `grace` seconds; waits for the exit. Safe to call twice.
    public func stop(grace: TimeInterval = 10) async {
        guard isRunning else { return }
        kill(-pid, SIGTERM)  // the process group: timeout and the command
        if await waitForExit(pid, limit: grace) == nil {
            kill(-pid, SIGKILL)
            _ = await waitForExit(pid, limit: 5)
        }
        exited.withLock { $0 = true }
    }

    /// The last lines of the log, for failure messages.
    public func logTail(lines: Int = 20) -> String {
        let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    deinit {
        // A last resort: a test that forgot to stop its process must not leave it running.
        if exited.withLock({ !$0 }) { kill(-pid, SIGKILL) }
    }
}

/// The result of running a command to completion.
public struct CommandResult: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs a command to completion with a time limit, capturing its output through files.
public func runCommand(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil, timeLimit: Int = 60
) async throws -> CommandResult {
    let dir = try TemporaryDirectory(prefix: "lookout-cmd")
    defer { dir.remove() }
    let out = dir.url.appendingPathComponent("stdout")
    let err = dir.url.appendingPathComponent("stderr")
    let pid = try spawn(executable, arguments, stdout: out, stderr: err, environment: environment, maxLifetime: timeLimit)
    guard let code = await waitForExit(pid, limit: TimeInterval(timeLimit + 10)) else {
        kill(-pid, SIGKILL)
        _ = await waitForExit(pid, limit: 5)
        throw TestFailure("\(executable) did not finish within \(timeLimit) s")
    }
    return CommandResult(
        exitCode: code,
        stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
}

/// A fresh temporary folder, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init(prefix: String = "lookout-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }

    public func write(_ name: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}
