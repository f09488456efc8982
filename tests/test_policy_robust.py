"""`pressure robust`: policies over the posterior's parameter sets with common random numbers;
regret and the share of sets each policy is best in are computed as defined; a policy's own
levers are kept; the command resumes and refuses bad input in one line."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from experiment_support import files
from model.cli import main
from model.policy.robust import regret

SMALL = ["--sets", "4", "--replicates", "1", "--users", "300", "--workers", "2", "--quiet"]


def test_regret_is_the_shortfall_from_the_best_policy_in_each_set():
    table = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [2.0, 2.0, 1.0], "c": [0.0, 1.0, 2.0]})
    per_set, summary = regret(table, "higher")
    got = per_set.pivot(index="set", columns="policy", values="regret")[["a", "b", "c"]]
    assert got.to_numpy().tolist() == [[1, 0, 2], [0, 0, 1], [0, 2, 1]]
    s = summary.set_index("policy")
    assert s.loc["a", "share_best"] == pytest.approx((0 + 0.5 + 1) / 3)   # the tie is split
    assert s.loc["b", "share_best"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert s["share_best"].sum() == pytest.approx(1.0)
    assert s.loc["c", "max_regret"] == 2 and s.loc["a", "mean_regret"] == pytest.approx(1 / 3)
    assert s.loc["b", "difference_median"] == 0.0          # differences from the first policy


def test_lower_is_better_turns_the_ranking_round():
    table = pd.DataFrame({"a": [1.0, 3.0], "b": [2.0, 1.0]})
    _, summary = regret(table, "lower")
    s = summary.set_index("policy")
    assert s.loc["a", "max_regret"] == 2 and s.loc["b", "max_regret"] == 1
    assert s["share_best"].tolist() == [0.5, 0.5]


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    out = tmp_path_factory.mktemp("robust") / "out"
    assert main(["robust", "china_2017", "relaxed", "--outcome", "vpn_availability_mean",
                 "--out", str(out), *SMALL]) == 0
    return out


def test_the_page_tables_and_figure_are_written(compared):
    assert {"robust.md", "robust_sets.csv", "robust_policies.csv", "robust.png"} <= {
        p.name for p in compared.iterdir()}
    summary = pd.read_csv(compared / "robust_policies.csv")
    assert summary["policy"].tolist() == ["china_2017", "relaxed"]
    assert summary["share_best"].sum() == pytest.approx(1.0)
    per_set = pd.read_csv(compared / "robust_sets.csv")
    assert len(per_set) == 4 * 2 and (per_set["regret"] >= 0).all()
    assert "Most robust" in (compared / "robust.md").read_text()


def test_policies_share_seeds_and_sets_but_keep_their_own_levers(compared):
    runs = {p: json.loads((compared / "runs" / p / "manifest.json").read_text())["runs"]
            for p in ("china_2017", "relaxed")}
    seeds = {p: [(r["point"], r["seed"]) for r in rs] for p, rs in runs.items()}
    assert seeds["china_2017"] == seeds["relaxed"]                    # common random numbers
    design = {p: pd.read_parquet(compared / "runs" / p / "design.parquet")
              for p in ("china_2017", "relaxed")}
    assert "enforcement_intensity" in design["china_2017"].columns    # the posterior's value
    assert "enforcement_intensity" not in design["relaxed"].columns   # relaxed's own 0.05
    shared = [c for c in design["relaxed"].columns if c != "point"]
    pd.testing.assert_frame_equal(design["china_2017"][shared], design["relaxed"][shared])


def test_a_second_call_resumes_and_runs_nothing_again(compared):
    runs = compared / "runs"
    before = {k: v for k, v in files(runs).items() if "/runs/" in k or "/parts" in k}
    assert before
    assert main(["robust", "china_2017", "relaxed", "--outcome", "vpn_availability_mean",
                 "--out", str(compared), *SMALL]) == 0
    assert {k: v for k, v in files(runs).items() if "/runs/" in k or "/parts" in k} == before


@pytest.mark.parametrize("args, says", [
    (["china_2017", "relaxed", "--outcome", "vpn_availabilty_mean"], "did you mean"),
    (["china_2017", "--outcome", "vpn_availability_mean"], "two or more policies"),
    (["china_2017", "nowhere", "--outcome", "vpn_availability_mean"], "nowhere"),
    (["china_2017", "relaxed", "--outcome", "vpn_use_mean", "--calibration", "."],
     "a calibration folder"),
    (["china_2017", "relaxed", "--outcome", "vpn_use_mean", "--sets", "0"], "at least 1"),
])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, capsys, monkeypatch, args, says):
    monkeypatch.chdir(tmp_path)
    try:
        code = main(["robust", *args, "--quiet"])
    except SystemExit as stop:
        code = stop.code
    err = capsys.readouterr().err
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1, err
    assert list(tmp_path.iterdir()) == []
