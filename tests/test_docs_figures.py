"""Figures quoted in the docs agree with the records they come from (docs/data, the calibration
record), where the docs quote them as tables or bracketed intervals: a page edited by hand, or
a record regenerated without its page, fails here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from model.analysis.tables import fmt

ROOT = Path(__file__).resolve().parents[1]
DOCS, DATA = ROOT / "docs", ROOT / "docs" / "data"


def _table(text: str, first: str) -> list[dict[str, str]]:
    """The Markdown table whose header starts with `| first |`, as rows of cells by column."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"| {first} |"))
    header = [c.strip() for c in lines[start].strip("|").split("|")]
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append(dict(zip(header, (c.strip() for c in line.strip("|").split("|")))))
    return rows


def _number(cell: str) -> float:
    return float(cell.replace("–", "nan"))


def test_sensitivity_page_quotes_the_morris_record():
    record = pd.read_csv(DATA / "sensitivity_morris.csv").set_index(["outcome", "parameter"])
    rows = _table((DOCS / "sensitivity.md").read_text(encoding="utf-8"), "parameter")
    assert rows
    cell = re.compile(r"(\S+) ± (\S+) \(σ (\S+)\)")
    for row in rows:
        for outcome, text in row.items():
            if outcome == "parameter":
                continue
            mu_star, conf, sigma = cell.fullmatch(text).groups()
            r = record.loc[(outcome, row["parameter"])]
            assert (mu_star, conf, sigma) == (fmt(r["mu_star"]), fmt(r["mu_star_conf"]),
                                              fmt(r["sigma"])), (outcome, row["parameter"])


def test_results_page_quotes_the_intensity_record():
    record = pd.read_csv(DATA / "results_intensity.csv")
    record = record.set_index(["enforcement_intensity", "outcome"])
    rows = _table((DOCS / "results.md").read_text(encoding="utf-8"), "enforcement_intensity")
    assert rows
    cell = re.compile(r"(\S+) \((\S+) to (\S+)\)")
    for row in rows:
        level = _number(row["enforcement_intensity"])
        for outcome, text in row.items():
            if outcome == "enforcement_intensity":
                continue
            r = record.loc[(level, outcome)]
            assert cell.fullmatch(text).groups() == (fmt(r["mean"]), fmt(r["ci_low"]),
                                                     fmt(r["ci_high"])), (level, outcome)


CALIBRATED = re.compile(r"^(?:[a-z_]+\.)?([a-z_]+) = (\S+)\s+# \[(\S+), (\S+)\]", re.M)


def test_the_2017_scenario_quotes_its_calibration_record():
    """The calibrated defaults (of the 2017 case and of the shared behaviour) are the record's
    point estimate, and the bracketed intervals its posterior's weighted 95% interval, to three
    significant figures."""
    text = "".join((ROOT / "scenarios" / f).read_text(encoding="utf-8")
                   for f in ("china_2017.toml", "behaviour.toml"))
    record = json.loads((DATA / "calibration_2017" / "calibration.json").read_text())
    posterior = pd.read_csv(DATA / "calibration_2017" / "parameters.csv").set_index("parameter")
    quoted = CALIBRATED.findall(text)
    assert len(quoted) >= 5
    estimate = record["estimate"]
    estimate = estimate["values"]

    def same(a: str, b: float) -> bool:
        return float(a) == pytest.approx(float(f"{b:.3g}"), rel=1e-9)

    for name, value, low, high in quoted:
        assert same(value, estimate[name]), name
        assert same(low, posterior.loc[name, "low95"]) and same(high, posterior.loc[name,
                                                                                    "high95"]), name
