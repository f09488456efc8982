"""Every run's seed, derived from the experiment's root seed with numpy's `SeedSequence`.

A seed is a pure function of (root seed, replicate) — and, without common random numbers, of the
scenario and design point too — never of a counter or of the order runs are handed out. So a run
gets the same seed serially, in a local process pool or on a Dask worker, and adding replicates
or points later leaves the seeds of the existing runs unchanged.

With common random numbers (the default), replicate k of every scenario and design point uses
the same seed: differences between scenarios are then not blurred by different random draws,
which is what makes the paired comparisons in the report sharp.

The two uses of the root seed live on separate branches of its spawn tree, so the design's
random sample never shares a stream with a run:

    SeedSequence(root, spawn_key=(0, k))             run seeds, replicate k (common random numbers)
    SeedSequence(root, spawn_key=(0, k, s + 1, p))   run seeds without common random numbers
    SeedSequence(root, spawn_key=(1,))               the sampled design (lhs, morris, sobol)
"""

from __future__ import annotations

import numpy as np

_RUNS, _DESIGN = 0, 1


def run_seed(root: int, replicate: int, scenario: int = 0, point: int = 0,
             common_random_numbers: bool = True) -> int:
    """The seed of one run: 63 bits, so it fits a signed 64-bit column in Parquet, R or SQL."""
    key = (_RUNS, replicate) if common_random_numbers else (_RUNS, replicate, scenario + 1, point)
    return _int63(np.random.SeedSequence(root, spawn_key=key))


def design_seed(root: int) -> int:
    """The seed of the sampled design (for scipy's Latin hypercube and SALib's samplers)."""
    return _int63(np.random.SeedSequence(root, spawn_key=(_DESIGN,)))


def _int63(seq: np.random.SeedSequence) -> int:
    return int(seq.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
