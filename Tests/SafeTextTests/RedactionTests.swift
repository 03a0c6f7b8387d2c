import Foundation
import SafeText
import Testing

/// The one redaction rule (`Redaction`): user information in URLs, credentials after Bearer and Basic, and every
/// secret the process read, hidden in whatever text is written.
@Suite("Redaction")
struct RedactionTests {
    @Test("a URL's user information becomes user:***@", arguments: [
        ("http://user:S3CRETPW@127.0.0.1:70000", "http://user:***@127.0.0.1:70000"),
        ("https://oncall:pa:ss@prom.example/prometheus?x=1", "https://oncall:***@prom.example/prometheus?x=1"),
        ("user:S3CRETPW@localhost:9090", "user:***@localhost:9090"),
        ("http://ghp_TOKEN1234@host", "http://***@host"),
        ("http://puser:S3CRETPW@", "http://puser:***@"),
        ("http://a@b:pw@host/x", "http://a@b:***@host/x"),
        ("http://host:9090/path@not-userinfo", "http://host:9090/path@not-userinfo"),
        ("localhost:9090", "localhost:9090"),
    ])
    func urls(_ typed: String, _ shown: String) {
        #expect(Redaction.url(typed) == shown)
    }

    @Test func freeTextHidesEveryURLsUserInformation() {
        let text = "bad HTTP_PROXY 'http://puser:S3CRETPW@proxy:3128' and also https://u:p4ss@other/x, not mailto:me@here"
        let out = Redaction.redact(text)
        #expect(!out.contains("S3CRETPW") && !out.contains("p4ss"))
        #expect(out.contains("http://puser:***@proxy:3128") && out.contains("https://u:***@other/x") && out.contains("mailto:me@here"))
    }

    @Test func credentialsAfterBearerAndBasic() {
        let text = #"invalidHeaderFieldValues(["Bearer tokB3xyz\n# prod token"]) and Authorization: Basic dXNlcjpwYXNz"#
        let out = Redaction.redact(text)
        #expect(!out.contains("tokB3xyz") && !out.contains("dXNlcjpwYXNz"), "\(out)")
        #expect(out.contains("Bearer ***") && out.contains("Basic ***"))
    }

    @Test func aRegisteredSecretIsHiddenAnywhere() {
        let secret = "sekret-\(UInt64.random(in: 0...UInt64.max))"
        #expect(Redaction.redact("server said: \(secret)!") == "server said: \(secret)!")
        Redaction.register(secret)
        #expect(Redaction.redact("server said: \(secret)!") == "server said: ***!")
        // Every output that cuts text (`clip`) redacts too.
        #expect(SafeText.clip("x\(secret)y", 200) == "x***y")
        // Too short to search for in free text: a one-letter password would hide that letter everywhere.
        Redaction.register("ab")
        #expect(Redaction.redact("abc") == "abc")
    }

    @Test func theURLIsRedactedBeforeItIsCut() {
        // A cut inside the password would leave no @ to find: the message is built from the redacted URL.
        let url = "http://user:" + String(repeating: "P", count: 200) + "@host"
        #expect(!SafeText.clip(Redaction.url(url), 100).contains("PPPP"))
    }
}
