import Foundation

/// A program running in a real terminal: a detached tmux session on a private socket, read with capture-pane and
/// driven with send-keys. `kill()` ends the session and its tmux server.
public final class TmuxSession: Sendable {
    public let socket: String
    public let session = "main"

    private init(socket: String) { self.socket = socket }

    public func tmux(_ arguments: [String]) async throws -> CommandResult {
        try await runCommand("/usr/bin/tmux", ["-L", socket, "-f", "/dev/null"] + arguments, timeLimit: 20)
    }

    /// Starts `command` (a shell command line) in a `width` x `height` terminal. The shell prints `EXIT=<code>`
    /// when the command ends, and stays a while so the screen can be read.
    public static func start(_ command: String, width: Int, height: Int, environment: [String: String] = [:]) async throws -> TmuxSession {
        let session = TmuxSession(socket: "lookout-test-\(UUID().uuidString.prefix(8))")
        let env = (["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"].merging(environment) { $1 })
            .map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        // The test runner sets NO_COLOR; the pane is a user's terminal, without it unless the test sets it.
        let line = "env -u NO_COLOR \(env) \(command); echo EXIT=$?; sleep 120"
        let result = try await session.tmux([
            "new-session", "-d", "-s", session.session, "-x", String(width), "-y", String(height), line,
        ])
        guard result.exitCode == 0 else { throw TestFailure("tmux new-session failed: \(result.stderr)") }
        _ = try? await session.tmux(["set-option", "-t", session.session, "window-size", "manual"])
        return session
    }

    /// The visible screen as text.
    public func capture() async throws -> String {
        let result = try await tmux(["capture-pane", "-p", "-t", session])
        guard result.exitCode == 0 else { throw TestFailure("tmux capture-pane failed: \(result.stderr)") }
        return result.stdout
    }

    /// The pane with its colours and attributes, as tmux writes them (SGR escape sequences).
    public func captureStyled() async throws -> String {
        let result = try await tmux(["capture-pane", "-p", "-e", "-t", session])
        guard result.exitCode == 0 else { throw TestFailure("tmux capture-pane failed: \(result.stderr)") }
        return result.stdout
    }

    /// Sends keys as tmux names them: `q`, `Escape`, `C-c`, `+`.
    public func send(_ keys: String...) async throws {
        _ = try await tmux(["send-keys", "-t", session] + keys)
    }

    public func resize(width: Int, height: Int) async throws {
        _ = try await tmux(["resize-window", "-t", session, "-x", String(width), "-y", String(height)])
    }

    /// Waits until the screen satisfies `condition` (read again every 200 ms: tmux tells no one when a pane changes)
    /// and returns it; fails after `timeout` seconds with the last screen.
    @discardableResult
    public func waitFor(_ what: String, timeout: TimeInterval = 15, _ condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try await capture()
            if condition(screen) { return screen }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestFailure("timed out after \(Int(timeout)) s waiting for \(what); the screen:\n\(screen)")
    }

    @discardableResult
    public func waitFor(text: String, timeout: TimeInterval = 15) async throws -> String {
        try await waitFor("'\(text)'", timeout: timeout) { $0.contains(text) }
    }

    /// The process ID of the command (the pane's shell runs it as its one child), to signal it directly.
    public func commandPID() async throws -> pid_t {
        let result = try await tmux(["display-message", "-p", "-t", session, "#{pane_pid}"])
        guard let shell = Int32(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestFailure("tmux did not give the pane's PID: \(result.stdout) \(result.stderr)")
        }
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        guard let pid = children.split(separator: " ").first.flatMap({ Int32($0) }) else {
            throw TestFailure("the pane's shell \(shell) has no child")
        }
        return pid
    }

    public func kill() async {
        _ = try? await tmux(["kill-server"])
    }
}

/// Runs `body` with a tmux session and kills it afterwards, also when `body` throws.
public func withTmux<T: Sendable>(
    _ command: String, width: Int, height: Int, environment: [String: String] = [:],
    _ body: (TmuxSession) async throws -> T
) async throws -> T {
    try await using(
        try await TmuxSession.start(command, width: width, height: height, environment: environment),
        release: { await $0.kill() }, body)
}
