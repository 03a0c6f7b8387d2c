import DashboardCore
import Foundation
import TerminalCanvas

/// Everything that reaches the app: keys, signals, and what happens to the dashboard's data.
public enum AppEvent: Sendable, Equatable {
    case key(Key)
    /// SIGINT, SIGTERM, SIGHUP or SIGQUIT: the app quits and gives the terminal back.
    case signal(Int32)
    case dashboard(DashboardEvent)
}

/// The app: the shared dashboard model, a stack of screens (the dashboard at the bottom), and the overlays drawn
/// over whatever screen is on top (help, the filter line). `update` is pure: it returns what the run loop must do.
public struct AppState: Sendable {
    public var model: DashboardState
    public private(set) var stack: [any Screen]
    /// The key help, over the top screen.
    public var showHelp = false
    /// Typing a filter after `/`: keys go to the filter text.
    public var isEditingFilter = false

    public init(model: DashboardState) {
        self.model = model
        stack = [DashboardScreen()]
    }

    public var top: any Screen { stack.last ?? DashboardScreen() }

    public func context(_ options: RenderOptions = RenderOptions()) -> ScreenContext {
        ScreenContext(model: model, options: options)
    }

    /// The titles of the stack, bottom first.
    public var breadcrumbs: [String] {
        let context = context()
        return stack.map { $0.title(context) }
    }

    public mutating func update(_ event: AppEvent) -> [DashboardEffect] {
        switch event {
        case .signal: return [.quit]
        case .dashboard(let event): return model.update(event)
        case .key(let key): return handle(key)
        }
    }

    mutating func handle(_ key: Key) -> [DashboardEffect] {
        if isEditingFilter { return editFilter(key) }
        if showHelp, key == .escape {
            showHelp = false
            return []
        }
        var top = self.top
        if let effects = top.handle(key, context: context()) {
            if !stack.isEmpty { stack[stack.count - 1] = top }
            return apply(effects)
        }
        if let entry = ScreenCatalog.entries.first(where: { $0.key == key }) {
            return apply([self.top.id == entry.name ? .pop : .push(entry.make(context()))])
        }
        switch GlobalKeys.table.action(for: key) {
        case .quit: return [.quit]
        case .help: showHelp.toggle()
        case .filter: isEditingFilter = true
        case .back:
            if stack.count > 1 {
                stack.removeLast()
            } else if !model.filter.isEmpty {
                model.filter = ""
            }
        case .dashboard(let action): return model.perform(action)
        case nil: break
        }
        return []
    }

    mutating func editFilter(_ key: Key) -> [DashboardEffect] {
        switch key {
        case .enter: isEditingFilter = false
        case .escape:
            isEditingFilter = false
            model.filter = ""
        case .backspace: if !model.filter.isEmpty { model.filter.removeLast() }
        case .ctrl("c"): return [.quit]
        case .char(let c): model.filter.append(c)
        default: break
        }
        return []
    }

    mutating func apply(_ effects: [ScreenEffect]) -> [DashboardEffect] {
        var out: [DashboardEffect] = []
        for effect in effects {
            switch effect {
            case .push(let screen):
                stack.append(screen)
                showHelp = false
            case .pop: if stack.count > 1 { stack.removeLast() }
            case .replace(let screen): stack[stack.count - 1] = screen
            case .dashboard(let action): out += model.perform(action)
            case .quit: out.append(.quit)
            }
        }
        return out
    }
}
