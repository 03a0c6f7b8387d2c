import AsyncHTTPClient
import FoundationEssentials
import Glibc
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SafeText
import Synchronization

/// A client of the Prometheus HTTP API (`/api/v1`), for Prometheus and the engines that speak it.
///
/// It owns its transport (AsyncHTTPClient unless given another); call `shutdown()` when done, or use
/// `withPrometheusClient`.
public final class PrometheusClient: Sendable {
    public let options: ConnectionOptions
    private let transport: any HTTPTransport
    private let maxBodyBytes = InputLimits.answerBytes
    /// Why a server's certificate was not trusted, by host and port, once told apart (a dashboard asks often).
    private let diagnoses = Mutex<[String: TLSDiagnosis.Finding]>([:])

    /// A client over AsyncHTTPClient (TLS, proxy and time-outs from `options`).
    public convenience init(options: ConnectionOptions) throws {
        self.init(options: options, transport: try AsyncHTTPTransport(options: options, bodyLimit: InputLimits.answerBytes))
    }

    /// A client over another transport (tests: scripted answers in process).
    public init(options: ConnectionOptions, transport: any HTTPTransport) {
        self.options = options
        self.transport = transport
    }

    public func shutdown() async {
        await transport.shutdown()
    }

    static func tlsConfiguration(_ options: TLSOptions) throws -> TLSConfiguration {
        if (options.certFile == nil) != (options.keyFile == nil) {
            throw ConfigurationError("--cert-file and --key-file go together: give both or neither")
        }
        for (flag, path) in [("--ca-file", options.caFile), ("--cert-file", options.certFile), ("--key-file", options.keyFile)] {
            guard let path else { continue }
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                throw ConfigurationError("cannot load \(flag) '\(path)': \(String(cString: strerror(errno)))")
            }
            close(fd)
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca = options.caFile {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(ca)
                guard !certificates.isEmpty else { throw ConfigurationError("no certificate in it") }
                tls.trustRoots = .certificates(certificates)
            } catch {
                throw ConfigurationError("cannot load --ca-file '\(ca)': \(describeFileError(error))")
            }
        }
        switch (options.certFile, options.keyFile) {
        case (nil, nil): break
        case (let cert?, let key?):
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
            } catch {
                throw ConfigurationError("cannot load --cert-file '\(cert)': \(describeFileError(error))")
            }
            do {
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            } catch {
                throw ConfigurationError("cannot load --key-file '\(key)': \(describeFileError(error))")
            }
        default:
            break  // checked above
        }
        if options.insecureSkipVerify { tls.certificateVerification = .none }
        return tls
    }

    // MARK: - API

    /// `/api/v1/query`: evaluates `expr` at `time` (the server's now when nil).
    public func query(_ expr: String, at time: Date? = nil) async throws -> APIResponse<QueryResult> {
        var form = [("query", expr)]
        if let time { form.append(("time", Self.formatTime(time))) }
        return try await call("/api/v1/query", form: form, as: QueryResult.self)
    }

    /// `/api/v1/query_range`.
    public func queryRange(_ expr: String, range: QueryRange) async throws -> APIResponse<QueryResult> {
        let form = [
            ("query", expr), ("start", Self.formatTime(range.start)), ("end", Self.formatTime(range.end)),
            ("step", Self.formatNumber(range.step)),
        ]
        return Self.bounded(try await call("/api/v1/query_range", form: form, as: QueryResult.self), to: range)
    }

    /// Prometheus' own limit on the points of one series in a range answer.
    public static let maxPointsPerSeries = 11_000

    /// At most what was asked per series: `range / step + 1` points (at most `maxPointsPerSeries`), the newest (points
    /// are in time order by then); a server that answers more (a broken proxy, a wrong step) has the oldest dropped,
    /// said once in the answer's warnings. Nothing downstream (the TUI's series, a JSON snapshot) grows with what a
    /// server sends beyond that. A point past the window's end stays: it is shown for what it is (a clock ahead).
    static func bounded(_ response: APIResponse<QueryResult>, to range: QueryRange) -> APIResponse<QueryResult> {
        guard case .matrix(var streams) = response.data else { return response }
        let span = range.end.timeIntervalSince1970 - range.start.timeIntervalSince1970
        let asked = span.isFinite && range.step > 0 ? min(Double(maxPointsPerSeries), (span / range.step).rounded(.down) + 1) : 1
        let limit = max(1, Int(asked))
        var dropped = 0
        for i in streams.indices where streams[i].values.count > limit {
            dropped += streams[i].values.count - limit
            streams[i].values.removeFirst(streams[i].values.count - limit)
        }
        guard dropped > 0 else { return response }
        var warnings = response.warnings
        warnings.append("the server answered \(dropped) points more than the \(limit) per series asked for: they were dropped")
        return APIResponse(data: .matrix(streams), warnings: warnings)
    }

    /// `/api/v1/alerts`: pending and firing alerts (those that could not be read are left out; see `alertsData()`).
    public func alerts() async throws -> APIResponse<[Alert]> {
        let response = try await alertsData()
        return APIResponse(data: response.data.alerts, warnings: response.warnings)
    }

    /// `/api/v1/alerts` with the alerts that could not be read, described.
    public func alertsData() async throws -> APIResponse<AlertsData> {
        try await call("/api/v1/alerts", form: nil, as: AlertsData.self)
    }

    /// `/api/v1/rules`.
    public func rules() async throws -> APIResponse<[RuleGroup]> {
        let response = try await call("/api/v1/rules", form: nil, as: RulesData.self)
        return APIResponse(data: response.data.groups, warnings: response.warnings)
    }

    /// `/api/v1/label/<name>/values`: the values a label takes.
    public func labelValues(_ label: String, matching selector: String? = nil) async throws -> APIResponse<[String]> {
        let name = PercentEncoding.encode(label, keeping: "_")
        // GET only on Prometheus 2.42: the selector goes in the query string.
        let query = selector.map { "?" + Self.formEncode([("match[]", $0)]) } ?? ""
        return try await call("/api/v1/label/\(name)/values\(query)", form: nil, as: [String].self)
    }

    /// `/api/v1/labels`: the label names, of the series that match `selector` when given.
    public func labelNames(matching selector: String? = nil) async throws -> APIResponse<[String]> {
        try await call("/api/v1/labels", form: selector.map { [("match[]", $0)] } ?? [], as: [String].self)
    }

    /// `/api/v1/targets`.
    public func targets() async throws -> APIResponse<TargetsResult> {
        try await call("/api/v1/targets", form: nil, as: TargetsResult.self)
    }

    /// `/api/v1/status/runtimeinfo`.
    public func runtimeInfo() async throws -> APIResponse<RuntimeInfo> {
        try await call("/api/v1/status/runtimeinfo", form: nil, as: RuntimeInfo.self)
    }

    /// `/api/v1/alertmanagers`: the Alertmanagers this Prometheus sends to.
    public func alertmanagerDiscovery() async throws -> APIResponse<AlertmanagerDiscovery> {
        try await call("/api/v1/alertmanagers", form: nil, as: AlertmanagerDiscovery.self)
    }

    /// The scrape jobs of the running configuration (`/api/v1/status/config`, whose YAML Prometheus writes out
    /// normalised: one `- job_name: NAME` line per job).
    public func scrapeJobs() async throws -> [String] {
        struct Config: Decodable, Sendable { var yaml: String }
        let yaml = try await call("/api/v1/status/config", form: nil, as: Config.self).data.yaml
        return yaml.split(separator: "\n").compactMap { line in
            let t = line.drop { $0 == " " || $0 == "-" }
            guard t.hasPrefix("job_name:") else { return nil }
            var name = t.dropFirst("job_name:".count).trimmingSpaces()
            if name.count >= 2, (name.hasPrefix("\"") && name.hasSuffix("\"")) || (name.hasPrefix("'") && name.hasSuffix("'")) {
                name = String(name.dropFirst().dropLast())
            }
            return name.isEmpty ? nil : SafeText.clip(SafeText.sanitize(name), InputLimits.labelCharacters)
        }
    }

    /// Alertmanager's `/api/v2/status` under this client's base URL.
    public func alertmanagerStatus() async throws -> AlertmanagerStatus {
        try await alertmanagerCall("/api/v2/status", as: AlertmanagerStatus.self)
    }

    /// The server's own `/metrics` (Prometheus and Alertmanager serve it on their API's port), read as the text
    /// exposition format; at most `InputLimits.metricsBytes` of it are read.
    public func ownMetrics() async throws -> (samples: [ExpositionSample], skipped: Int) {
        let url = url(for: "/metrics")
        let request = TransportRequest(method: "GET", url: url)
        let answer = try await send(request)
        guard answer.status == 200 else {
            let first = String(decoding: answer.body.prefix(200), as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            throw PrometheusError.unexpectedResponse(url: url, httpStatus: answer.status, reason: SafeText.clip(answer.reason, 40), firstLine: SafeText.clip(first, 120))
        }
        let body = answer.body.count > InputLimits.metricsBytes ? answer.body.prefix(InputLimits.metricsBytes) : answer.body
        return Exposition.parse(String(decoding: body, as: UTF8.self))
    }

    /// `/api/v1/status/buildinfo`.
    public func buildInfo() async throws -> APIResponse<BuildInfo> {
        try await call("/api/v1/status/buildinfo", form: nil, as: BuildInfo.self)
    }

    /// Alertmanager's `/api/v2/alerts` under this client's base URL (silenced and inhibited ones included).
    public func alertmanagerAlerts() async throws -> LossyList<AlertmanagerAlert> {
        try await alertmanagerAlerts(filter: [])
    }

    /// Alertmanager's alerts that the matchers select (`/api/v2/alerts?filter=…`): what a silence would mute.
    public func alertmanagerAlerts(filter matchers: [SilenceMatcher]) async throws -> LossyList<AlertmanagerAlert> {
        let query = matchers.isEmpty ? "" : "?" + Self.formEncode(matchers.map { ("filter", $0.filterText) })
        return try await alertmanagerCall("/api/v2/alerts" + query, as: LossyList<AlertmanagerAlert>.self)
    }

    /// Alertmanager's silences, active, pending and expired (`/api/v2/silences`), read one by one.
    public func silences() async throws -> LossyList<Silence> {
        try await alertmanagerCall("/api/v2/silences", as: LossyList<Silence>.self)
    }

    /// Creates a silence, or changes one when the draft has an id (`POST /api/v2/silences`); returns its id.
    public func saveSilence(_ draft: SilenceDraft) async throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(draft)) ?? Data()
        return try await alertmanagerCall("/api/v2/silences", method: "POST", body: body, as: SilenceCreated.self).silenceID
    }

    /// Expires a silence now (`DELETE /api/v2/silence/<id>`).
    public func expireSilence(id: String) async throws {
        let escaped = PercentEncoding.encode(id, keeping: "-_")
        _ = try await alertmanagerCall("/api/v2/silence/" + escaped, method: "DELETE", as: Empty.self)
    }

    /// An answer that carries nothing to read.
    private struct Empty: Decodable {}

    private func alertmanagerCall<Payload: Decodable>(
        _ path: String, method: String = "GET", body: Data? = nil, as: Payload.Type
    ) async throws -> Payload {
        let url = url(for: path)
        var request = TransportRequest(method: method, url: url)
        if let body {
            request.headers.append(.init(name: "Content-Type", value: "application/json"))
            request.body = body
        }
        let answer = try await send(request)
        if Payload.self == Empty.self, (200..<300).contains(answer.status), let empty = Empty() as? Payload { return empty }
        return try APIDecoding.alertmanager(Payload.self, status: answer.status, reason: answer.reason, body: answer.body, url: url)
    }

    // MARK: - Transport

    /// The URL of an API path under the base URL (keeping its path prefix).
    public func url(for path: String) -> String {
        options.baseURL.absoluteString + path
    }

    /// GET without a form; POST `application/x-www-form-urlencoded` with one (queries can be long).
    private func call<Payload: Decodable & Sendable>(
        _ path: String, form: [(String, String)]?, as: Payload.Type
    ) async throws -> APIResponse<Payload> {
        let url = url(for: path)
        var request = TransportRequest(method: "GET", url: url)
        if let form {
            request.method = "POST"
            request.headers.append(.init(name: "Content-Type", value: "application/x-www-form-urlencoded"))
            request.body = Data(Self.formEncode(form).utf8)
        }
        let answer = try await send(request)
        return try APIDecoding.decode(Payload.self, status: answer.status, reason: answer.reason, body: answer.body, url: url)
    }

    /// The headers every request carries: lookout's own, the credentials, then the user's (`--header`), each name
    /// once (the user's replaces lookout's).
    func headers(_ own: [TransportRequest.Header]) -> [TransportRequest.Header] {
        var headers = own + [
            .init(name: "Accept", value: "application/json"), .init(name: "Accept-Encoding", value: "gzip"),
            .init(name: "User-Agent", value: "lookout"),
        ]
        if let authorization = options.authorization {
            headers.append(.init(name: "Authorization", value: authorization.headerValue))
        }
        for header in options.headers {
            headers.removeAll { $0.name.lowercased() == header.name.lowercased() }
            headers.append(.init(name: header.name, value: header.value))
        }
        return headers
    }

    /// Sends a request with the client's headers and time limit; transport failures become `PrometheusError`.
    private func send(_ request: TransportRequest) async throws -> TransportResponse {
        var prepared = request
        prepared.headers = headers(request.headers)
        let url = request.url
        let outgoing = prepared
        let nanoseconds = options.timeout.totalNanoseconds
        let transport = self.transport
        let limit = maxBodyBytes
        do {
            // --timeout is a deadline for the whole answer: connect, headers and every byte of the body. The client's
            // own deadline covers the head only, and its read timeout restarts with each byte, so a server that
            // drips its body would hold the request forever; the race below cancels it at the deadline.
            return try await withDeadline(nanoseconds: nanoseconds) {
                let response = try await Self.following(outgoing, url: url) {
                    try await transport.send($0, deadline: nanoseconds, bodyLimit: limit)
                }
                if let throttled = Self.throttling(response.status, retryAfter: response.header("Retry-After"), url: url) {
                    throw throttled
                }
                return response
            }
        } catch {
            let mapped = mapTransportError(error, url: url)
            // "Not trusted" has three causes with three fixes: a handshake of its own tells which.
            if case .transport(_, let reason) = mapped, reason.hasPrefix(TLSFailure.notTrustedPrefix),
               let target = URL(string: url), target.scheme == "https" {
                let key = "\(target.host ?? ""):\(target.port ?? 443)"
                let known = diagnoses.withLock { $0[key] }
                let finding: TLSDiagnosis.Finding?
                if let known { finding = known } else { finding = await TLSDiagnosis.diagnose(url: target, options: options) }
                if let finding {
                    diagnoses.withLock { $0[key] = finding }
                    throw PrometheusError.transport(url: url, reason: TLSDiagnosis.describe(finding))
                }
            }
            throw mapped
        }
    }

    /// HTTP 429, or 503 with `Retry-After`: the server asks for a pause, which the dashboard honours.
    static func throttling(_ status: Int, retryAfter header: String?, url: String) -> PrometheusError? {
        let retryAfter = header.flatMap { Double($0.trimmingSpaces()) }
            .flatMap { $0.isFinite && $0 >= 0 ? min($0, 3600) : nil }
        guard status == 429 || (status == 503 && retryAfter != nil) else { return nil }
        return .throttled(url: url, httpStatus: status, retryAfter: retryAfter)
    }

    static func decode<Payload: Decodable & Sendable>(
        _: Payload.Type, status: HTTPResponseStatus, body: ByteBuffer, url: String
    ) throws -> APIResponse<Payload> {
        try APIDecoding.decode(
            Payload.self, status: Int(status.code), reason: status.reasonPhrase, body: Data(body.readableBytesView), url: url)
    }

    private func mapTransportError(_ error: any Error, url: String) -> PrometheusError {
        if let error = error as? PrometheusError { return error }
        let seconds = Double(options.timeout.totalNanoseconds) / 1e9
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout: return .timeout(url: url, seconds: seconds)
            case .connectTimeout: return .transport(url: url, reason: "connection timed out")
            case .cancelled: return .transport(url: url, reason: "request cancelled")
            case .tlsHandshakeTimeout: return .transport(url: url, reason: "TLS handshake timed out")
            case .remoteConnectionClosed: return .transport(url: url, reason: "the server closed the connection")
            default: break
            }
        }
        if error is NIOTooManyBytesError {
            return .transport(url: url, reason: "answer larger than \(maxBodyBytes >> 20) MiB")
        }
        if error is DeadlineExceeded { return .timeout(url: url, seconds: seconds) }
        if error is CancellationError { return .transport(url: url, reason: "request cancelled") }
        return .transport(url: url, reason: describeTransportError(error))
    }

    // MARK: - Encoding helpers

    static func formatTime(_ date: Date) -> String { formatNumber(date.timeIntervalSince1970) }

    static func formatNumber(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return cFormat("%.3f", value)
    }

    static func formEncode(_ fields: [(String, String)]) -> String {
        fields.map { name, value in
            let n = PercentEncoding.encode(name, keeping: "-._~")
            let v = PercentEncoding.encode(value, keeping: "-._~")
            return "\(n)=\(v)"
        }.joined(separator: "&")
    }

}

/// Runs `body` with a client and shuts the client down afterwards, also when `body` throws.
public func withPrometheusClient<T: Sendable>(
    _ options: ConnectionOptions, _ body: (PrometheusClient) async throws -> T
) async throws -> T {
    let client = try PrometheusClient(options: options)
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}

func describeFileError(_ error: any Error) -> String {
    if let error = error as? ConfigurationError { return error.message }
    if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
    if let error = error as? NIOSSLError { return "not a valid PEM file (\(error))" }
    return clip("\(error)", 120)
}

func describeTransportError(_ error: any Error) -> String {
    if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
    if let error = error as? NIOConnectionError {
        if let dnsA = error.dnsAError ?? error.dnsAAAAError {
            return "cannot resolve host \(error.host) (\(clip("\(dnsA)", 80)))"
        }
        if let first = error.connectionErrors.first?.error { return describeTransportError(first) }
        return "cannot connect to \(error.host):\(error.port)"
    }
    if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError { return TLSFailure.describe("\(error)") }
    if let error = error as? ChannelError, case .connectTimeout = error { return "connection timed out" }
    let text = "\(error)"
    if text.contains("NXDOMAIN") || text.lowercased().contains("resolve") { return "cannot resolve host (\(clip(text, 120)))" }
    return clip(text, 160)
}

extension Duration {
    /// The whole duration in nanoseconds (saturating).
    public var totalNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled + attoseconds / 1_000_000_000
    }
}

/// The whole-answer deadline passed.
struct DeadlineExceeded: Error {}

/// Runs `body`, cancelling it and throwing `DeadlineExceeded` when it has not finished within `nanoseconds`.
func withDeadline<T: Sendable>(nanoseconds: Int64, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(max(0, nanoseconds)))
            throw DeadlineExceeded()
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw DeadlineExceeded() }
        return first
    }
}
