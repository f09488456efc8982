"""Design points: the parameter values each run takes on top of its scenario.

- grid:   every combination of the listed values (first parameter varies slowest).
- list:   point i takes the i-th value of every parameter (arrays of one length).
- lhs:    a Latin hypercube (scipy.stats.qmc) of `samples` points over the ranges.
- morris: Morris trajectories (SALib), r x (D + 1) points, for elementary-effects screening.
- sobol:  Saltelli's extension of a Sobol' sequence (SALib), N x (D + 2) points, or
          N x (2D + 2) with second-order indices.

Sampled designs draw from `design_seed(root)`, so the same file gives the same points anywhere.
Integer parameters are rounded (and kept in range) when a point is run; `sample` keeps the
unrounded coordinates because SALib's analyses need the matrix it sampled.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import numpy as np

from ..config.parameters import BY_NAME
from .experiment import DesignSpec
from .seeds import design_seed


@dataclass(frozen=True)
class Design:
    """The points of a design, in order; point i is `points[i]`."""

    kind: str
    names: tuple[str, ...]
    points: tuple[dict[str, object], ...]
    sample: np.ndarray | None = None      # sampled designs: (points, parameters), unrounded
    ranges: tuple[tuple[float, float], ...] = ()   # sampled designs: (low, high) per parameter

    @property
    def problem(self) -> dict:
        """The SALib problem definition (sampled designs only)."""
        return salib_problem(self.names, self.ranges)


def build_design(spec: DesignSpec, root_seed: int) -> Design:
    """The design points for `spec`; sampled designs are seeded from `root_seed`."""
    names = tuple(spec.parameters)
    match spec.kind:
        case "grid":
            combos = itertools.product(*spec.parameters.values())
            return Design("grid", names, tuple(dict(zip(names, c)) for c in combos))
        case "list":
            columns = list(spec.parameters.values())
            n = len(columns[0]) if columns else 1
            return Design("list", names,
                          tuple({k: col[i] for k, col in zip(names, columns)} for i in range(n)))
        case "lhs" | "morris" | "sobol":
            ranges = tuple(spec.parameters.values())
            sample = _sample(spec, names, ranges, design_seed(root_seed))
            points = tuple(_typed(names, row) for row in sample)
            return Design(spec.kind, names, points, sample, ranges)
        case other:
            raise ValueError(f"unknown design kind {other!r}")


def salib_problem(names: tuple[str, ...], ranges: tuple[tuple[float, float], ...]) -> dict:
    return {"num_vars": len(names), "names": list(names),
            "bounds": [[float(lo), float(hi)] for lo, hi in ranges]}


def _sample(spec: DesignSpec, names, ranges, seed: int) -> np.ndarray:
    problem = salib_problem(names, ranges)
    with warnings.catch_warnings():            # SALib passes scipy's deprecated `seed=`
        warnings.simplefilter("ignore", DeprecationWarning)
        match spec.kind:
            case "lhs":
                from scipy.stats import qmc

                unit = qmc.LatinHypercube(d=len(names), rng=np.random.default_rng(seed)
                                          ).random(spec.samples)
                lows, highs = np.array(ranges, dtype=float).T
                return qmc.scale(unit, lows, highs)
            case "morris":
                from SALib.sample import morris

                return morris.sample(problem, spec.trajectories, num_levels=spec.levels,
                                     seed=seed)
            case "sobol":
                from SALib.sample import sobol

                return sobol.sample(problem, spec.samples, calc_second_order=spec.second_order,
                                    seed=seed)
    raise ValueError(f"not a sampled design: {spec.kind!r}")


def _typed(names: tuple[str, ...], row: np.ndarray) -> dict[str, object]:
    """One sampled row as parameter values: ints rounded and kept in range, floats as float."""
    out: dict[str, object] = {}
    for name, x in zip(names, row):
        param = BY_NAME[name]
        if param.kind is int:
            value = int(np.rint(x))
            value = max(value, int(param.low)) if param.low is not None else value
            out[name] = min(value, int(param.high)) if param.high is not None else value
        else:
            out[name] = float(x)
    return out
