"""The run figure: intensity, VPN supply, access and use, cloud shares, with dated events."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from ..config.events import Event  # noqa: E402

_EVENT_COLOURS = {"law": "#6a3d9a", "directive": "#e31a1c", "block_service": "#ff7f00",
                  "marker": "#555555", "sensitive_period": "#b35806"}


def plot_run(frame: pd.DataFrame, events: list[Event], title: str, path: Path,
             initial_listings: float | None = None) -> None:
    """Four stacked panels sharing the date axis; laws, directives and blocks as vertical
    lines, sensitive periods as shaded spans, each labelled once at the top."""
    dates = frame["date"]
    fig, axes = plt.subplots(4, 1, figsize=(14, 11), sharex=True,
                             gridspec_kw={"height_ratios": [1, 1.2, 1.2, 1.2]})
    ax = axes[0]
    ax.plot(dates, frame["enforcement_intensity"], color="black", lw=1.8)
    ax.set_ylabel("enforcement\nintensity")
    ax.set_ylim(0, 1.05)

    ax = axes[1]
    ax.plot(dates, frame["vpn_supply"], lw=1.8, label="VPN supply (share of providers working)")
    listings0 = initial_listings or max(float(frame["vpn_listings_foreign_store"].iloc[0]), 1.0)
    ax.plot(dates, frame["vpn_listings_foreign_store"] / listings0, lw=1.4, ls="--",
            label=f"foreign app-store listings (share of {listings0:.0f})")
    dc0 = max(float(frame["vpn_domestic_commercial"].iloc[0]), 1.0)
    ax.plot(dates, frame["vpn_domestic_commercial"] / dc0, lw=1.4, ls=":",
            label=f"domestic commercial VPNs (share of {dc0:.0f})")
    ax.set_ylabel("VPN supply")
    ax.set_ylim(0, 1.05)

    ax = axes[2]
    ax.plot(dates, frame["vpn_aware"], lw=1.2, color="#999999", label="know how to get a VPN")
    ax.plot(dates, frame["vpn_access"], lw=1.8, label="VPN access")
    ax.plot(dates, frame["vpn_use"], lw=1.8, label="VPN use (that day)")
    ax.set_ylabel("share of users")
    ax.set_ylim(0, max(0.05, float(frame[["vpn_aware", "vpn_access"]].max().max()) * 1.1))

    ax = axes[3]
    ax.plot(dates, frame["domestic_cloud_share"], lw=1.8, color="#b2182b",
            label="domestic clouds (customers)")
    ax.plot(dates, frame["foreign_cloud_share"], lw=1.8, color="#2166ac",
            label="foreign clouds (customers)")
    ax.plot(dates, frame["foreign_cloud_revenue_share"], lw=1.2, ls="--", color="#2166ac",
            label="foreign clouds (revenue)")
    ax.set_ylabel("cloud market share")
    ax.set_ylim(0, 1.02)

    _mark_events(axes, events, dates)
    for ax in axes[1:]:
        ax.legend(loc="center left", fontsize=8, framealpha=0.9)
    for ax in axes:
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
        colour = _EVENT_COLOURS.get(ev.kind, "#a6611a")
        if ev.kind == "sensitive_period":
            end = min(pd.Timestamp(ev.end), hi)
            for ax in axes:
                ax.axvspan(start, end, color="#fdb863", alpha=0.25, lw=0)
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
        top.figure.text(0.775, 0.93 - row * 0.018, text, fontsize=7, color=colour,
                        family="monospace", va="top")
