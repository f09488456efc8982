"""The run figure's regions panel (scenarios with [[regions]]): each region's VPN use as a
line of its own, its shutdowns shaded in the line's colour (docs/ODD.md 7.24)."""

from __future__ import annotations

import pandas as pd

_REGION_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
                   "#000000", "#f0e442")


def region_series(long: pd.DataFrame | None) -> dict[str, dict[str, pd.Series]]:
    """{region id: {metric: series by date}} of the long table's region outcomes."""
    if long is None or long.empty:
        return {}
    part = long[long["metric"].str.startswith("region_")]
    out: dict[str, dict[str, pd.Series]] = {}
    for (metric, key), g in part.groupby(["metric", "key"], sort=False):
        out.setdefault(key, {})[metric] = g.set_index("date")["value"]
    return out


def plot_regions(ax, regions: dict[str, dict[str, pd.Series]]) -> None:
    top = max(float(s["region_vpn_use"].max()) for s in regions.values())
    for k, (rid, series) in enumerate(regions.items()):
        colour = _REGION_COLOURS[k % len(_REGION_COLOURS)]
        use = series["region_vpn_use"]
        ax.plot(use.index, use, lw=1.5, color=colour, label=f"{rid}: VPN use")
        off = series.get("region_offline")
        if off is not None and (off > 0.5).any():
            ax.fill_between(off.index, 0, top * 1.1, where=(off > 0.5).values, color=colour,
                            alpha=0.15, step="mid", lw=0, label=f"{rid}: internet shut down")
    ax.set_ylabel("VPN use\nby region")
    ax.set_ylim(0, max(top * 1.15, 0.01))
