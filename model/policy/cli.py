"""`pressure discover`, `pressure robust` and `pressure query`: policy questions put to
experiments.

`model/cli.py` calls `add_commands(subparsers)` while building its parser and `dispatch(args)`
for these commands; the analysis libraries (EMA Workbench, DuckDB) are imported only when one
runs, so `pressure --help` stays instant.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..batch.cli import positive_int


def add_commands(subparsers) -> None:
    dis = subparsers.add_parser(
        "discover", help="scenario discovery: which inputs give runs with an outcome above or "
                         "below a threshold (PRIM boxes, CART leaves)",
        description="PRIM (with its peeling trajectory) and CART on a finished sampled "
                    "experiment (lhs, sobol or morris over levers and uncertain parameters): "
                    "which region of the design's inputs holds the runs of interest. Writes "
                    "discovery.md, tables and figures.")
    dis.add_argument("folder", type=Path, metavar="DIR", help="an experiment results folder")
    dis.add_argument("--outcome", required=True, metavar="NAME",
                     help="a column of the summary table, e.g. vpn_availability_mean")
    side = dis.add_mutually_exclusive_group(required=True)
    side.add_argument("--above", type=float, metavar="X", help="runs of interest: outcome > X")
    side.add_argument("--below", type=float, metavar="X", help="runs of interest: outcome < X")
    dis.add_argument("--density", type=_share, metavar="D",
                     help="read the largest box whose density reaches D (default: the box "
                          "with the best balance of coverage and density)")
    dis.add_argument("--scenario", metavar="NAME",
                     help="the scenario whose runs to use, when the experiment has several")
    dis.add_argument("--out", type=Path, metavar="DIR",
                     help="where to write (default DIR/discovery/<outcome>-<above|below>-<X>)")

    rob = subparsers.add_parser(
        "robust", help="policies compared across the calibration's posterior: outcome, regret, "
                       "share of sets in which each is best",
        description="Run each policy (scenario) with each of a number of parameter sets drawn "
                    "from the calibration's posterior, with common random numbers; a policy's "
                    "own levers keep its values. Writes robust.md, tables and a figure; "
                    "resumable.")
    rob.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                     help="the policies: scenario files or shipped names; the first is the "
                          "reference")
    rob.add_argument("--outcome", required=True, metavar="NAME",
                     help="e.g. vpn_availability_mean")
    rob.add_argument("--better", choices=("higher", "lower"), default="higher",
                     help="which direction of the outcome is better (default higher)")
    rob.add_argument("--calibration", type=Path, default=SHIPPED_CALIBRATION, metavar="DIR",
                     help="the calibration record (default: the shipped one, "
                          "docs/data/calibration_2017)")
    rob.add_argument("--sets", type=positive_int, default=20, metavar="N",
                     help="posterior sets (default 20)")
    rob.add_argument("--replicates", type=positive_int, default=2, metavar="N",
                     help="runs per policy and set (default 2)")
    rob.add_argument("--users", type=positive_int, default=2000, metavar="N",
                     help="users in every run (default 2000)")
    rob.add_argument("--seed", type=int, default=1, help="root seed (default 1)")
    rob.add_argument("--workers", type=positive_int, metavar="N",
                     help="local worker processes (default: all cores)")
    rob.add_argument("--scheduler", metavar="HOST:PORT", help="run on this Dask scheduler")
    rob.add_argument("--out", type=Path, metavar="DIR",
                     help="results folder (default results/robust-<outcome>-<policies>)")
    rob.add_argument("--quiet", action="store_true", help="no progress bars")

    qry = subparsers.add_parser(
        "query", help="SQL over an experiment folder's tables (DuckDB)",
        description="Run one SQL query (DuckDB) over the views summary, timeseries, long, "
                    "design and runs of a finished experiment folder; prints the result.")
    qry.add_argument("folder", type=Path, metavar="DIR", help="an experiment results folder")
    qry.add_argument("sql", metavar="SQL", help='e.g. "SELECT point, avg(vpn_use_mean) FROM '
                                                'summary GROUP BY point"')
    qry.add_argument("--format", choices=("table", "csv", "markdown"), default="table",
                     help="how to print the result (default table)")


NEEDS = {"discover": ("ema_workbench", "sklearn"), "query": ("duckdb",), "robust": ()}
SHIPPED_CALIBRATION = Path(__file__).resolve().parents[2] / "docs" / "data" / "calibration_2017"


def dispatch(args: argparse.Namespace) -> int:
    import importlib.util

    from ..exits import INTERNAL_ERROR

    missing = [m for m in NEEDS[args.command] if importlib.util.find_spec(m) is None]
    if missing:
        print(f"pressure {args.command}: error: this command needs the analysis extra "
              f"({missing[0]} is missing): pip install -e '.[analysis]'", file=sys.stderr)
        return INTERNAL_ERROR
    match args.command:
        case "discover":
            from .discovery_page import run_discovery

            page = run_discovery(args.folder, args.outcome, above=args.above,
                                 below=args.below, density=args.density,
                                 scenario=args.scenario, out=args.out)
            print(f"wrote {page} (tables and figures beside it)")
            return 0
        case "robust":
            from . import robust

            out = args.out or Path("results") / "-".join(["robust", args.outcome,
                                                          *(Path(s).stem for s in args.scenarios)])
            page = robust.run(args.scenarios, args.outcome, args.better, args.calibration,
                              args.sets, args.replicates, args.users, args.seed, out,
                              workers=args.workers, scheduler=args.scheduler, quiet=args.quiet)
            print(f"wrote {page} (tables and figure beside it; runs in {out / 'runs'}/)")
            return 0
        case "query":
            from .query import query

            result = query(args.folder, args.sql)
            if args.format == "csv":
                result.to_csv(sys.stdout, index=False)
            elif args.format == "markdown":
                print(_markdown(result))
            else:
                print(result.to_string(index=False) if len(result.columns) else "(no columns)")
            return 0
    raise ValueError(f"not a policy command: {args.command!r}")


def _markdown(table) -> str:
    head = "| " + " | ".join(map(str, table.columns)) + " |"
    rule = "|" + "---|" * len(table.columns)
    rows = ["| " + " | ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in row)
            + " |" for row in table.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"expected a share in (0, 1], got {text!r}")
    return value
