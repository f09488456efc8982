"""Report figures a paper can carry: titles, axis labels and units come from the metric
registry (never a raw snake_case name), every figure has a title and is written as PNG and
SVG, the design header is in words, and sampled designs are a scatter with a smoother."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from experiment_support import GRID, write_experiment
from model import METRICS
from model.analysis.figures import outcome_title, panels
from model.batch.cli import main

SAMPLED = """
name = "{name}"
scenarios = ["{scenarios}/china_2017.toml"]
replicates = 1
seed = 5
outcomes = ["vpn_use_mean", "foreign_cloud_share_final"]
[settings]
users = 300
days = 20
[design]
kind = "{kind}"
{size}
[design.parameters]
enforcement_intensity = [0.0, 1.0]
demand_median = [0.2, 1.2]
"""
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
SCENARIO_NAMES = {"china_2017", "baseline"}


def _report(tmp_path, text):
    tmp_path.mkdir(parents=True, exist_ok=True)
    out = tmp_path / "out"
    path = write_experiment(tmp_path, text)
    assert main(["experiment", str(path), "--workers", "1", "--out", str(out), "--quiet"]) == 0
    assert main(["report", str(out)]) == 0
    return out / "report"


def _texts(svg):
    return [el.text for el in ET.parse(svg).iter() if el.tag.endswith("text") and el.text]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    root = tmp_path_factory.mktemp("figures")
    made = {"grid": _report(root / "grid", GRID.replace("days = 30", "days = 70"))}  # to March
    for kind, size in (("lhs", "samples = 8"), ("morris", "trajectories = 2")):
        made[kind] = _report(root / kind, SAMPLED.format(name=f"{kind}_test", kind=kind,
                                                         size=size, scenarios="{scenarios}"))
    return made


@pytest.mark.parametrize("kind", ["grid", "lhs", "morris"])
def test_every_figure_has_svg_a_title_and_registry_labels(reports, kind):
    report = reports[kind]
    pngs = sorted(report.glob("*.png"))
    assert pngs
    labels = {m.label for m in METRICS}
    for png in pngs:
        svg = png.with_suffix(".svg")
        assert svg.is_file(), svg.name
        texts = _texts(svg)
        titles = [t for t in texts if any(t.startswith(label) for label in labels)]
        assert titles, f"{svg.name}: no panel titled from the registry"
        raw = {w for t in texts for w in SNAKE.findall(t)} - SCENARIO_NAMES
        raw -= {"grid_test", "lhs_test", "morris_test"}          # the experiment's name
        assert not raw, f"{svg.name}: raw names {sorted(raw)}"


def test_titles_and_units_are_the_registry_entries(reports):
    texts = _texts(reports["grid"] / "sweep_enforcement_intensity.svg")
    assert outcome_title("vpn_access_mean") == "VPN access, mean over a run"
    assert "VPN access, mean over a run" in texts and "share of users" in texts
    assert any(t.startswith("grid_test: outcomes against enforcement intensity") for t in texts)
    assert "enforcement intensity (index [0, 1])" in texts


def test_header_is_in_words_and_the_time_series_marks_events(reports):
    grid = (reports["grid"] / "report.md").read_text()
    assert "a full grid (every combination) of enforcement intensity (0.1, 0.9)" in grid
    assert " over none" not in grid and "grid over" not in grid
    lhs = (reports["lhs"] / "report.md").read_text()
    assert "a Latin hypercube sample of enforcement intensity from 0 to 1 and demand median" \
        in lhs
    assert "Events of the reference scenario marked on the figure" in grid
    assert "2017-03-03" in grid                                  # the Two Sessions


def test_a_sampled_design_is_a_scatter_with_a_smoother(reports):
    import pandas as pd

    table = pd.read_csv(reports["lhs"] / "sweep_demand_median.csv")
    assert "demand_median" in table.columns and len(table) == 9 * 2    # points x outcomes
    assert (table["ci_low"] <= table["mean"]).all() and (table["mean"] <= table["ci_high"]).all()
    assert "kernel smoother" in (reports["lhs"] / "report.md").read_text()


@pytest.mark.parametrize("n", [1, 2, 4, 5, 7])
def test_no_panel_is_left_empty(n):
    fig, axes = panels(n)
    assert len(fig.axes) == len(axes) == n and all(ax.get_visible() for ax in fig.axes)
