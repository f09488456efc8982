"""`pressure reproduce [--size reduced|full] [--step NAME]...`."""

from __future__ import annotations

import os

from .pipeline import STEPS
from .sizes import SIZES


def add_commands(sub) -> None:
    p = sub.add_parser(
        "reproduce", help="calibration, validation, sensitivity and policy figures in one go",
        description="Run the calibration of the 2017 case, the validation report, the "
                    "sensitivity analysis and the policy results from scratch. --size full "
                    "rewrites the shipped defaults and pages (about 25 minutes on 2 cores); "
                    "--size reduced writes everything under results/reproduce-reduced/ "
                    "(a few minutes).")
    p.add_argument("--size", choices=sorted(SIZES), default="reduced",
                   help="reduced (default): a quick end-to-end check; full: the shipped sizes")
    p.add_argument("--step", dest="steps", action="append", choices=STEPS, metavar="STEP",
                   help=f"run only this step (repeatable; {', '.join(STEPS)}); later steps "
                        "read the results of earlier ones, so use with --resume")
    p.add_argument("--resume", action="store_true",
                   help="keep earlier results of this size (finished runs are not rerun)")
    p.add_argument("--workers", type=int, help="local worker processes (default: all cores)")
    p.add_argument("--scheduler", metavar="HOST:PORT",
                   help="run every step's runs on this Dask scheduler")
    p.add_argument("--quiet", action="store_true", help="no progress bars")


def dispatch(args) -> int:
    from ..config.errors import ScenarioError
    from .pipeline import ROOT, context, reproduce

    if args.workers is not None and args.workers < 1:
        raise ScenarioError("--workers", None, "a whole number >= 1", args.workers)
    steps = tuple(args.steps or STEPS)
    if args.steps and not args.resume and steps[0] != STEPS[0]:
        raise ScenarioError("--step", None, "--resume with a step after calibration (it reads "
                            "the earlier steps' results)", ",".join(steps))
    os.chdir(ROOT)                      # every recorded path is relative to the checkout
    ctx = context(SIZES[args.size], args.workers, args.quiet, args.resume,
                  scheduler=args.scheduler)
    timings = reproduce(ctx, steps)
    total = sum(timings.values())
    print(f"reproduce ({args.size}): " + ", ".join(f"{k} {v / 60:.1f} min"
                                                  for k, v in timings.items())
          + f"; total {total / 60:.1f} min")
    return 0
