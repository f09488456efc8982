"""Scenario discovery: which region of the inputs gives runs of interest (an outcome above or
below a threshold)?

PRIM (Friedman & Fisher 1999) peels the input space one small slice at a time, keeping the
slice whose removal raises the share of runs of interest most, and gives the *peeling
trajectory*: boxes from the whole space (coverage 1) to small dense ones. We use EMA Workbench's
implementation (Kwakkel 2017), the field's reference. Which box on the trajectory to read is a
judgement; by default we take the one with the best balance of coverage and density, their
harmonic mean (an F1 score: an assumption of this command, weighting the two equally), and with
`density` the largest box whose density reaches it (Bryant & Lempert 2010 read boxes near 0.8).
The trajectory is kept, so a reader can choose another. CART (EMA Workbench's wrapper of scikit-learn's tree) is the
alternative: leaves of a classification tree, each a box. Both see every run as one point, so
replicates of a design point weigh its noise in.

Vocabulary (Bryant & Lempert 2010): coverage, the share of all runs of interest that fall in the
box; density, the share of the box's runs that are of interest; mass, the share of all runs in
the box; a *restricted* input is one whose range the box narrows.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd



@dataclass
class Box:
    """One box: its limits on every restricted input, and its statistics."""
    limits: pd.DataFrame        # rows: restricted inputs; columns low, high, full_low, full_high
    coverage: float
    density: float
    mass: float
    runs: int                   # runs inside the box

    def bounds(self, name: str) -> tuple[float, float]:
        row = self.limits.loc[name]
        return float(row["low"]), float(row["high"])


@dataclass
class Discovery:
    prim: Box
    trajectory: pd.DataFrame    # per peeling step: coverage, density, mass, res_dim, chosen
    p_values: dict[str, float]  # quasi-p of each restriction of the chosen PRIM box
    cart: list[Box]             # CART's leaves where runs of interest are the majority
    interest: int               # runs of interest
    total: int


def discover(x: pd.DataFrame, y: np.ndarray, density: float | None = None,
             peel_alpha: float = 0.05, mass_min: float = 0.05) -> Discovery:
    """PRIM and CART on inputs `x` (numeric columns, one row per run) and `y` (True where the
    run is of interest); the PRIM box read is the best F1 one, or the largest reaching
    `density`. Raises ValueError when there is nothing to separate."""
    y = np.asarray(y, dtype=bool)
    if len(x) != len(y) or x.empty:
        raise ValueError("one row of inputs per run is needed")
    if y.all() or not y.any():
        raise ValueError("every run" if y.all() else "no run")
    x = x.reset_index(drop=True).astype(float)
    with _quiet():
        from ema_workbench.analysis import cart, prim

        found = prim.Prim(x, y, peel_alpha=peel_alpha, mass_min=mass_min)
        box = found.find_box()
        trajectory = box.peeling_trajectory
        chosen = _choose(trajectory, density)
        box.select(chosen)
        p_values = _p_values(box, chosen)
        full = found.box_init
        tree = cart.CART(x, y.astype(int), mass_min=mass_min)
        tree.build_tree()
        leaves = [_box(lims, full, s["coverage"], s["density"], s["mass"], len(x))
                  for lims, s in zip(tree.boxes, tree.stats) if s["density"] > 0.5]
    table = trajectory[["coverage", "density", "mass", "res_dim"]].copy()
    table.insert(0, "step", range(len(table)))
    table["chosen"] = table["step"] == chosen
    row = trajectory.iloc[chosen]
    chosen_box = _box(box.box_lims[chosen], full, row["coverage"], row["density"], row["mass"],
                      len(x))
    leaves.sort(key=lambda b: -b.coverage)
    return Discovery(chosen_box, table.reset_index(drop=True), p_values, leaves,
                     int(y.sum()), len(y))


def _choose(trajectory: pd.DataFrame, density: float | None) -> int:
    cov, dens = trajectory["coverage"].to_numpy(), trajectory["density"].to_numpy()
    if density is None:
        return int(np.argmax(2 * cov * dens / np.maximum(cov + dens, 1e-12)))
    reached = np.flatnonzero(dens >= density)
    return int(reached[0]) if len(reached) else int(np.argmax(dens))


def _box(lims: pd.DataFrame, full: pd.DataFrame, coverage, density, mass, n: int) -> Box:
    rows = []
    for name in lims.columns:
        low, high = float(lims[name].iloc[0]), float(lims[name].iloc[1])
        full_low, full_high = float(full[name].iloc[0]), float(full[name].iloc[1])
        if low > full_low or high < full_high:
            rows.append({"input": name, "low": low, "high": high, "full_low": full_low,
                         "full_high": full_high})
    limits = (pd.DataFrame(rows) if rows else
              pd.DataFrame(columns=["input", "low", "high", "full_low", "full_high"]))
    limits = limits.set_index("input")
    return Box(limits, float(coverage), float(density), float(mass), round(float(mass) * n))


def _p_values(box, i: int) -> dict[str, float]:
    """The quasi-p value of each restriction (Bryant & Lempert 2010): could the restriction be
    chance? EMA Workbench keeps one per side of each input; the weaker (larger) is given."""
    out = {}
    for name, sides in (box.p_values[i] if i < len(box.p_values) else {}).items():
        restricted = [float(p) for p in np.atleast_1d(sides) if p >= 0]   # -1: side not cut
        out[str(name)] = max(restricted) if restricted else float("nan")
    return out


class _quiet:
    """EMA Workbench logs every peel and warns about optional packages: keep the command's
    output to what it says itself."""

    def __enter__(self):
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.simplefilter("ignore")
        self._level = logging.getLogger("EMA").level
        logging.getLogger("EMA").setLevel(logging.ERROR)

    def __exit__(self, *exc):
        logging.getLogger("EMA").setLevel(self._level)
        self._warnings.__exit__(*exc)
