"""The run figure's regions panel (scenarios with [[regions]]): each region's VPN use in the
colour VPN use has everywhere, regions told apart by line style, shutdowns hatched
(docs/ODD.md 7.24)."""

from __future__ import annotations

import pandas as pd

from ..viz import palette

_STYLES = ("-", "--", ":", "-.")
_MARKERS = (None, "o", "s", "^", "D")


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
    colour = palette.STATE["using"]
    for k, (rid, series) in enumerate(regions.items()):
        style, marker = _STYLES[k % len(_STYLES)], _MARKERS[k // len(_STYLES) % len(_MARKERS)]
        use = series["region_vpn_use"]
        ax.plot(use.index, use, lw=1.5, color=colour, ls=style, marker=marker, markevery=30,
                label=f"{rid}: VPN use")
        off = series.get("region_offline")
        if off is not None and (off > 0.5).any():
            ax.fill_between(off.index, 0, top * 1.1, where=(off > 0.5).values,
                            facecolor="none", edgecolor=palette.NEUTRAL, hatch="//",
                            step="mid", lw=0, label=f"{rid}: internet shut down")
    ax.set_ylabel("VPN use\nby region")
    ax.set_ylim(0, max(top * 1.15, 0.01))
