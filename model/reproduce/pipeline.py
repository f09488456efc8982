"""`pressure reproduce`: calibration, validation, sensitivity and policy results in one go.

Each step runs experiment files through the batch engine (so every run is kept, seeded and
recorded in a manifest) and writes its page from the results:

1. calibration  experiments/calibration_2017.toml -> ABC-SMC on the moments, then parameter
                recovery on synthetic data -> defaults of baseline.toml (shared behaviour)
                and china_2017.toml (the 2017 case)
2. validation   posterior draws again, fresh seeds, with the held-out 2017 patterns and the
                other countries' packs -> docs/validation.md
3. sensitivity  Morris over every uncertain parameter (experiments/sensitivity.toml), then Sobol
                on the most influential (experiments/sensitivity_sobol.toml, written here)
                -> docs/sensitivity.md
4. results      experiments/intensity_sweep.toml and experiments/counterfactuals.toml, on the
                calibrated scenario -> docs/results.md

At full size the checkout itself is the workspace: its scenarios, experiments and docs are
rewritten. At reduced size the scenarios and experiments are copied into the results folder and
everything is written there, so a check never touches the shipped files. Steps run from the
checkout's root so that every path recorded in a manifest or page is relative to it.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..batch.engine import run_in_folder
from ..batch.experiment import load_experiment
from ..config.errors import ScenarioError
from .sizes import Size

ROOT = Path(__file__).resolve().parents[2]
STEPS = ("calibration", "validation", "sensitivity", "results")
VALIDATION_SEED = 20171019


@dataclass
class Context:
    size: Size
    root: Path                  # holds scenarios/, experiments/, docs/ (relative to ROOT)
    results: Path               # experiment folders
    workers: int | None = None
    quiet: bool = False
    scheduler: str | None = None      # a Dask scheduler's address: run there
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def scenarios(self) -> Path:
        return self.root / "scenarios"

    @property
    def experiments(self) -> Path:
        return self.root / "experiments"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def data(self) -> Path:
        return self.docs / "data"            # the tables the pages are written from

    @property
    def figures(self) -> Path:
        return self.docs / "figures"

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    def run(self, experiment: Path, name: str, sets: list[str]) -> Path:
        folder = self.results / name
        outcome = run_in_folder(load_experiment(experiment, sets), folder, self.workers,
                                self.scheduler, quiet=self.quiet)
        if outcome.failed:
            raise ScenarioError(str(folder), None, f"every run to finish ({outcome.failed} "
                                "failed; see manifest.json, then rerun with --resume)")
        return folder


def context(size: Size, workers: int | None, quiet: bool, resume: bool,
            workspace: Path | None = None, scheduler: str | None = None) -> Context:
    """The workspace for `size` (fresh unless resuming), relative to the current directory,
    which must be the checkout's root."""
    results = workspace or Path("results") / f"reproduce-{size.name}"
    if results.exists() and not resume:
        shutil.rmtree(results)
    if size.name == "full":
        return Context(size, Path("."), results, workers, quiet, scheduler=scheduler)
    for part in ("scenarios", "experiments"):
        if not (results / part).exists():
            shutil.copytree(part, results / part)
    return Context(size, results, results / "runs", workers, quiet, scheduler=scheduler)


def reproduce(ctx: Context, steps: tuple[str, ...] = STEPS) -> dict[str, float]:
    """Run the steps in order; returns each step's wall time in seconds."""
    from . import steps as step_functions

    functions: dict[str, Callable[[Context], list[Path]]] = {
        "calibration": step_functions.calibration, "validation": step_functions.validation,
        "sensitivity": step_functions.sensitivity, "results": step_functions.results}
    for name in STEPS:
        if name not in steps:
            continue
        ctx.say(f"== {name} ({ctx.size.name} size)")
        start = time.perf_counter()
        written = functions[name](ctx)
        ctx.timings[name] = time.perf_counter() - start
        ctx.say(f"   {name}: {ctx.timings[name] / 60:.1f} min; wrote "
                + ", ".join(str(p) for p in written))
    ctx.results.mkdir(parents=True, exist_ok=True)
    record = ctx.results / "timings.json"
    earlier = json.loads(record.read_text()) if record.exists() else {}
    record.write_text(json.dumps({**earlier, **ctx.timings}, indent=2) + "\n")
    return ctx.timings
