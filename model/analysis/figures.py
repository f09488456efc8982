"""Matplotlib on the Agg backend (no display needed, same output on a laptop or a cluster)."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend

from ..outcomes import METRICS  # noqa: E402

_UNITS = {m.name: m.unit for m in METRICS}


def panels(n: int, width: float = 4.2, height: float = 3.0):
    """A figure with n panels, up to three a row; unused axes hidden."""
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False)
    flat = list(axes.flat)
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def outcome_label(name: str) -> str:
    """`vpn_access_mean` -> `vpn_access_mean (share of users)`."""
    base = name.rsplit("_", 1)[0] if name.endswith(("_final", "_mean")) else name
    unit = _UNITS.get(base)
    return f"{name} ({unit})" if unit else name


def save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
