"""`pressure calibrate DIR` and `pressure validate DIR`: the calibration's two commands.

`model/cli.py` adds them with `add_commands(subparsers)` and runs them with `dispatch(args)`;
bad input raises `ScenarioError`, which the top-level CLI prints as one line with exit code 2.
"""

from __future__ import annotations

from pathlib import Path

RECORD = Path("docs/data/calibration_2017")
VALIDATION_DOC = Path("docs/validation.md")
VALIDATION_DATA = Path("docs/data/validation_2017.csv")


def add_commands(sub) -> None:
    calibrate = sub.add_parser(
        "calibrate", help="keep the design points of an experiment that meet the 2017 targets")
    calibrate.add_argument("folder", type=Path, help="experiment folder (pressure experiment)")
    calibrate.add_argument("--acceptance", type=float, default=1.0,
                           help="share of a point's replicates that must meet every target "
                                "(default 1: all)")
    calibrate.add_argument("--apply", action="store_true",
                           help="write the point estimate into the calibrated scenario file as "
                                "its defaults and copy the record to --record")
    calibrate.add_argument("--record", type=Path, default=RECORD, metavar="DIR",
                           help=f"where --apply keeps the calibration record (default {RECORD})")

    validate = sub.add_parser(
        "validate", help="run the accepted parameter sets again and write docs/validation.md",
        description="Posterior predictive check: run accepted parameter sets of a calibration "
                    "with fresh seeds, score every run against all 2017 patterns (used for "
                    "calibration and held out) and write the validation page.")
    validate.add_argument("folder", type=Path,
                          help="the calibration experiment's folder (after pressure calibrate)")
    validate.add_argument("--sets", type=int, default=1000,
                          help="accepted parameter sets to run, at most (default: all)")
    validate.add_argument("--replicates", type=int, default=3, help="runs per set (default 3)")
    validate.add_argument("--users", type=int, default=10000, help="users (default 10000)")
    validate.add_argument("--seed", type=int, default=20171019, help="root seed")
    validate.add_argument("--workers", type=int, help="local worker processes (default: all)")
    validate.add_argument("--experiment", type=Path,
                          default=Path("experiments/validation_2017.toml"),
                          help="where to write the generated experiment file")
    validate.add_argument("--out", type=Path, default=Path("results/validation_2017"),
                          help="results folder of the validation runs")
    validate.add_argument("--doc", type=Path, default=VALIDATION_DOC,
                          help=f"the page to write (default {VALIDATION_DOC})")
    validate.add_argument("--data", type=Path, default=VALIDATION_DATA,
                          help=f"its per-run table (default {VALIDATION_DATA})")


def dispatch(args) -> int:
    return _calibrate(args) if args.command == "calibrate" else _validate(args)


def _calibrate(args) -> int:
    from .abc import calibrate, write

    result = calibrate(args.folder, args.acceptance)
    files = write(result, args.folder / "calibration")
    s = result.summary
    print(f"{s['experiment']}: {s['accepted_points']} of {s['points']} design points accepted "
          f"({s['runs']} runs; a point needs {s['acceptance']:.0%} of its replicates inside "
          "every target)\n")
    print(result.posterior.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    if args.apply:
        from .defaults import apply

        scenario = Path(s["scenario_file"] or "")
        files += [apply(args.folder / "calibration", scenario, args.record), args.record]
    print("\nwrote:")
    for path in files:
        print(f"  {path}")
    return 0


def _validate(args) -> int:
    from ..batch.engine import run_in_folder
    from ..batch.experiment import load_experiment
    from ..config.errors import ScenarioError
    from . import validation

    for flag in ("sets", "replicates", "users"):
        if getattr(args, flag) < 1:
            raise ScenarioError(f"--{flag}", None, "a whole number >= 1", getattr(args, flag))
    calibration_dir = args.folder / "calibration"
    path = validation.write_experiment(calibration_dir, args.experiment, args.sets,
                                       args.replicates, args.users, args.seed)
    outcome = run_in_folder(load_experiment(path), args.out, args.workers)
    if outcome.failed:
        print(f"pressure validate: {outcome.failed} of {outcome.total} runs failed; see "
              f"{outcome.folder}/manifest.json", flush=True)
        return 1
    runs, meta = validation.score(args.out, calibration_dir)
    files = validation.write_page(runs, meta, args.doc, args.data)
    print(f"validation: {len(runs)} runs of {meta['sets']} accepted parameter sets; wrote")
    for f in (path, *files):
        print(f"  {f}")
    return 0
