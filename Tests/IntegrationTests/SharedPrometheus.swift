import Testing
import TestSupport

/// One Prometheus (with the test exporter and an Alertmanager, the harness's defaults) for the read-only tests: the
/// suites nested in `AgainstOnePrometheus` ask for it with `withSharedPrometheus`, the first one to ask starts it,
/// and the suite's scope stops it when the last of them is done. A test that changes its server (stops it, silences
/// an alert, needs other flags or rules) starts its own with `withPrometheusHarness`.
@Suite("Against one shared Prometheus", .sharedPrometheus)
struct AgainstOnePrometheus {}

/// The harness, started on first use; every caller waits for the same start and gets its outcome.
actor SharedPrometheus {
    @TaskLocal static var current: SharedPrometheus?

    private var starting: Task<PrometheusHarness, any Error>?

    func harness() async throws -> PrometheusHarness {
        if let starting { return try await starting.value }
        let task = Task { try await PrometheusHarness.startRetrying(.init()) }
        starting = task
        return try await task.value
    }

    func stop() async {
        guard let starting, let harness = try? await starting.value else { return }
        await harness.stop()
    }
}

/// The scope of `AgainstOnePrometheus`: the shared harness for every test inside it, stopped at its end (also when a
/// test failed). Applied to a suite, it is not recursive: one scope for the suite and all the suites nested in it.
struct SharedPrometheusTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        // A scope already open (a nested suite): the same server.
        if SharedPrometheus.current != nil { return try await function() }
        let shared = SharedPrometheus()
        do {
            try await SharedPrometheus.$current.withValue(shared) { try await function() }
        } catch {
            await shared.stop()
            throw error
        }
        await shared.stop()
    }
}

extension Trait where Self == SharedPrometheusTrait {
    static var sharedPrometheus: Self { Self() }
}

/// The shared Prometheus inside `AgainstOnePrometheus`; a harness of the test's own anywhere else (a test run alone
/// through a filter still runs inside its suites' scopes, so this is for a test moved out of them).
func withSharedPrometheus<T: Sendable>(_ body: (PrometheusHarness) async throws -> T) async throws -> T {
    guard let shared = SharedPrometheus.current else { return try await withPrometheusHarness(.init(), body) }
    return try await body(try await shared.harness())
}
