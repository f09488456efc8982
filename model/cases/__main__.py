"""`python -m model.cases CASE [--users N] [--seeds K] [--set KEY=VALUE ...]`: run a case pack
K times (seeds 0..K-1) at the shared defaults, or with overrides, and print each observation
next to the model's mean, its spread over seeds and the gap in units of the observation's error."""

from __future__ import annotations

import argparse
import statistics
import warnings

from . import CASES, run_case


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m model.cases", description=__doc__)
    parser.add_argument("case", choices=sorted(CASES))
    parser.add_argument("--users", type=int, default=None, help="default: the scenario's")
    parser.add_argument("--seeds", type=int, default=1, help="runs, seeds 0..K-1 (default 1)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a parameter (repeatable), e.g. --set choice_noise=0.5")
    args = parser.parse_args(argv)
    overrides = dict(item.split("=", 1) for item in args.set)
    values: dict[str, list[float]] = {}
    scores = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for seed in range(args.seeds):
            for row in run_case(args.case, overrides=overrides, users=args.users, seed=seed):
                values.setdefault(row.observation.name, []).append(row.model)
                scores[row.observation.name] = row
    print(f"{'observation':32} {'observed':>9} {'error':>7} {'model':>9} {'sd':>7} {'z':>6}")
    for name, vals in values.items():
        row = scores[name]
        mean = statistics.fmean(vals)
        sd = statistics.stdev(vals) if len(vals) > 1 else float("nan")
        z = (mean - row.observed) / row.error
        print(f"{name:32} {row.observed:9.4g} {row.error:7.3g} {mean:9.4g} {sd:7.2g} {z:+6.2f}")


if __name__ == "__main__":
    main()
