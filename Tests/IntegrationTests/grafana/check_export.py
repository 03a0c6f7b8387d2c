"""Reads lookout's Grafana export (stdin) with the SDK's own dashboard model and prints what it understood."""
import json
import sys

from grafana_foundation_sdk.models.dashboard import Dashboard

data = json.load(sys.stdin)
board = Dashboard.from_json(data)
out = {"title": board.title, "panels": []}
for panel in board.panels or []:
    # Without a registered Prometheus plugin the SDK keeps targets as UnknownDataquery with their raw data.
    targets = [{"expr": getattr(t, "expr", None) or getattr(t, "data", {}).get("expr"),
                "legendFormat": getattr(t, "legend_format", None) or getattr(t, "data", {}).get("legendFormat")}
               for t in (panel.targets or [])]
    defaults = panel.field_config.defaults if panel.field_config else None
    steps = [s.value for s in defaults.thresholds.steps] if defaults and defaults.thresholds else []
    out["panels"].append({"type": panel.type_val, "title": panel.title, "unit": defaults.unit if defaults else None,
                          "steps": steps, "targets": targets})
print(json.dumps(out))
