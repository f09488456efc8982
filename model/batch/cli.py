"""`pressure experiment FILE` and `pressure report DIR`.

`add_commands(subparsers)` registers both on the top-level `pressure` parser and
`dispatch(args)` runs them; `main(argv)` is the same pair on a parser of its own
(`python -m model.batch experiment FILE`), inside the same `model.exits.guarded`. Heavy imports
wait until the arguments are parsed. Bad input (experiment file, flags, a folder holding another
experiment) is one line on stderr and exit code 2 with nothing written; failed runs give exit
code 1; Ctrl-C gives 130, SIGTERM 143, and the same command resumes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..exits import INTERNAL_ERROR, guarded



def add_commands(subparsers) -> None:
    """Add `experiment`, `merge`, `report` and `compare` to an argparse subparsers object."""
    exp = subparsers.add_parser(
        "experiment", help="run an experiment file: sweeps and replicates, resumable",
        description="Run every run of an experiment file on all cores (or a Dask cluster) into "
                    "results/<name>/; the same command resumes an interrupted experiment.")
    exp.add_argument("file", type=Path, help="experiment TOML file (see docs/experiments.md)")
    exp.add_argument("--workers", type=positive_int, metavar="N",
                     help="local worker processes (default: all cores; 1 runs in this process)")
    exp.add_argument("--scheduler", metavar="ADDRESS",
                     help="run on a Dask cluster: its scheduler's address (tcp://HOST:PORT) or "
                          "scheduler file (JSON)")
    exp.add_argument("--scheduler-timeout", type=positive_float, default=None,
                     metavar="SECONDS", help="how long the scheduler may take to answer "
                                             "(default 30)")
    exp.add_argument("--cluster", choices=("slurm", "pbs"),
                     help="submit Dask workers as SLURM or PBS jobs (dask-jobqueue), scaled to "
                          "the work up to --jobs")
    exp.add_argument("--jobs", type=positive_int, default=4, metavar="N",
                     help="with --cluster: at most N jobs at once (default 4)")
    exp.add_argument("--job-cores", type=positive_int, default=8, metavar="N",
                     help="with --cluster: single-threaded workers per job (default 8)")
    exp.add_argument("--job-memory", default="16GB", metavar="SIZE",
                     help="with --cluster: memory per job (default 16GB)")
    exp.add_argument("--walltime", default="02:00:00", metavar="HH:MM:SS",
                     help="with --cluster: time limit per job (default 02:00:00)")
    exp.add_argument("--queue", metavar="NAME", help="with --cluster: partition or queue")
    exp.add_argument("--account", metavar="NAME", help="with --cluster: account to charge")
    exp.add_argument("--job-prologue", action="append", default=[], metavar="LINE",
                     help="with --cluster: a shell line each job runs first, e.g. "
                          "'module load python' (repeatable)")
    exp.add_argument("--job-script", action="store_true",
                     help="with --cluster: print the batch script of one job and stop "
                          "(nothing is submitted or run)")
    exp.add_argument("--out", type=Path, metavar="DIR",
                     help="results folder (default results/<experiment name>)")
    exp.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                     help="override a key of the experiment file, e.g. --set replicates=2 "
                          "--set users=500 (a parameter name sets [settings]); repeatable")
    exp.add_argument("--shard", metavar="I/N",
                     help="run only the I-th of N equal shares of the runs (a job array's "
                          "task; default folder results/<name>-shard-IofN); `pressure merge` "
                          "joins the shards")
    exp.add_argument("--precision", type=positive_float, metavar="W",
                     help="add replicates in rounds until every contrast's 95%% interval is "
                          "narrower than W (paired differences from the reference, or each "
                          "point's mean); resumable; the manifest says why it stopped")
    exp.add_argument("--max-replicates", type=positive_int, default=100, metavar="N",
                     help="with --precision: stop at N replicates (default 100)")
    exp.add_argument("--storage", choices=("batched", "per-run"), default="batched",
                     help="how a new folder stores finished runs: a few Parquet part files "
                          "and a journal (batched, the default; fit for cluster file systems) "
                          "or two files per run (per-run); a folder keeps its own")
    exp.add_argument("--save-every", type=positive_float, default=None, metavar="SECONDS",
                     help="batched: write the runs finished so far to a new part at least this "
                          "often (default 30); a killed experiment redoes at most this much")
    exp.add_argument("--max-runs", type=positive_int, default=None, metavar="N",
                     help="allow up to N runs (default 100,000)")
    exp.add_argument("--skip-memory-check", action="store_true",
                     help="run even when the runs at once seem not to fit in this machine's "
                          "memory")
    _add_format(exp)
    exp.add_argument("--quiet", action="store_true", help="no progress bar (the one closing line still says where the "
                     "results are)")

    mrg = subparsers.add_parser(
        "merge", help="one experiment folder from the folders of its shards",
        description="Join the folders of every shard of one experiment (`pressure experiment "
                    "FILE --shard I/N`) into the folder an unsharded run would have written; "
                    "refuses shards of different experiments, missing or repeated shards and "
                    "unfinished ones.")
    mrg.add_argument("folders", type=Path, nargs="+", metavar="DIR", help="shard folders")
    mrg.add_argument("--out", type=Path, required=True, metavar="DIR",
                     help="the merged folder (new or empty)")

    rep = subparsers.add_parser(
        "report", help="tables, figures and report.md for an experiment folder",
        description="Write DIR/report/: report.md, figures (PNG) and tables (CSV, Markdown).")
    rep.add_argument("folder", type=Path, metavar="DIR", help="an experiment results folder")
    rep.add_argument("--partial", action="store_true",
                     help="report on the runs finished so far of an experiment not complete "
                          "(without it, such a folder is refused)")
    cmp = subparsers.add_parser("compare", help="paired runs of two or more scenarios: each one's mean "
                         "and its difference from the first, with 95%% intervals")
    cmp.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                     help="scenario files (relative to this folder) or shipped names; the first "
                          "is the reference")
    cmp.add_argument("--replicates", type=positive_int, default=10, metavar="N",
                     help="paired seeds per scenario (default 10)")
    cmp.add_argument("--users", type=positive_int, metavar="N", help="users in every run")
    cmp.add_argument("--days", type=positive_int, metavar="N", help="days in every run")
    cmp.add_argument("--seed", type=int, default=0, help="the first replicate's seed (default 0)")
    cmp.add_argument("--workers", type=positive_int, metavar="N",
                     help="local worker processes (default: all cores)")
    cmp.add_argument("--out", type=Path, metavar="DIR",
                     help="results folder (default results/compare-<scenarios>)")
    cmp.add_argument("--quiet", action="store_true", help="no progress bar")


def dispatch(args: argparse.Namespace) -> int:
    """Run the parsed `experiment` or `report` command; returns the exit code, raises on error
    (the caller's `guarded` reports it)."""
    match args.command:
        case "experiment":
            return _experiment(args)
        case "report":
            return _report(args)
        case "compare":
            return _compare(args)
        case "merge":
            return _merge(args)
    raise ValueError(f"not a batch command: {args.command!r}")


def build_parser(parser_class: type[argparse.ArgumentParser] | None = None):
    """A parser with just these two commands (for `python -m model.batch` and tests)."""
    if parser_class is None:
        from ..cli import _Parser as parser_class   # one-line usage errors, exit code 2
    parser = parser_class(prog="pressure", description="Experiments and their reports.")
    add_commands(parser.add_subparsers(dest="command", required=True,
                                       parser_class=parser_class))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return guarded(args.command, lambda: dispatch(args), resume_hint=args.command == "experiment")


def _add_format(parser) -> None:
    from ..outputs.csv_tables import FORMATS

    parser.add_argument("--format", choices=FORMATS, default="parquet",
                        help="csv: also write the tables as CSV beside the Parquet files "
                        "(default parquet only)")


def positive_int(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def positive_float(text: str) -> float:
    """argparse type: a finite number above 0 (seconds, a precision)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}")
    return value


def _experiment(args) -> int:
    from ..config.errors import ScenarioError
    from .experiment import load_experiment
    from .scheduler_address import resolve
    from .shards import Shard

    shard = Shard.parse(args.shard) if args.shard is not None else None
    experiment = load_experiment(args.file, args.sets)
    if args.cluster is not None:
        return _on_job_cluster(args, experiment, shard)
    cluster_only = [f for f, given in (("--job-script", args.job_script),
                                       ("--job-prologue", args.job_prologue)) if given]
    if cluster_only:
        raise ScenarioError(cluster_only[0], None, "--cluster slurm or --cluster pbs with it")
    scheduler = None
    if args.scheduler is not None:
        if args.workers is not None:
            raise ScenarioError("--workers", None, "either --workers or --scheduler, not both "
                                "(a Dask cluster has its own workers)")
        scheduler = resolve(args.scheduler)              # a bad address: one line, at once
    elif args.scheduler_timeout is not None:
        raise ScenarioError("--scheduler-timeout", None, "--scheduler with it")
    return _run_and_say(args, experiment, shard, scheduler)


def _on_job_cluster(args, experiment, shard) -> int:
    """`--cluster`: start the scheduler and its job submitter here, run, close it."""
    from ..config.errors import ScenarioError
    from . import job_cluster

    if args.scheduler is not None or args.workers is not None:
        raise ScenarioError("--cluster", None, "no --scheduler or --workers with it (the "
                            "cluster's jobs are the workers)")
    try:
        import dask_jobqueue  # noqa: F401
    except ImportError:
        print("pressure experiment: error: --cluster needs the cluster extra (dask_jobqueue "
              "is missing): pip install -e '.[cluster]'", file=sys.stderr)
        return INTERNAL_ERROR
    spec = job_cluster.JobSpec(args.cluster, args.jobs, args.job_cores, args.job_memory,
                               args.walltime, args.queue, args.account,
                               tuple(args.job_prologue))
    cluster = job_cluster.start(spec)
    try:
        if args.job_script:
            print(cluster.job_script())
            return 0
        job_cluster.scale(cluster, spec)
        return _run_and_say(args, experiment, shard, cluster.scheduler_address,
                            min_in_flight=2 * spec.threads)
    finally:
        cluster.close()


def _run_and_say(args, experiment, shard, scheduler, min_in_flight: int = 4) -> int:
    """Run (to a precision, if asked), then the one closing line."""
    from ..config.errors import ScenarioError
    from .engine import run_in_folder
    from .experiment import load_experiment
    from .limits import MAX_RUNS
    from .parts import SAVE_EVERY_S
    from .scheduler_address import DEFAULT_TIMEOUT_S
    from .storage import Storage

    storage = Storage(args.storage, args.save_every or SAVE_EVERY_S)

    def run(experiment, out):
        return run_in_folder(experiment, out, args.workers, scheduler, args.quiet,
                             on_note=_print_note, max_runs=args.max_runs or MAX_RUNS,
                             memory_check=not args.skip_memory_check,
                             scheduler_timeout=args.scheduler_timeout or DEFAULT_TIMEOUT_S,
                             shard=shard, min_in_flight=min_in_flight, storage=storage)

    precision = None
    if args.precision is not None:
        from .adaptive import run_to_precision

        if shard is not None:
            raise ScenarioError("--precision", None, "no --shard with it (each round needs "
                                "every run's result)")
        outcome, precision = run_to_precision(
            lambda r: load_experiment(args.file, args.sets + ([f"replicates={r}"] if r else [])),
            args.out, args.precision, args.max_replicates, run, on_note=_print_note)
    else:
        outcome = run(experiment, args.out)
    if args.format == "csv":
        from ..outputs.csv_tables import write_csv_copies

        write_csv_copies(outcome.folder)
    before = f", {outcome.skipped} of them from before" if outcome.skipped else ""
    share = f" (shard {shard.label})" if shard else ""
    print(f"{experiment.name}{share}: {outcome.done} of {outcome.total} runs done{before}; "
          f"results in {outcome.folder}/")           # also with --quiet: where results are
    if precision is not None:
        print(f"precision {args.precision:g}: {precision.stopped}")
    if outcome.failed:
        shown = "; ".join(f"{rid}: {err}" for rid, err in outcome.failures[:3])
        more = f" (first: {shown})" if shown else ""
        print(f"pressure experiment: {outcome.failed} of {outcome.total} runs failed{more}; "
              f"errors are in {outcome.folder}/failed/ and manifest.json; run the same command "
              "again to retry them", file=sys.stderr)
        return INTERNAL_ERROR             # a run raised: its trace is in failed/
    return 0


def _compare(args) -> int:
    from ..analysis import compare
    from ..analysis.load import load_experiment_folder
    from ..config.errors import ScenarioError
    from .engine import run_in_folder

    if len(args.scenarios) < 2:
        raise ScenarioError("compare", None, "two or more scenarios (the first is the "
                            "reference)", args.scenarios)
    experiment = compare.load_compare_experiment(args.scenarios, args.replicates, args.seed,
                                                 args.users, args.days)
    names = list(experiment.scenario_names)
    out = args.out or compare.default_folder(names)
    outcome = run_in_folder(experiment, out, args.workers, None, args.quiet,
                            on_note=_print_note)
    if outcome.failed:
        print(f"pressure compare: {outcome.failed} of {outcome.total} runs failed; errors are "
              f"in {outcome.folder}/failed/", file=sys.stderr)
        return INTERNAL_ERROR
    data = load_experiment_folder(outcome.folder)
    frame = compare.table(data.summary, names)
    frame.to_csv(outcome.folder / "compare.csv", index=False)
    compare.plot(frame, names[0], outcome.folder / "compare.png")
    print(compare.render(frame, names[0]))
    print(f"compare: {outcome.done} runs; table and figure in {outcome.folder}/")
    return 0


def _merge(args) -> int:
    from .merge import merge

    out, runs = merge(args.folders, args.out)
    print(f"merged {len(args.folders)} shards, {runs} runs: results in {out}/")
    return 0


def _print_note(note: str) -> None:
    print(f"pressure experiment: note: {note}", file=sys.stderr, flush=True)


def _report(args) -> int:
    from ..analysis.report import write_report

    path = write_report(args.folder, partial=args.partial)
    print(f"wrote {path} (figures and tables beside it)")
    return 0
