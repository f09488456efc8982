"""The headline table a run prints."""

from __future__ import annotations

import pandas as pd

HEADLINES = (
    ("effective_intensity", "effective enforcement intensity", "{:.2f}"),
    ("vpn_availability", "VPN availability (interested users)", "{:.1%}"),
    ("vpn_providers_working", "VPN providers working", "{:.0f}"),
    ("vpn_listings_foreign_store", "VPN apps in foreign app store", "{:.0f}"),
    ("vpn_domestic_commercial", "domestic commercial VPNs", "{:.0f}"),
    ("vpn_access", "VPN access (share of users)", "{:.1%}"),
    ("vpn_use", "VPN use (share of users)", "{:.1%}"),
    ("service_domestic_share", "domestic share of consumer services", "{:.1%}"),
    ("foreign_cloud_share", "foreign cloud share", "{:.1%}"),
    ("domestic_cloud_share", "domestic cloud share", "{:.1%}"),
    ("foreign_compliance", "foreign compliance", "{:.0%}"),
    ("sanctions_total", "sanctions on platforms", "{:.0f}"),
    ("users_punished_total", "users punished", "{:.0f}"),
    ("mean_perceived_risk", "mean perceived risk", "{:.2f}"),
)


def headline_table(frame: pd.DataFrame) -> str:
    """Start, end, mean, min and max of the headline metrics, one line each."""
    rows = [("metric", "start", "end", "mean", "min", "max")]
    for name, label, fmt in HEADLINES:
        col = frame[name]
        if col.isna().all():              # e.g. no consumer services in the scenario
            continue
        rows.append((label, *(fmt.format(v) for v in
                              (col.iloc[0], col.iloc[-1], col.mean(), col.min(), col.max()))))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                       for i, (c, w) in enumerate(zip(r, widths, strict=True))) for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)
