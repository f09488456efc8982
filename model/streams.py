"""Random streams: one per decision, spawned from the run's seed by the decision's name.

Every stochastic submodel draws from its own stream, so a counterfactual that changes one
mechanism leaves the draws of every other mechanism as they were (common random numbers at the
level of each decision, as Starsim does). Three kinds of draw:

- `generator(name)`: a sequential numpy Generator for decisions made by a few agents (audits,
  compliance, exits); spawned from the run's `SeedSequence` with a key derived from `name`, so
  adding a stream never shifts another.
- `uniform(name, day, n)`: one uniform per slot 0..n-1 for day `day`, from a fresh Generator
  keyed by (name, day): slot i gets the same number whatever else happened in the run. Used for
  decisions drawn over (almost) every user.
- `uniform_at(name, day, idx)`: uniforms for the slots `idx` only, from a counter-based hash
  (splitmix64) of (stream key, day, slot): cheap for small subsets, and again slot i's number
  does not depend on which other slots draw.

`SharedStream` offers the same interface from one sequential generator (what the first model
did); it exists so that the variance reduction of per-decision streams can be measured
(`random_streams = "shared"`, docs/experiments.md).
"""

from __future__ import annotations

import zlib

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_UNIT = 1.0 / 2.0**53


def seed_sequence(rng) -> np.random.SeedSequence:
    """The run's SeedSequence from what a Mesa model is given as `rng` (an int, a
    SeedSequence, a Generator or None)."""
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, np.random.Generator):
        return np.random.SeedSequence(int(rng.integers(2**63)))
    if rng is None:
        return np.random.SeedSequence()
    return np.random.SeedSequence(int(rng))


def stream_key(name: str) -> int:
    """A stable 32-bit key for a stream name (the same on every machine and run)."""
    return zlib.crc32(name.encode("utf-8"))


_GOLDEN_INT, _MASK = 0x9E3779B97F4A7C15, 2**64 - 1


def _mix_int(x: int) -> int:
    """splitmix64's finalizer on a Python int (the per-stream, per-day key)."""
    x &= _MASK
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _MASK
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer, vectorized (uint64 arithmetic wraps, as it should)."""
    x = x.copy()
    x ^= x >> _S30
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


class Streams:
    """Per-decision random streams of one run."""

    shared = False

    def __init__(self, rng=None) -> None:
        self.root = seed_sequence(rng)
        self._generators: dict[str, np.random.Generator] = {}
        self._base = int(self.root.generate_state(1, dtype=np.uint64)[0])

    def _child(self, *key: int) -> np.random.SeedSequence:
        return np.random.SeedSequence(self.root.entropy,
                                      spawn_key=(*self.root.spawn_key, *key))

    def generator(self, name: str) -> np.random.Generator:
        """The sequential stream of decision `name` (created on first use)."""
        gen = self._generators.get(name)
        if gen is None:
            gen = self._generators[name] = np.random.default_rng(self._child(stream_key(name)))
        return gen

    def uniform(self, name: str, day: int, n: int) -> np.ndarray:
        """n uniforms in [0, 1) for slots 0..n-1 on `day` (float32: probabilities here are
        never below 1e-6)."""
        gen = np.random.default_rng(self._child(stream_key(name), (day + 1) % 2**63))
        return gen.random(n, dtype=np.float32)

    def uniform_at(self, name: str, day: int, idx: np.ndarray) -> np.ndarray:
        """Uniforms in (0, 1) for the slots `idx` on `day`, each a pure function of (run,
        name, day, slot)."""
        key = _mix_int(self._base ^ stream_key(name) ^ (((day + 1) * _GOLDEN_INT) & _MASK))
        with np.errstate(over="ignore"):
            x = _mix(np.asarray(idx, dtype=np.uint64) * _GOLDEN + np.uint64(key))
        return ((x >> _S11).astype(np.float64) + 0.5) * _UNIT

    def uniform_columns(self, names: list[str], day: int, idx: np.ndarray) -> np.ndarray:
        """(slots, names): column j holds `uniform_at(names[j], day, idx)`, computed at once."""
        keys = np.array([_mix_int(self._base ^ stream_key(nm) ^ (((day + 1) * _GOLDEN_INT)
                                                                  & _MASK)) for nm in names],
                        dtype=np.uint64)
        with np.errstate(over="ignore"):
            x = _mix(np.asarray(idx, dtype=np.uint64)[:, None] * _GOLDEN + keys[None, :])
        return ((x >> _S11).astype(np.float64) + 0.5) * _UNIT

    # --- transforms of uniforms, for readability at the call sites ----------------------------
    def geometric_at(self, name: str, day: int, idx: np.ndarray, rate: float) -> np.ndarray:
        """Waiting times in days (1, 2, ...) of a daily event of chance `rate`: drawing the
        day an event happens once is the same as a daily coin, and cheaper. No event: a
        time beyond any horizon."""
        if rate <= 0.0:
            return np.full(np.asarray(idx).size, 2**30, dtype=np.int64)
        if rate >= 1.0:
            return np.ones(np.asarray(idx).size, dtype=np.int64)
        u = self.uniform_at(name, day, idx)
        return np.minimum(np.ceil(np.log(u) / np.log1p(-rate)), 2**30).astype(np.int64)


    def gumbel_at(self, name: str, day: int, idx: np.ndarray) -> np.ndarray:
        return -np.log(-np.log(self.uniform_at(name, day, idx)))

    def logistic_at(self, name: str, day: int, idx: np.ndarray, scale: float) -> np.ndarray:
        u = self.uniform_at(name, day, idx)
        return scale * np.log(u / (1.0 - u))


class SharedStream(Streams):
    """The same interface, every draw from one sequential generator in call order: a change
    anywhere shifts every later draw (the first model's behaviour, kept for comparison)."""

    shared = True

    def __init__(self, rng=None) -> None:
        super().__init__(rng)
        self._rng = np.random.default_rng(self._child(0))

    def generator(self, name: str) -> np.random.Generator:
        return self._rng

    def uniform(self, name: str, day: int, n: int) -> np.ndarray:
        return self._rng.random(n, dtype=np.float32)

    def uniform_at(self, name: str, day: int, idx: np.ndarray) -> np.ndarray:
        u = self._rng.random(np.asarray(idx).size)
        return np.where(u > 0.0, u, 0.5 * _UNIT)

    def uniform_columns(self, names: list[str], day: int, idx: np.ndarray) -> np.ndarray:
        u = self._rng.random((np.asarray(idx).size, len(names)))
        return np.where(u > 0.0, u, 0.5 * _UNIT)


def make_streams(rng, kind: str = "per_decision") -> Streams:
    match kind:
        case "per_decision":
            return Streams(rng)
        case "shared":
            return SharedStream(rng)
        case _:
            raise ValueError(f"unknown random_streams {kind!r}")
