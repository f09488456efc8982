"""The run figure: intensity and the firewall's protocol blocks, VPN supply by protocol, users'
interest, availability and use, consumer services' domestic shares, cloud shares; dated events
on every panel."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from ..config.channels import PROTOCOLS  # noqa: E402
from ..config.events import Event  # noqa: E402
from ..viz import palette  # noqa: E402
from .region_panel import plot_regions, region_series  # noqa: E402

_EVENT_COLOURS: dict[str, str] = {}    # every event in palette.EVENT_LINE (the app's colours)
_PROTOCOL_COLOURS = palette.PROTOCOL


def _series(long: pd.DataFrame | None, metric: str) -> dict[str, pd.Series]:
    """{key: series by date} of one metric of the long table."""
    if long is None or long.empty:
        return {}
    part = long[long["metric"] == metric]
    return {key: g.set_index("date")["value"] for key, g in part.groupby("key", sort=False)}


def plot_run(frame: pd.DataFrame, events: list[Event], title: str, path: Path,
             long: pd.DataFrame | None = None) -> None:
    """Five stacked panels sharing the date axis (six with regions); laws, directives and
    blocks as vertical lines, sensitive periods as shaded spans, each labelled once at the
    top."""
    dates = frame["date"]
    regions = region_series(long)
    heights = [1, 1.2, 1.2, 1.1, 1.0] + ([1.0] if regions else [])
    fig, axes = plt.subplots(len(heights), 1, figsize=(14, 13.5 + 2.5 * bool(regions)),
                             sharex=True, gridspec_kw={"height_ratios": heights})
    ax = axes[0]
    ax.plot(dates, frame["effective_intensity"], color="black", lw=1.8,
            label="effective intensity")
    for k, (proto, s) in enumerate(_series(long, "protocol_block").items()):
        on = s > 0.5
        if on.any():              # a band per protocol class while its block is in force
            ax.fill_between(s.index, -0.06 - 0.07 * k, -0.01 - 0.07 * k, where=on.values,
                            color=_PROTOCOL_COLOURS.get(proto, "grey"), step="mid", lw=0,
                            label=f"protocol-wide block: {proto}")
    ax.set_ylabel("enforcement\nintensity")
    ax.set_ylim(-0.07 * len(PROTOCOLS) - 0.02, 1.05)

    ax = axes[1]
    working = {k.split(":", 1)[1]: s for k, s in _series(long, "providers_working").items()
               if k.startswith("protocol:")}
    for proto, s in working.items():
        ax.plot(s.index, s.clip(lower=0.8), lw=1.6, color=_PROTOCOL_COLOURS.get(proto, "grey"),
                label=f"{proto} providers working")
    ax.plot(dates, frame["vpn_listings_foreign_store"].clip(lower=0.8), lw=1.2, ls="--",
            color=palette.SIDE["foreign"], label="foreign app-store listings")
    ax.plot(dates, frame["vpn_domestic_commercial"].clip(lower=0.8), lw=1.2, ls=":",
            color=palette.SIDE["domestic"], label="domestic commercial VPNs")
    ax.set_yscale("log")
    ax.set_ylabel("VPN supply\n(providers, log scale)")

    ax = axes[2]
    ax.plot(dates, frame["vpn_availability"], lw=2.0, color=palette.INTENSITY,
            label="VPN availability (share of interested users)")
    ax.plot(dates, frame["vpn_interested"], lw=1.2, color="#999999",
            label="interested in what is blocked")
    ax.plot(dates, frame["vpn_aware"], lw=1.0, ls="--", color=palette.STATE["aware"],
            label="know how to get a VPN")
    ax.plot(dates, frame["vpn_use"], lw=1.8, color=palette.STATE["using"], label="VPN use (that day)")
    ax.set_ylabel("users")
    ax.set_ylim(0, 1.02)

    ax = axes[3]
    for cat, s in _series(long, "category_domestic_share").items():
        if s.notna().any() and not cat.startswith("_"):
            ax.plot(s.index, s, lw=1.4, label=f"{cat}: domestic share of users")
    if frame["service_domestic_share"].notna().any():
        ax.plot(dates, frame["service_domestic_share"], lw=2.0, color="black",
                label="all consumer services")
    ax.set_ylabel("consumer\nservices")
    ax.set_ylim(0, 1.02)

    ax = axes[4]
    ax.plot(dates, frame["domestic_cloud_share"], lw=1.8, color=palette.SIDE["domestic"],
            label="domestic clouds (customers)")
    ax.plot(dates, frame["foreign_cloud_share"], lw=1.8, color=palette.SIDE["foreign"],
            label="foreign clouds (customers)")
    ax.plot(dates, frame["foreign_cloud_revenue_share"], lw=1.2, ls="--", color=palette.SIDE["foreign"],
            label="foreign clouds (revenue)")
    ax.set_ylabel("cloud market share")
    ax.set_ylim(0, 1.02)
    if regions:
        plot_regions(axes[5], regions)

    _mark_events(axes, events, dates)
    for ax in axes:
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="center left", fontsize=8, framealpha=0.9)
        ax.grid(alpha=0.3)
    axes[-1].xaxis.set_major_locator(mdates.MonthLocator())
    axes[-1].xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    plt.setp(axes[-1].get_xticklabels(), rotation=30, ha="right")
    fig.suptitle(title, fontsize=12, y=0.995)
    fig.tight_layout(rect=(0, 0, 0.77, 0.96))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _mark_events(axes, events: list[Event], dates: pd.Series) -> None:
    """Number each event on the top panel and list the numbers, dates and labels at right."""
    lo, hi = dates.iloc[0], dates.iloc[-1]
    top = axes[0]
    legend = []
    for k, ev in enumerate(events, start=1):
        start = max(pd.Timestamp(ev.date), lo)
        colour = _EVENT_COLOURS.get(ev.kind, palette.EVENT_LINE)
        if ev.end is not None:
            end = min(pd.Timestamp(ev.end), hi)
            shade = palette.PERIOD_BAND if ev.kind == "sensitive_period" else colour
            for ax in axes:
                ax.axvspan(start, end, color=shade, alpha=0.25 if shade == palette.PERIOD_BAND else 0.12,
                           lw=0)
        else:
            for ax in axes:
                ax.axvline(start, color=colour, lw=0.9, alpha=0.7,
                           ls="--" if ev.kind == "marker" else "-")
        top.annotate(str(k), xy=(start, 1.05), xytext=(1, 2 + 9 * (k % 2)),
                     textcoords="offset points", fontsize=7, color=colour, ha="left",
                     annotation_clip=False)
        label = ev.label if len(ev.label) <= 34 else ev.label[:33] + "…"
        legend.append((f"{k:>2} {ev.date:%d %b %y} {label}", colour))
    for row, (text, colour) in enumerate(legend):
        top.figure.text(0.775, 0.93 - row * 0.016, text, fontsize=7, color=colour,
                        family="monospace", va="top")
