import PrometheusModels

/// The status endpoints: scrape targets and build information, as the mock's world has them.
extension MockPrometheusAPI {
    func targets() -> JSON {
        let lastScrape = rfc3339Nano(milliseconds: World.gridFloor(nowMilliseconds))
        let active: [JSON] = world.services.map { service in
            let url = "http://\(service.instance)/metrics"
            return .object([
                ("discoveredLabels", .labels([
                    "__address__": service.instance, "__metrics_path__": "/metrics", "__scheme__": "http",
                    "__scrape_interval__": "15s", "__scrape_timeout__": "10s", "job": World.job, "service": service.name,
                ])),
                ("labels", .labels(["instance": service.instance, "job": World.job, "service": service.name])),
                ("scrapePool", .string(World.job)),
                ("scrapeUrl", .string(url)),
                ("globalUrl", .string(url)),
                ("lastError", .string(service.isDown
                    ? "Get \"\(url)\": dial tcp 10.42.0.\(11 + service.index):3000: connect: connection refused" : "")),
                ("lastScrape", .string(lastScrape)),
                ("lastScrapeDuration", .number(service.isDown ? "0.000412" : "0.004211")),
                ("health", .string(service.isDown ? "down" : "up")),
                ("scrapeInterval", .string("15s")),
                ("scrapeTimeout", .string("10s")),
            ])
        }
        return .object([("activeTargets", .array(active)), ("droppedTargets", .array([]))])
    }

    func buildInfo() -> JSON {
        .object([
            ("version", .string("2.42.0+lookout.mock")),
            ("revision", .string("lookout-mock")),
            ("branch", .string("mock")),
            ("buildUser", .string("lookout")),
            ("buildDate", .string("")),
            ("goVersion", .string("none (lookout mock, Swift)")),
        ])
    }
}
