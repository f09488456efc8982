"""Matplotlib on the Agg backend (no display needed, same output on a laptop or a cluster), and
the conventions of the report's figures, so that a paper can carry them: labels and units from
the metric registry, a title, y labels, intervals visible at any width, no empty panels, PNG
and SVG (text kept as text, so it can be edited and searched)."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend

from ..outcomes import LONG_METRICS, METRICS  # noqa: E402

matplotlib.rcParams["svg.fonttype"] = "none"

_BY_NAME = {m.name: m for m in (*METRICS, *LONG_METRICS)}
_STATISTICS = {"mean": "mean over a run", "final": "last day"}


def _split(name: str) -> tuple[str, str | None]:
    base, _, stat = name.rpartition("_")
    return (base, stat) if stat in _STATISTICS and base in _BY_NAME else (name, None)


def outcome_label(name: str) -> str:
    """`vpn_access_mean` -> `vpn_access_mean (share of users)`: the name with its unit, for
    text that quotes the outcome by name."""
    unit = unit_of(name)
    return f"{name} ({unit})" if unit else name


def unit_of(name: str) -> str:
    """The unit of a metric or an outcome (`<metric>_mean`, `<metric>_final`), from the
    registry; "" when unknown."""
    metric = _BY_NAME.get(_split(name)[0])
    return metric.unit if metric else ""


def outcome_title(name: str) -> str:
    """A panel title in words: `vpn_access_mean` -> `VPN access, mean over a run`."""
    base, stat = _split(name)
    metric = _BY_NAME.get(base)
    label = metric.label if metric else name.replace("_", " ")
    return f"{label}, {_STATISTICS[stat]}" if stat else label


def param_label(name: str) -> str:
    """An axis label for a parameter: `enforcement_intensity` -> `enforcement intensity
    (index [0, 1])`."""
    from ..config.parameters import BY_NAME

    param = BY_NAME.get(name)
    unit = param.unit if param and param.unit not in ("", "-") else ""
    words = name.replace("_", " ")
    return f"{words} ({unit})" if unit else words


def panels(n: int, width: float = 4.2, height: float = 3.0):
    """A figure with n panels, up to three a row; a last row that is not full is centred, so
    no panel is left empty."""
    cols = min(n, 3) or 1
    rows = math.ceil(n / cols)
    fig = plt.figure(figsize=(width * cols, height * rows))
    grid = fig.add_gridspec(rows, 2 * cols)
    axes = []
    for i in range(n):
        row, j = divmod(i, cols)
        in_row = min(cols, n - row * cols)
        start = (cols - in_row) + 2 * j
        axes.append(fig.add_subplot(grid[row, start:start + 2]))
    return fig, axes


def band(ax, x, mean, low, high, color, points: bool = False) -> None:
    """A 95% interval that stays visible however narrow it is: a shaded band with its edges
    drawn, and, at discrete points, error bars with caps."""
    ax.fill_between(x, low, high, alpha=0.2, color=color, linewidth=0)
    ax.plot(x, low, color=color, linewidth=0.5, alpha=0.6)
    ax.plot(x, high, color=color, linewidth=0.5, alpha=0.6)
    if points:
        import numpy as np

        mean, low, high = (np.asarray(v, dtype=float) for v in (mean, low, high))
        err = np.nan_to_num(np.vstack([mean - low, high - mean]))
        ax.errorbar(x, mean, yerr=err, fmt="none", ecolor=color, capsize=3, linewidth=0.9)


def save(fig, path: Path, title: str | None = None, svg: bool = False) -> Path:
    """Write the figure as PNG (and SVG beside it with `svg`), with its title."""
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    if svg:
        fig.savefig(Path(path).with_suffix(".svg"))
    plt.close(fig)
    return path
