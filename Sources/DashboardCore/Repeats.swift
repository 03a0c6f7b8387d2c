import SafeText

/// Grafana's repeats: a panel (or a row with its panels) drawn once per value of a variable, each copy with that
/// value in its title, queries and legends. `Dashboard.repeated` gives the dashboard as drawn, from the values the
/// variables have now; it is computed again when they change.
public struct Repeat: Sendable, Equatable, Codable, Hashable {
    /// The variable whose values are repeated over.
    public var variable: String
    /// Copies side by side (Grafana's `h`, the default) or one under another (`v`).
    public var vertical: Bool
    /// At most this many copies side by side (Grafana's `maxPerRow`, 4 unless said).
    public var maxPerRow: Int

    public init(variable: String, vertical: Bool = false, maxPerRow: Int = 4) {
        self.variable = variable
        self.vertical = vertical
        self.maxPerRow = min(24, max(1, maxPerRow))
    }

    /// The most copies made of one panel or row.
    public static let maxCopies = 64
}

extension Dashboard {
    /// Whether any panel or row repeats.
    public var hasRepeats: Bool { panels.contains { $0.repeatOver != nil } }

    /// The dashboard as drawn: each repeating panel (or row and its panels) once per value of its variable (every value
    /// offered for All, at most `Repeat.maxCopies`), in that order, the variable replaced by the copy's value; the
    /// copies of a panel side by side (wrapping after `maxPerRow`) or one under another, those of a row one block
    /// under another. A variable without values leaves the panel once, as written. The dashboard itself when nothing
    /// repeats.
    public func repeated(_ values: [String: Variable.Resolved]) -> Dashboard {
        guard hasRepeats else { return self }
        func copies(_ rule: Repeat) -> [Variable.Resolved]? {
            guard let resolved = values[rule.variable] else { return nil }
            let list = resolved.values == [Variable.all] ? resolved.offered : resolved.values
            guard !list.isEmpty else { return nil }
            return list.prefix(Repeat.maxCopies).map { Variable.Resolved(variable: resolved.variable, values: [$0], offered: resolved.offered) }
        }
        func pinned(_ panel: Panel, _ name: String, _ value: Variable.Resolved) -> Panel {
            var copy = panel
            let scope = [name: value]
            copy.title = Variable.substitute(panel.title, scope, display: true)
            for t in copy.targets.indices {
                copy.targets[t].expr = Variable.substitute(copy.targets[t].expr, scope)
                copy.targets[t].legendFormat = Variable.substitute(copy.targets[t].legendFormat, scope, display: true)
            }
            copy.expectedSeries = copy.expectedSeries.map { Variable.substitute($0, scope) }
            copy.repeatOver = nil
            return copy
        }
        let owners = owningRows
        var out: [Panel] = []
        var i = 0
        while i < panels.count {
            let panel = panels[i]
            // A repeating row: the row and its panels, once per value, each block under the one before.
            if panel.isRow, let rule = panel.repeatOver, let list = copies(rule) {
                let members = panels.indices.filter { owners[$0] == i }
                let bottom = members.compactMap { panels[$0].gridPos.map { $0.y + $0.h } }.max() ?? ((panel.gridPos?.y ?? 0) + 1)
                let block = max(1, bottom - (panel.gridPos?.y ?? 0))
                for (k, value) in list.enumerated() {
                    for index in [i] + members {
                        var copy = pinned(panels[index], rule.variable, value)
                        copy.gridPos?.y += k * block
                        out.append(copy)
                    }
                }
                i = (members.last ?? i) + 1
                continue
            }
            if !panel.isRow, let rule = panel.repeatOver, let list = copies(rule) {
                let pos = panel.gridPos ?? GridPos(x: 0, y: 0, w: 12, h: 8)
                let perRow = rule.vertical ? 1 : min(rule.maxPerRow, list.count)
                let width = rule.vertical ? pos.w : max(1, GridPos.columns / perRow)
                for (k, value) in list.enumerated() {
                    var copy = pinned(panel, rule.variable, value)
                    if panel.gridPos != nil {
                        copy.gridPos = rule.vertical
                            ? GridPos(x: pos.x, y: pos.y + k * pos.h, w: pos.w, h: pos.h)
                            : GridPos(x: (k % perRow) * width, y: pos.y + (k / perRow) * pos.h, w: width, h: pos.h).clamped
                    }
                    out.append(copy)
                }
                i += 1
                continue
            }
            out.append(panel)
            i += 1
        }
        var copy = self
        copy.panels = Array(out.prefix(InputLimits.panels))
        return copy
    }
}
