"""Fuzz `pressure experiment`: random experiment files and random `--set` values. Whatever the
input, the command exits 0 (the experiment ran into its folder), or exits 2 with one line on
stderr and nothing written; never a traceback, never another exit code.

The runs are kept tiny (the last `--set` flags fix users, days and firms; `--max-runs 4`), so a
valid document runs in a fraction of a second; a design that would sweep those parameters meets
the "fixed in [settings]" rule instead.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from experiment_support import stored
from model.batch.experiment import DESIGN_KINDS, OUTCOME_NAMES
from model.cli import main
from model.config.parameters import PARAMETERS
from test_loader_fuzz import mostly, near_valid, text_values, to_toml, values

FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])
TINY = ["--set=users=40", "--set=days=2", "--set=market.business_customers=20"]
SCENARIO_NAMES = ["baseline", "china_2017", "relaxed"]
NUMERIC = [p for p in PARAMETERS if p.kind in (int, float) and p.low is not None
           and p.high is not None and p.name not in ("users", "days", "business_customers")]
EXPERIMENT_KEYS = ["name", "description", "scenarios", "reference", "replicates", "seed",
                   "common_random_numbers", "outcomes", "settings", "design"]


def run_experiment_command(text: str, sets: list[str]) -> None:
    """Write `text` as an experiment file, run the command on it, check the invariant."""
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        path = folder / "exp.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        out, err = io.StringIO(), io.StringIO()
        argv = ["experiment", str(path), "--workers", "1", "--quiet", "--max-runs", "4",
                "--out", str(folder / "out"), *sets, *TINY]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:             # argparse
                code = exc.code
        assert "Traceback" not in err.getvalue()
        assert code in (0, 2), err.getvalue()
        if code == 0:
            event("ran")
            assert (folder / "out" / "manifest.json").is_file()
            assert (folder / "out" / "summary.parquet").is_file() or \
                not stored(folder / "out")
        else:
            lines = err.getvalue().splitlines()
            assert len(lines) == 1 and lines[0].startswith("pressure experiment: error: "), lines
            where = re.match(r"pressure experiment: error: (.*?): (?:(\S+): )?expected", lines[0])
            event(f"refused: {'--set ' if where[1] == '--set' else ''}{where[2] or '(file)'}"
                  .split("[")[0])
            assert sorted(p.name for p in folder.iterdir()) == ["exp.toml"]   # nothing written


def _values_for(param) -> st.SearchStrategy:
    return st.lists(near_valid(param), min_size=1, max_size=2)


@st.composite
def designs(draw) -> dict:
    kind = draw(mostly(st.sampled_from(DESIGN_KINDS), values))
    design: dict = {"kind": kind}
    chosen = draw(st.lists(st.sampled_from(NUMERIC), min_size=1, max_size=2,
                           unique_by=lambda p: p.name))
    if kind in ("lhs", "morris", "sobol"):
        design["parameters"] = {p.name: draw(mostly(st.just([p.low, p.high]), values))
                                for p in chosen}
    else:
        design["parameters"] = {p.name: draw(mostly(_values_for(p), values)) for p in chosen}
    for key, common in (("samples", st.sampled_from([2, 3, 4, 1, 0, 10**9])),
                        ("trajectories", st.integers(1, 3)), ("levels", st.integers(1, 4)),
                        ("second_order", st.booleans())):
        if draw(st.booleans()):
            design[key] = draw(mostly(common, values))
    return design


@st.composite
def experiment_docs(draw) -> dict:
    doc: dict = {}
    scenarios = draw(st.lists(st.sampled_from(SCENARIO_NAMES), min_size=1, max_size=2,
                              unique=True))
    generators = {
        "name": st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
        "description": st.text(max_size=20),
        "scenarios": st.just(scenarios),
        "reference": st.sampled_from(scenarios),
        "replicates": st.sampled_from([1, 2, 0, -1, 10**9]),
        "seed": st.integers(0, 2**63),
        "common_random_numbers": st.booleans(),
        "outcomes": st.lists(st.sampled_from(OUTCOME_NAMES), min_size=1, max_size=3),
        "settings": st.fixed_dictionaries({}, optional={
            p.name: near_valid(p) for p in NUMERIC[:12]}),
        "design": designs(),
    }
    keys = draw(st.lists(mostly(st.sampled_from(EXPERIMENT_KEYS),
                                st.from_regex(r"[a-z_]{1,10}", fullmatch=True)),
                         max_size=10, unique=True))
    if "scenarios" not in keys and draw(mostly(st.just(True), st.just(False))):
        keys.append("scenarios")
    for key in keys:
        doc[key] = draw(mostly(generators.get(key, values), values))
    return doc


@FUZZ
@given(experiment_docs())
def test_random_experiment_files_exit_0_or_2_with_one_line(doc):
    run_experiment_command(to_toml(doc), [])


SET_KEYS = st.one_of(st.sampled_from(EXPERIMENT_KEYS),
                     st.sampled_from(["design.kind", "design.samples", "design.trajectories",
                                      "design.parameters.enforcement_intensity",
                                      "design.parameters.users", "settings.network.mean_degree",
                                      "settings", "design", "scenarios.x", "name.x"]),
                     st.sampled_from([p.key for p in NUMERIC] + [p.name for p in NUMERIC]),
                     st.from_regex(r"[a-z_.]{1,12}", fullmatch=True))
SET_VALUES = st.one_of(text_values, st.sampled_from([
    "[0.1, 0.5]", "[[[[1]]]]", "[" * 200 + "]" * 200, "{a = 1}", '"grid"', '"lhs"', "2",
    "1000000000", "true", "2017-01-01", "nan", '["baseline"]', '["nope"]']))
BASE = """
scenarios = ["baseline"]
replicates = 1
seed = 4
[design]
kind = "grid"
[design.parameters]
enforcement_intensity = [0.2]
"""


NEAR_VALID_SETS = st.sampled_from(NUMERIC).flatmap(
    lambda p: st.tuples(st.sampled_from([p.name, p.key]), near_valid(p).map(str)))
SET_ITEMS = mostly(NEAR_VALID_SETS | st.tuples(st.just("replicates"), st.sampled_from("12")),
                   st.tuples(SET_KEYS, SET_VALUES))


@FUZZ
@given(st.lists(SET_ITEMS, max_size=3))
def test_random_set_values_exit_0_or_2_with_one_line(items):
    run_experiment_command(BASE, [f"--set={key}={value}" for key, value in items])
