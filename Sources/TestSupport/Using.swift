/// Runs `body` with `resource`, then `release(resource)`, also when `body` throws: the async stand-in for `defer`,
/// which cannot await. Every `with…` helper of the tests is this with its own start and stop.
public func using<Resource, Result: Sendable>(
    _ resource: Resource, release: (Resource) async -> Void, _ body: (Resource) async throws -> Result
) async throws -> Result {
    do {
        let result = try await body(resource)
        await release(resource)
        return result
    } catch {
        await release(resource)
        throw error
    }
}
