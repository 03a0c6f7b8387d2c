import Foundation
import Synchronization

/// A minimal HTTP CONNECT proxy on 127.0.0.1 for tests. Whatever host a client asks for, the tunnel leads to
/// `upstreamPort` on loopback, so a request for a name that does not resolve succeeds only through the proxy.
/// Blocking sockets on plain threads: a test helper, not a server.
public final class TestConnectProxy: Sendable {
    public let port: Int
    private let listener: Int32
    private let requested = Mutex<[String]>([])

    /// The `host:port` of every CONNECT received.
    public var requestedAuthorities: [String] { requested.withLock { $0 } }

    public init(upstreamPort: Int) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        guard listener >= 0 else { throw TestFailure("socket() failed") }
        var addr = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw TestFailure("cannot listen: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { return }  // closed by stop()
                Thread.detachNewThread { self.serve(client, upstreamPort: upstreamPort) }
            }
        }
    }

    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    static func loopback(port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return addr
    }

    private func serve(_ client: Int32, upstreamPort: Int) {
        defer { close(client) }
        var head = [UInt8]()
        var byte: UInt8 = 0
        while !head.suffix(4).elementsEqual([13, 10, 13, 10]) {
            guard read(client, &byte, 1) == 1, head.count < 8192 else { return }
            head.append(byte)
        }
        let requestLine = String(decoding: head, as: UTF8.self).split(separator: "\r\n").first ?? ""
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[0] == "CONNECT" else {
            _ = "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".withCString { write(client, $0, strlen($0)) }
            return
        }
        requested.withLock { $0.append(String(parts[1])) }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(upstream) }
        var addr = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            _ = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".withCString { write(client, $0, strlen($0)) }
            return
        }
        _ = "HTTP/1.1 200 Connection established\r\n\r\n".withCString { write(client, $0, strlen($0)) }
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            Self.pipe(from: upstream, to: client)
            shutdown(client, Int32(SHUT_WR))
            done.signal()
        }
        Self.pipe(from: client, to: upstream)
        shutdown(upstream, Int32(SHUT_WR))
        done.wait()
    }

    private static func pipe(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = read(source, &buffer, buffer.count)
            if n <= 0 { return }
            var offset = 0
            while offset < n {
                let written = buffer[offset..<n].withUnsafeBytes { write(destination, $0.baseAddress, n - offset) }
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
