import DashboardCore
import TerminalCanvas

/// The services of a health panel as tiles: UP, DOWN, partly up, GONE; down services come first.
enum HealthTiles {
    static func grid(_ services: [ServiceHealth], ascii: Bool) -> TileGrid {
        TileGrid(tiles: services.map { tile($0, ascii: ascii) }, ascii: ascii)
    }

    static func tile(_ service: ServiceHealth, ascii: Bool) -> TileGrid.Tile {
        let (marker, role): (String, StyleRole) = switch service.status {
        case .up: (ascii ? "+" : "●", .ok)
        case .down: (ascii ? "x" : "✖", .critical)
        case .partial: (ascii ? "!" : "◐", .warning)
        case .gone: (ascii ? "?" : "○", .critical)
        }
        return TileGrid.Tile(marker: marker, name: service.name, word: service.status.word, role: role, isTrouble: service.status != .up)
    }

    /// `3/4 up`, for titles and compact rows.
    static func summary(_ services: [ServiceHealth]) -> String {
        "\(services.filter { $0.status == .up }.count)/\(services.count) up"
    }
}
