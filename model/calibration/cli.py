"""`pressure calibrate FILE` and `pressure validate DIR`: the calibration's two commands.

`model/cli.py` adds them with `add_commands(subparsers)` and runs them with `dispatch(args)`;
bad input raises `ScenarioError`, which the top-level CLI prints as one line with exit code 2.
"""

from __future__ import annotations

from pathlib import Path

RECORD = Path("docs/data/calibration_2017")
DATA = Path("docs/data")
VALIDATION_DOC = Path("docs/validation.md")


def add_commands(sub) -> None:
    calibrate = sub.add_parser(
        "calibrate", help="fit the moments by ABC-SMC (or recover a known parameter set)",
        description="ABC-SMC on the documented moments of a calibration file "
                    "(experiments/calibration_2017.toml). A stopped calibration resumes: run "
                    "the same command again.")
    calibrate.add_argument("file", type=Path, help="calibration file (TOML)")
    calibrate.add_argument("--set", dest="sets", action="append", default=[],
                           metavar="KEY=VALUE",
                           help="override a number of the file (particles, keep, "
                                "min_acceptance, max_generations, replicates, users, seed)")
    calibrate.add_argument("--out", type=Path, help="output folder (default results/<name>, "
                                                    "or results/<name>-recovery)")
    calibrate.add_argument("--workers", type=int, help="local worker processes (default: all)")
    calibrate.add_argument("--scheduler", metavar="HOST:PORT",
                           help="run on this Dask scheduler instead of local processes")
    calibrate.add_argument("--recover", action="store_true",
                           help="calibrate to synthetic data made at a known parameter set "
                                "(40%% up each prior range) and say which parameters come back")
    calibrate.add_argument("--apply", action="store_true",
                           help="write the point estimate into the scenario files as their "
                                "defaults and copy the record to --record")
    calibrate.add_argument("--record", type=Path, default=RECORD, metavar="DIR",
                           help=f"where --apply keeps the calibration record (default {RECORD})")
    calibrate.add_argument("--quiet", action="store_true", help="no progress bars")

    validate = sub.add_parser(
        "validate", help="posterior predictive runs and docs/validation.md",
        description="Draw parameter sets from a calibration's posterior, run them with fresh "
                    "seeds on the calibration's cases, the held-out 2017 patterns and the "
                    "other countries' packs, and write the validation page.")
    validate.add_argument("folder", type=Path, help="the calibration's output folder")
    validate.add_argument("--recovery", type=Path, required=True, metavar="DIR",
                          help="the output folder of `pressure calibrate FILE --recover`")
    validate.add_argument("--sets", type=int, default=40, help="posterior draws (default 40)")
    validate.add_argument("--replicates", type=int, default=2, help="runs per draw (default 2)")
    validate.add_argument("--users", type=int, default=5000, help="users (default 5000)")
    validate.add_argument("--seed", type=int, default=20171019, help="root seed")
    validate.add_argument("--workers", type=int, help="local worker processes (default: all)")
    validate.add_argument("--scheduler", metavar="HOST:PORT", help="a Dask scheduler")
    validate.add_argument("--out", type=Path, default=Path("results/validation"),
                          help="results folder of the validation runs")
    validate.add_argument("--doc", type=Path, default=VALIDATION_DOC,
                          help=f"the page to write (default {VALIDATION_DOC})")
    validate.add_argument("--data", type=Path, default=DATA,
                          help=f"where the page's tables go (default {DATA})")
    validate.add_argument("--quiet", action="store_true", help="no progress bars")


def dispatch(args) -> int:
    return _calibrate(args) if args.command == "calibrate" else _validate(args)


def _check_counts(args, flags) -> None:
    from ..config.errors import ScenarioError

    for flag in flags:
        value = getattr(args, flag, None)
        if value is not None and value < 1:
            raise ScenarioError(f"--{flag}", None, "a whole number >= 1", value)


def _calibrate(args) -> int:
    from ..batch.experiment import parse_sets
    from ..config.errors import ScenarioError
    from . import config, fit, recovery

    _check_counts(args, ("workers",))
    if args.apply and args.recover:
        raise ScenarioError("--apply", None, "a calibration to the record (not with --recover)")
    overrides = {k.removeprefix("settings."): v for k, v in parse_sets(args.sets).items()}
    cfg = config.load(args.file, overrides)
    out = args.out or Path("results") / (cfg.name + ("-recovery" if args.recover else ""))
    say = (lambda text: None) if args.quiet else (lambda text: print(text, flush=True))
    if args.recover:
        result, table = recovery.recover(cfg, out, None, args.workers, args.scheduler,
                                         args.quiet, say)
        files = recovery.write(result, table, out)
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    else:
        result = fit.calibrate(cfg, out, args.workers, args.scheduler, args.quiet, None, say)
        files = fit.write(result, out)
        print(result.parameters.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    if args.apply:
        from .defaults import apply

        files += [*apply(out, args.record), args.record]
    print("\nwrote:")
    for path in files:
        print(f"  {path}")
    return 0


def _validate(args) -> int:
    import json

    from ..config.errors import ScenarioError
    from . import config, validation

    _check_counts(args, ("sets", "replicates", "users", "workers"))
    summary_path = args.folder / "calibration.json"
    if not summary_path.is_file():
        raise ScenarioError(str(summary_path), None, "the output of `pressure calibrate`")
    if not (args.recovery / "recovery.json").is_file():
        raise ScenarioError(str(args.recovery / "recovery.json"), None,
                            "the output of `pressure calibrate FILE --recover`")
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    cfg = config.load(Path(summary["source"]))
    observations = validation.observations()
    runs, meta = validation.run(cfg, args.folder, args.out, args.sets, args.replicates,
                                args.users, args.seed, observations, args.workers,
                                args.scheduler, args.quiet)
    written = validation.publish(runs, meta, args.folder, args.recovery, args.data, args.doc,
                                 observations)
    print(f"validation: {meta['sets']} posterior draws x {meta['replicates']} replicates; wrote")
    for f in written:
        print(f"  {f}")
    return 0
