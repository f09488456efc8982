"""ABC-SMC by adaptive population Monte Carlo (Lenormand, Jabot & Deffuant 2013).

Why this sampler: each generation is a batch of parameter sets known before any is run, so a
generation is one experiment of the project's batch engine (resume, manifests, all cores or a
Dask cluster), and the tolerance adapts by itself. pyabc's samplers draw particles one at a
time inside their own process pool and database, which would bypass all of that.

Generation 0 draws `particles` sets from the prior (a Latin hypercube over uniform ranges, on a
log scale for the rates whose prior is log-uniform: every step below works on that scale); the
`keep` share closest to the data survives and its distance quantile is the tolerance. Each
later generation proposes the rest anew from the survivors (a weighted draw moved by a Gaussian
kernel with twice their weighted covariance, redrawn until inside the prior), weights them by
prior / kernel mixture, and keeps the closest `keep` share of old and new together. It stops
when fewer than `min_acceptance` of the new sets beat the previous tolerance, or after
`max_generations`. The posterior is the last survivors with their weights.

Every generation's proposals, simulated moments and survivors are files in the output folder:
a stopped calibration resumes from the last finished generation, with the same random draws.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import multivariate_normal, qmc


@dataclass(frozen=True)
class Prior:
    """Independent priors, each uniform on its working scale: the value itself, or its log10
    where `log` is set (log-uniform: every order of magnitude of a rate equally likely)."""

    names: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray
    log: np.ndarray | None = None          # per parameter: log-uniform?

    @property
    def is_log(self) -> np.ndarray:
        return np.zeros(len(self.names), bool) if self.log is None else np.asarray(self.log)

    def to_work(self, x: np.ndarray) -> np.ndarray:
        """Values on the working scale (the one the prior is uniform on)."""
        x = np.asarray(x, float)
        return np.where(self.is_log, np.log10(np.where(self.is_log, x, 1.0)), x)

    def from_work(self, z: np.ndarray) -> np.ndarray:
        z = np.asarray(z, float)
        return np.where(self.is_log, 10.0 ** np.where(self.is_log, z, 0.0), z)

    def column_from_work(self, i: int, z) -> np.ndarray:
        """Values of parameter i on the working scale, back on the parameter's own."""
        z = np.asarray(z, float)
        return 10.0 ** z if self.is_log[i] else z

    @property
    def width(self) -> np.ndarray:
        """Each prior's width on its working scale."""
        return self.to_work(self.high) - self.to_work(self.low)

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        unit = qmc.LatinHypercube(d=len(self.names), rng=rng).random(n)
        return self.from_work(qmc.scale(unit, self.to_work(self.low), self.to_work(self.high)))

    def contains(self, x: np.ndarray) -> np.ndarray:
        return np.all((x >= self.low) & (x <= self.high), axis=-1)


@dataclass(frozen=True)
class Settings:
    particles: int
    keep: float
    min_acceptance: float
    max_generations: int
    seed: int


Simulate = Callable[[int, np.ndarray], np.ndarray]
"""(generation, parameter sets) -> each set's distance from the data."""


def run(prior: Prior, settings: Settings, simulate: Simulate, folder: Path,
        say: Callable[[str], None] = lambda text: None) -> pd.DataFrame:
    """The posterior: the last generation's survivors, columns = parameters, `weight`
    (summing to 1) and `distance`. Generations already in `folder` are not run again."""
    n_keep = max(2, int(settings.keep * settings.particles))
    population, tolerance, generation, accepted = _resume(folder, prior)
    stopped = generation > 1 and accepted < settings.min_acceptance   # it had ended
    while generation < settings.max_generations and not stopped:
        rng = np.random.default_rng([settings.seed, generation])
        if population is None:
            theta = prior.sample(settings.particles, rng)
            weight = np.ones(len(theta))
        else:
            theta, weight = _propose(population, prior, settings.particles - n_keep, rng)
        distance = simulate(generation, theta)
        new = _frame(prior, theta, weight, distance, generation)
        accepted = (1.0 if tolerance is None
                    else float(np.mean(distance <= tolerance)))
        pool = new if population is None else pd.concat([population, new], ignore_index=True)
        pool = pool.sort_values("distance", kind="stable").reset_index(drop=True)
        population = pool.iloc[:n_keep].reset_index(drop=True)
        tolerance = float(population["distance"].iloc[-1])
        _save(folder, generation, new, population, tolerance, accepted)
        say(f"   generation {generation}: tolerance {tolerance:.3g}, "
            f"{accepted:.0%} of new sets within the previous one")
        generation += 1
        stopped = generation > 1 and accepted < settings.min_acceptance
    population = population.copy()
    population["weight"] = population["weight"] / population["weight"].sum()
    return population


def _propose(population: pd.DataFrame, prior: Prior, n: int, rng: np.random.Generator
             ) -> tuple[np.ndarray, np.ndarray]:
    names = list(prior.names)
    old = prior.to_work(population[names].to_numpy(float))    # the prior's uniform scale
    w = population["weight"].to_numpy(float)
    w = w / w.sum()
    cov = _kernel_covariance(old, w, prior.width)
    low, high = prior.to_work(prior.low), prior.to_work(prior.high)
    work = np.empty((n, len(names)))
    for i in range(n):
        while True:
            z = rng.multivariate_normal(old[rng.choice(len(old), p=w)], cov)
            if np.all((z >= low) & (z <= high)):
                work[i] = z
                break
    kernel = np.column_stack([multivariate_normal(mean=o, cov=cov).pdf(work) for o in old])
    density = 1.0 / float(np.prod(prior.width))     # the prior's, as generation 0's weights
    weight = density / np.maximum(kernel.reshape(n, len(old)) @ w, 1e-300)
    return np.clip(prior.from_work(work), prior.low, prior.high), weight


def _kernel_covariance(old: np.ndarray, w: np.ndarray, width: np.ndarray) -> np.ndarray:
    """Twice the survivors' weighted covariance (Lenormand et al.); its diagonal alone when
    there are too few survivors for a full one, floored at a thousandth of each prior width."""
    floor = np.diag((1e-3 * width) ** 2)
    if len(old) > old.shape[1] + 1:
        cov = 2.0 * np.atleast_2d(np.cov(old, rowvar=False, aweights=w)) + floor
        try:
            np.linalg.cholesky(cov)
            return cov
        except np.linalg.LinAlgError:
            pass
    mean = np.average(old, axis=0, weights=w)
    return np.diag(2.0 * np.average((old - mean) ** 2, axis=0, weights=w)) + floor


def _frame(prior: Prior, theta, weight, distance, generation: int) -> pd.DataFrame:
    frame = pd.DataFrame(theta, columns=list(prior.names))
    frame["weight"], frame["distance"], frame["generation"] = weight, distance, generation
    frame["point"] = np.arange(len(frame))        # its point in the generation's experiments
    return frame


def _save(folder: Path, generation: int, new: pd.DataFrame, population: pd.DataFrame,
          tolerance: float, accepted: float) -> None:
    out = folder / f"generation_{generation:02d}"
    out.mkdir(parents=True, exist_ok=True)
    new.to_csv(out / "proposed.csv", index=False)
    population.to_csv(out / "population.csv", index=False)
    (out / "state.json").write_text(json.dumps({"tolerance": tolerance,
                                                "accepted": accepted}) + "\n")


def _resume(folder: Path, prior: Prior):
    """(population, tolerance, next generation, its acceptance) from the last finished
    generation saved."""
    done = sorted(folder.glob("generation_*/state.json"))
    if not done:
        return None, None, 0, 1.0
    last = done[-1].parent
    state = json.loads(done[-1].read_text())
    population = pd.read_csv(last / "population.csv")
    if list(population.columns[:len(prior.names)]) != list(prior.names):
        return None, None, 0, 1.0
    return (population, state["tolerance"], int(last.name.split("_")[1]) + 1,
            state["accepted"])


def generations(folder: Path) -> pd.DataFrame:
    """One row per generation: its tolerance and acceptance."""
    rows = []
    for state in sorted(folder.glob("generation_*/state.json")):
        rows.append({"generation": int(state.parent.name.split("_")[1]),
                     **json.loads(state.read_text())})
    return pd.DataFrame(rows)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    order = np.argsort(values)
    v, w = np.asarray(values, float)[order], np.asarray(weights, float)[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return float(np.interp(q, cum, v))
