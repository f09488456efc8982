"""The `pressure` command line: run a scenario, check one, print the parameter reference.

Heavy imports happen after the arguments are parsed, so `--help` is instant. Every command runs
inside `model.exits.guarded`: bad input gets one line on stderr naming the file and key, exit
code 2, no traceback and nothing written; the other exit codes are listed in `model/exits.py`.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from .exits import BAD_INPUT as EXIT_BAD_INPUT
from .exits import guarded

_SCRATCH_SUFFIX = 10        # write_atomically's scratch folder: "." + name + "-" + 8 characters
RUN_FILES = {"timeseries.parquet", "outcomes_long.parquet", "summary.json", "figure.png",
             "run.json", "scenario.toml", "timeseries.csv", "outcomes_long.csv"}
"""The files `pressure run` writes: any of them not written this time is removed."""
RESUMABLE = ("experiment", "compare", "reproduce", "calibrate", "validate", "robust")   # finished runs are kept


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit code 2."""

    def error(self, message: str) -> None:  # noqa: D401 - argparse's hook
        import re

        wrong = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if wrong:
            import difflib

            choices = re.findall(r"'([^']*)'", wrong.group(2))
            close = difflib.get_close_matches(wrong.group(1), choices, n=1)
            if close:
                message += f"; did you mean {close[0]}?"
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


REPRODUCE_HELP = "calibration, validation, sensitivity and policy figures in one go"


def _command(argv: list[str] | None) -> str | None:
    """The command word of `argv` (default sys.argv), if any: the first word not an option."""
    words = sys.argv[1:] if argv is None else argv
    return next((w for w in words if not w.startswith("-")), None)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; the reproduce command's own options are added only when it is the command,
    since its step list loads the batch engine and pandas (which `pressure --help` needs not)."""
    parser = _Parser(prog="pressure", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="run a scenario: time series, summary, figure, table")
    run.add_argument("scenario", help="scenario TOML file, or a name in scenarios/")
    run.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    run.add_argument("--users", type=int, help="number of users (overrides the scenario)")
    run.add_argument("--days", type=int, help="days to simulate (overrides the scenario)")
    _add_set(run)
    run.add_argument("--out", type=Path,
                     help="output folder (default results/runs/<scenario>-seed<N>, plus the "
                          "overrides when there are any)")
    run.add_argument("--no-figure", action="store_true", help="skip figure.png")
    run.add_argument("--format", choices=("parquet", "csv"), default="parquet",
                     help="csv: also write the tables as CSV beside the Parquet files "
                     "(default parquet only)")
    run.add_argument("--skip-memory-check", action="store_true",
                     help="run even when the run seems not to fit in this machine's memory")

    rerun = sub.add_parser("rerun", help="run again what a run folder (or an experiment's "
                           "manifest and a run id) records, and check it gives the same series")
    rerun.add_argument("folder", type=Path, help="a folder `pressure run` or `pressure "
                       "experiment` wrote")
    rerun.add_argument("--run", dest="run_id", help="the run id, for an experiment folder")

    check = sub.add_parser("check", help="validate a scenario and print what it resolves to")
    check.add_argument("scenario", help="scenario TOML file, or a name in scenarios/")
    _add_set(check)

    params = sub.add_parser("params", help="the parameters a scenario uses: value, unit, range, "
                            "meaning (or the full reference with --markdown)")
    params.add_argument("name", nargs="?", help="one parameter (name or section.name)")
    params.add_argument("--scenario", default="china_2017",
                        help="whose values to show (default china_2017, the calibrated 2017 "
                             "case model.simulate uses)")
    params.add_argument("--markdown", action="store_true",
                        help="the full reference as Markdown (docs/parameters.md)")

    from .batch.cli import add_commands as add_batch_commands

    add_batch_commands(sub)

    from .calibration.cli import add_commands as add_calibration_commands

    add_calibration_commands(sub)

    if _command(argv) == "reproduce":
        from .reproduce.cli import add_commands as add_reproduce_commands

        add_reproduce_commands(sub)
    else:
        sub.add_parser("reproduce", help=REPRODUCE_HELP)

    from .policy.cli import add_commands as add_policy_commands

    add_policy_commands(sub)

    from .viz.cli import add_commands as add_viz_commands

    add_viz_commands(sub)
    return parser


def _add_set(p: argparse.ArgumentParser) -> None:
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a parameter, e.g. --set enforcement_intensity=0.8 (repeatable)")


def main(argv: list[str] | None = None) -> int:
    args = build_parser(argv).parse_args(argv)
    return guarded(args.command, lambda: _dispatch(args), resume_hint=args.command in RESUMABLE)


def _dispatch(args) -> int:
    match args.command:
        case "run":
            return _run(args)
        case "check":
            return _check(args)
        case "rerun":
            return _rerun(args)
        case "params":
            return _params(args)
        case "experiment" | "report" | "compare" | "merge":
            from .batch.cli import dispatch

            return dispatch(args)
        case "reproduce":
            from .reproduce.cli import dispatch as reproduce

            return reproduce(args)
        case "calibrate" | "validate":
            from .calibration.cli import dispatch as calibration

            return calibration(args)
        case "discover" | "query" | "robust":
            from .policy.cli import dispatch as policy

            return policy(args)
        case "viz":
            from .viz.cli import dispatch as viz

            return viz(args)
    raise ValueError(f"not a command: {args.command!r}")


def _overrides(args) -> dict[str, object]:
    from .config.errors import ScenarioError

    out: dict[str, object] = {}
    for item in args.overrides:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ScenarioError("--set", item or "''", "KEY=VALUE")
        out[key.strip()] = value
    return out


def _given(args) -> dict[str, object]:
    """Every input the command line changed: `--set` values, then `--users` and `--days`."""
    given = dict(_overrides(args))
    for name in ("users", "days"):
        if getattr(args, name, None) is not None:
            given[name] = getattr(args, name)
    return given


def _load(args):
    from .config.loader import load_scenario

    scenario = load_scenario(args.scenario).with_overrides(_overrides(args), source="--set")
    for name in ("users", "days"):
        if getattr(args, name, None) is not None:
            scenario = scenario.with_overrides({name: getattr(args, name)}, source=f"--{name}")
    import warnings

    from .calendar import HorizonWarning

    warnings.simplefilter("ignore", HorizonWarning)   # said once, in the line below
    late = scenario.after_horizon()
    if late:
        shown = ", ".join(f"{e.id} ({e.date.isoformat()})" for e in late[:5])
        more = f" and {len(late) - 5} more" if len(late) > 5 else ""
        print(f"pressure {args.command}: warning: {len(late)} event(s) after the last simulated "
              f"day ({scenario.last_day.isoformat()}) never take effect: {shown}{more}",
              file=sys.stderr)
    return scenario


def _check(args) -> int:
    from .config.toml_out import dumps

    scenario = _load(args)
    print(f"# {args.scenario} resolves to (files: {' <- '.join(scenario.files)})")
    print(dumps(scenario.to_dict()), end="")
    return 0


def _params(args) -> int:
    from .config.parameters import PARAMETERS
    from .config.reference import markdown

    from .config.loader import load_scenario, lookup

    if args.markdown:
        print(markdown(), end="")
        return 0
    scenario = load_scenario(args.scenario)
    chosen = [lookup(args.name, "params")] if args.name else PARAMETERS
    print(f"# values of {scenario.name} (files: {' <- '.join(scenario.files)}); "
          "* marks a value the scenario sets")
    for p in chosen:
        value = scenario.params.get(p.name)
        mark = "*" if value != p.default else " "
        shown = "none" if value is None else (value.isoformat() if hasattr(value, "isoformat")
                                             else f"{value}")
        if args.name:
            print(f"{p.key}\n  value    {shown}{'  (schema default ' + str(p.default) + ')' if mark == '*' else ''}"
                  f"\n  unit     {p.unit}\n  range    {p.expected()}\n  meaning  {p.meaning}"
                  + (f"\n  source   {p.source}" if p.source else ""))
        else:
            print(f"{p.key:45} {shown:>12}{mark} {p.unit:16} {_range(p):16} {p.meaning}")
    return 0


def _range(p) -> str:
    if p.choices:
        return "|".join(p.choices)
    if p.low is not None or p.high is not None:
        low = "" if p.low is None else f"{p.low:g}"
        high = "" if p.high is None else f"{p.high:g}"
        return f"[{low}, {high}]"
    return "-"


def _check_out(out: Path, scenario_name: str) -> None:
    """The output folder must be a folder, or creatable under one, with a name the system takes
    (and room for the scratch folder beside it), and not an experiment's folder, whose combined
    tables a run would overwrite: fail before any work."""
    from .config.errors import ScenarioError

    try:
        existing = next(p for p in (out, *out.parents) if p.exists())
        usable = existing.is_dir()
        longest = os.pathconf(existing if usable else existing.parent, "PC_NAME_MAX")
    except (OSError, ValueError) as exc:        # e.g. a name longer than the system allows
        raise ScenarioError("--out", str(out), "a usable folder path "
                            f"({getattr(exc, 'strerror', None) or type(exc).__name__})") from None
    if not usable:
        raise ScenarioError("--out", str(out), f"a folder ({existing} is a file)")
    room = longest - _SCRATCH_SUFFIX
    for part in out.relative_to(existing).parts if out != existing else ():
        if len(os.fsencode(part)) > room:
            hint = (f"; the default folder is named after the scenario ({len(scenario_name)} "
                    "characters): pass --out") if scenario_name in part else ""
            raise ScenarioError("--out", str(out), f"folder names of at most {room} bytes "
                                f"(one has {len(os.fsencode(part))}{hint})")
    if (out / "manifest.json").exists():
        raise ScenarioError("--out", str(out), "a folder that is not an experiment's (it has "
                            "manifest.json; a run would overwrite its combined tables): use "
                            "another --out")


@contextmanager
def _day_bar(scenario):
    """A progress bar over the simulated days on a terminal (stderr); nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(total=scenario.params["days"], unit="day", desc=scenario.name, leave=False,
               file=sys.stderr)
    try:
        yield lambda: bar.update(1)
    finally:
        bar.close()


def _run(args) -> int:
    from .config.errors import ScenarioError

    from .outputs.record import RECORD, RESOLVED, folder_name, run_record

    scenario = _load(args)
    given = _given(args)
    out = args.out or Path("results") / "runs" / folder_name(scenario.name, args.seed, given)
    _check_out(out, scenario.name)
    if args.seed < 0:
        raise ScenarioError("--seed", "seed", "a non-negative integer", args.seed)
    if not args.skip_memory_check:
        from .batch.limits import check_memory

        check_memory([scenario.params], 1, scenario.files[0] if scenario.files else args.scenario)

    from .api import run
    from .outputs.figure import plot_run
    from .outputs.files import write_atomically, write_json
    from .outputs.table import headline_table
    from .calendar import Calendar
    from .config.toml_out import dumps

    with _day_bar(scenario) as on_day:
        frame, long_frame, summary = run(scenario, seed=args.seed, long=True, on_day=on_day)
    writers = {"timeseries.parquet": lambda path: frame.to_parquet(path, index=False),
               "outcomes_long.parquet": lambda path: long_frame.to_parquet(path, index=False),
               "summary.json": write_json(summary),
               RECORD: write_json(run_record(scenario, args.seed, given)),
               RESOLVED: lambda path: path.write_text(dumps(scenario.to_dict()),
                                                      encoding="utf-8")}
    if args.format == "csv":
        writers["timeseries.csv"] = lambda path: frame.to_csv(path, index=False)
        writers["outcomes_long.csv"] = lambda path: long_frame.to_csv(path, index=False)
    if not args.no_figure:
        calendar = Calendar.of(scenario)
        title = (f"{scenario.name}: {summary['users']:,} users, seed {args.seed}, "
                 f"base intensity {scenario.params['enforcement_intensity']:g}")
        writers["figure.png"] = lambda path: plot_run(frame, calendar.markers(), title, path,
                                                      long=long_frame)
    try:
        files = write_atomically(out, writers)
        for stale in RUN_FILES - set(writers):     # e.g. an older figure after --no-figure
            (out / stale).unlink(missing_ok=True)
    except OSError as exc:
        raise ScenarioError("--out", str(out), f"a writable folder ({exc.strerror})") from None

    first, last = frame["date"].iloc[0].date(), frame["date"].iloc[-1].date()
    print(f"{scenario.name} · seed {args.seed} · {summary['users']:,} users · "
          f"{summary['days']} days ({first} to {last})\n")
    print(headline_table(frame))
    print("\nwrote:")
    for path in files:
        print(f"  {path}")
    return 0


def _rerun(args) -> int:
    """Run a recorded run again; exit 1 when its time series differs from the stored one."""
    import pandas as pd

    from .outputs.record import rerun, same_series

    frame, _ = rerun(args.folder, args.run_id)
    stored = None
    if args.run_id is None:
        path = args.folder / "timeseries.parquet"
        stored = pd.read_parquet(path) if path.exists() else None
    else:
        from .batch.storage import ResultStore

        for _, table, _, _ in ResultStore(args.folder).layout.read([args.run_id]):
            stored = table.to_pandas()
    what = f"{args.folder}" + (f" run {args.run_id}" if args.run_id else "")
    if stored is None:
        print(f"reran {what}: no stored time series to compare with")
        return 0
    same = same_series(stored, frame)
    print(f"reran {what}: " + ("identical time series" if same else
                               "the time series DIFFERS from the stored one"))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
