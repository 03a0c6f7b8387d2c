import ArgumentParser
import SafeText

/// `--var name=value`, repeatable, for the commands that show a dashboard (`watch`, `snapshot`).
enum VariableFlags {
    static let help = ArgumentHelp(
        "A dashboard variable's value, as name=value (repeat it for each); All for all. Without it, the value the dashboard saved, else the first offered.",
        valueName: "name=value")

    /// Each name once; the last of a name wins. A flag without `=` or a name is a usage error naming it.
    static func parse(_ flags: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for flag in flags {
            guard let eq = flag.firstIndex(of: "="), eq != flag.startIndex else {
                throw ValidationError("bad --var '\(SafeText.clip(flag, 60))': expected name=value, such as --var node=host:9100")
            }
            out[String(flag[..<eq])] = String(flag[flag.index(after: eq)...])
        }
        return out
    }
}
