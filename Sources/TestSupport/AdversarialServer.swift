import Foundation
import Synchronization

/// An HTTP/1.1 server on 127.0.0.1 for tests: it answers what `behaviour` says for each request, byte for byte (stub
/// answers, the test exporter, a health endpoint; duplicate keys, attack strings, HTML for the hostile-input tests and
/// the soak run), or drips, hangs, closes. Blocking sockets on plain threads: a test helper, not a server. `stop()`
/// ends every connection at once, also one being accepted or answered.
public final class AdversarialServer: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header fields by lowercased name (the last of repeated ones).
        public var headers: [String: String]
        public var body: String
        /// A numeric field of a form-encoded body (`end`, `step`).
        public func number(_ name: String) -> Double? {
            for field in body.split(separator: "&") where field.hasPrefix(name + "=") {
                return Double(field.dropFirst(name.count + 1))
            }
            return nil
        }
        /// The `query` field of a form-encoded body, decoded.
        public var query: String? {
            for field in body.split(separator: "&") where field.hasPrefix("query=") {
                return String(field.dropFirst(6)).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            return nil
        }
    }

    public enum Behaviour: Sendable {
        /// A complete answer.
        case respond(status: Int, headers: [String: String], body: [UInt8])
        /// The head at once, then the body one byte every `interval` seconds.
        case drip(status: Int, body: [UInt8], interval: Double)
        /// Reads the request and never answers.
        case hang
        /// Closes the connection without a word.
        case close

        /// A JSON answer of the Prometheus API.
        public static func json(_ text: String, status: Int = 200, headers: [String: String] = [:]) -> Behaviour {
            .respond(status: status, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a }, body: Array(text.utf8))
        }

        /// A plain-text answer (a metrics exposition, a health check, an empty 404).
        public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain") -> Behaviour {
            .respond(status: status, headers: ["Content-Type": contentType], body: Array(text.utf8))
        }
    }

    public let port: Int
    private let listener: Int32
    private let handler: Mutex<@Sendable (Request) -> Behaviour>
    private let stopped = Atomic<Bool>(false)
    private let requestLog = Mutex<[Request]>([])
    private let connections = Mutex<Set<Int32>>([])

    /// Every request received so far.
    public var requests: [Request] { requestLog.withLock { $0 } }

    public init(_ behaviour: @escaping @Sendable (Request) -> Behaviour) throws {
        handler = Mutex(behaviour)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        guard listener >= 0 else { throw TestFailure("socket() failed") }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = TestConnectProxy.loopback(port: 0)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else { throw TestFailure("cannot listen: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread { [self] in
            while !stopped.load(ordering: .relaxed) {
                let client = accept(listener, nil, nil)
                if client < 0 { return }
                connections.withLock { _ = $0.insert(client) }
                Thread.detachNewThread { self.serve(client) }
            }
        }
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    /// Changes what the server does from the next request on.
    public func behave(_ behaviour: @escaping @Sendable (Request) -> Behaviour) {
        handler.withLock { $0 = behaviour }
    }

    public func stop() {
        stopped.store(true, ordering: .relaxed)
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in connections.withLock({ $0 }) { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func serve(_ client: Int32) {
        defer {
            connections.withLock { _ = $0.remove(client) }
            close(client)
        }
        while !stopped.load(ordering: .relaxed), let request = readRequest(client) {
            requestLog.withLock { $0.append(request) }
            let behaviour = handler.withLock { $0 }(request)
            switch behaviour {
            case .respond(let status, let headers, let body):
                var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Length: \(body.count)\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                guard send(client, Array((head + "\r\n").utf8)), send(client, body) else { return }
            case .drip(let status, let body, let interval):
                let head = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
                guard send(client, Array(head.utf8)) else { return }
                for byte in body {
                    guard pause(interval), send(client, [byte]) else { return }
                }
            case .hang:
                while pause(0.1) {}
                return
            case .close:
                return
            }
        }
    }

    /// Sleeps, false once the server stops.
    private func pause(_ seconds: Double) -> Bool {
        var left = seconds
        while left > 0 {
            if stopped.load(ordering: .relaxed) { return false }
            let step = min(left, 0.1)
            usleep(UInt32(step * 1_000_000))
            left -= step
        }
        return !stopped.load(ordering: .relaxed)
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    private func readRequest(_ fd: Int32) -> Request? {
        var head = [UInt8]()
        var byte: UInt8 = 0
        while !head.suffix(4).elementsEqual([13, 10, 13, 10]) {
            guard read(fd, &byte, 1) == 1, head.count < 65_536 else { return nil }
            head.append(byte)
        }
        let text = String(decoding: head, as: UTF8.self)
        let lines = text.split(separator: "\r\n")
        let parts = (lines.first ?? "").split(separator: " ")
        guard parts.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "") ?? 0
        var body = [UInt8](repeating: 0, count: max(0, min(length, 1 << 20)))
        var got = 0
        while got < body.count {
            let n = body[got...].withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return nil }
            got += n
        }
        return Request(
            method: String(parts[0]), path: String(parts[1]), headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 422: return "Unprocessable Entity"
        case 429: return "Too Many Requests"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

/// Whether a test's `/health` endpoint fails.
public final class HealthSwitch: Sendable {
    private let failing = Atomic<Bool>(false)
    public init() {}
    public var isFailing: Bool { failing.load(ordering: .relaxed) }
    public func fail() { failing.store(true, ordering: .relaxed) }
}

extension AdversarialServer {
    /// A server whose `/health` answers 200 `ok`, or 503 once `failing` is raised: the API gateway's endpoint, as the
    /// DR script's smoke test sees it.
    public static func health(failing: HealthSwitch) throws -> AdversarialServer {
        try AdversarialServer { request in
            guard request.path == "/health" else { return .text("", status: 404) }
            return failing.isFailing ? .text("down\n", status: 503) : .text("ok\n")
        }
    }
}
