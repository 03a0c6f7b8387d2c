// The wire models live in PrometheusModels (no networking dependencies, so the dashboard core, the canvas and the
// benchmark build without AsyncHTTPClient); users of the client get them with it.
@_exported import PrometheusModels
