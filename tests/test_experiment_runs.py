"""Running an experiment: files and manifest, identical results in one process and in a local
pool, failed runs recorded while the rest go on, resume, and a different experiment refused."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from experiment_support import GRID, SCENARIOS, files, tables, write_experiment
from model import METRIC_NAMES, run
from model.batch.cli import main


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    """The grid experiment run once, in this process."""
    folder = tmp_path_factory.mktemp("serial")
    path = write_experiment(folder, GRID)
    assert main(["experiment", str(path), "--workers", "1", "--out", str(folder / "out"),
                 "--quiet", "--storage", "per-run"]) == 0
    return folder / "out"


def test_an_experiment_writes_runs_tables_design_and_manifest(serial):
    runs = sorted(p.stem for p in (serial / "runs").glob("*.parquet"))
    assert len(runs) == 2 * 2 * 2 and runs[0] == "baseline__p0__r000"
    summary, series = tables(serial)
    assert len(summary) == 8 and len(series) == 8 * 30
    assert list(summary.columns[:7]) == ["run_id", "scenario", "point", "replicate", "seed",
                                         "seed_str", "enforcement_intensity"]
    assert {f"{m}_final" for m in METRIC_NAMES} <= set(summary.columns)
    assert pd.read_csv(serial / "summary.csv").shape == summary.shape
    design = pd.read_parquet(serial / "design.parquet")
    assert design.to_dict("list") == {"point": [0, 1], "enforcement_intensity": [0.1, 0.9]}

    one = pq.read_table(serial / "runs" / "china_2017__p1__r001.parquet")
    stored = json.loads(one.schema.metadata[b"pressure.summary"])
    row = summary.set_index("run_id").loc["china_2017__p1__r001"]
    assert stored["vpn_use_mean"] == row["vpn_use_mean"]
    assert one.num_rows == 30

    m = json.loads((serial / "manifest.json").read_text())
    assert m["counts"] == {"total": 8, "done": 8, "failed": 0, "pending": 0}
    assert m["experiment"]["content"] == (serial.parent / "exp.toml").read_text()
    assert [s["name"] for s in m["scenarios"]] == ["baseline", "china_2017"]
    assert m["scenarios"][0]["resolved"]["users"] == 300
    assert all(r["status"] == "done" and isinstance(r["seed"], int) for r in m["runs"])
    assert set(m["environment"]["packages"]) >= {"mesa", "numpy", "platform-pressure"}
    assert set(m["environment"]["git"]) >= {"revision", "dirty"}
    assert m["started"] <= m["ended"] and len(m["sessions"]) == 1


def test_scenario_dependent_outcomes_combine_in_a_long_table(serial, tmp_path):
    """Runs of scenarios with different consumer services share the wide table's columns; what
    depends on the scenario goes in outcomes_long.parquet, by run, day, metric and key."""
    long = pd.read_parquet(serial / "outcomes_long.parquet")
    assert list(long.columns) == ["run_id", "scenario", "point", "replicate", "seed",
                                  "seed_str", "date", "day", "metric", "key", "value"]
    assert set(long["run_id"]) == {p.stem for p in (serial / "runs").glob("*.parquet")}
    one = long[(long["run_id"] == "china_2017__p1__r001")
               & (long["metric"] == "service_share") & (long["key"] == "wechat")]
    assert len(one) == 30
    # a scenario with a service of its own adds keys, not columns
    child = tmp_path / "own.toml"
    child.write_text('name = "own"\nextends = "baseline"\n[[services]]\nid = "gram"\n'
                     'category = "photos"\nforeign = true\nshare = 0.3\n', encoding="utf-8")
    path = write_experiment(tmp_path, GRID.replace('"{scenarios}/china_2017.toml"',
                                                   f'"{child.as_posix()}"'))
    assert main(["experiment", str(path), "--workers", "1", "--out", str(tmp_path / "o"),
                 "--quiet"]) == 0
    both = pd.read_parquet(tmp_path / "o" / "outcomes_long.parquet")
    gram = both[both["key"] == "gram"]
    assert set(gram["scenario"]) == {"own"} and set(both["scenario"]) == {"baseline", "own"}
    assert list(pd.read_parquet(tmp_path / "o" / "timeseries.parquet").columns) == list(
        pd.read_parquet(serial / "timeseries.parquet").columns)


def test_a_run_equals_the_same_run_made_by_hand(serial):
    summary, series = tables(serial)
    row = summary[summary["run_id"] == "china_2017__p0__r001"].iloc[0]
    frame, _ = run(SCENARIOS / "china_2017.toml", seed=int(row["seed"]),
                   overrides={"users": 300, "days": 30, "enforcement_intensity": 0.1})
    mine = series[series["run_id"] == "china_2017__p0__r001"].reset_index(drop=True)
    frame["date"] = frame["date"].astype(mine["date"].dtype)     # Parquet keeps ms, not s
    pd.testing.assert_frame_equal(mine[frame.columns], frame, check_frame_type=False)


def test_local_processes_give_identical_results(serial, tmp_path):
    path = write_experiment(tmp_path, GRID)
    assert main(["experiment", str(path), "--workers", "2", "--out", str(tmp_path / "out"),
                 "--quiet"]) == 0
    for mine, theirs in zip(tables(tmp_path / "out"), tables(serial)):
        pd.testing.assert_frame_equal(mine, theirs)


def test_a_different_experiment_in_the_same_folder_is_refused(serial, capsys):
    before = files(serial)
    path = serial.parent / "exp.toml"
    # (more replicates grow the same experiment: tests/test_experiment_grow.py)
    assert main(["experiment", str(path), "--out", str(serial), "--set", "users=400",
                 "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "holds a different one" in err and str(serial) in err and err.count("\n") == 1
    changed = serial.parent / "changed.toml"
    changed.write_text(path.read_text().replace("0.9]", "0.8]"))
    assert main(["experiment", str(changed), "--out", str(serial), "--quiet"]) == 2
    assert files(serial) == before


def test_rerunning_a_finished_experiment_runs_nothing_and_changes_no_result(serial, capsys):
    before = {k: v for k, v in files(serial).items() if k.startswith("runs/")}
    path = serial.parent / "exp.toml"
    assert main(["experiment", str(path), "--workers", "1", "--out", str(serial)]) == 0
    assert "8 of 8 runs done, 8 of them from before" in capsys.readouterr().out
    assert {k: v for k, v in files(serial).items() if k.startswith("runs/")} == before
    assert len(json.loads((serial / "manifest.json").read_text())["sessions"]) == 2


def test_resume_reruns_only_the_missing_runs(serial, tmp_path):
    path = write_experiment(tmp_path, GRID)
    out = tmp_path / "out"
    assert main(["experiment", str(path), "--workers", "1", "--out", str(out), "--quiet",
                 "--storage", "per-run"]) == 0
    kept = files(out / "runs")
    for name in ("baseline__p1__r000.parquet", "china_2017__p0__r001.parquet"):
        (out / "runs" / name).unlink()
    (out / "summary.parquet").unlink()
    assert main(["experiment", str(path), "--workers", "1", "--out", str(out), "--quiet"]) == 0
    now = files(out / "runs")
    assert now.keys() == kept.keys()
    redone = {k for k in kept if now[k] != kept[k]}
    assert redone == {"baseline__p1__r000.parquet", "china_2017__p0__r001.parquet"}
    for mine, theirs in zip(tables(out), tables(serial)):
        pd.testing.assert_frame_equal(mine, theirs)


FAILING = """
name = "failing"
scenarios = ["edges.toml"]
replicates = 2
seed = 3
[settings]
days = 10
[design]
kind = "grid"
[design.parameters]
users = [400, 300]            # the edge list names user 350: 300 users cannot hold it
"""


def test_a_failing_run_is_recorded_and_the_others_go_on(tmp_path, capsys):
    (tmp_path / "edges.csv").write_text("".join(f"{i},{(i + 1) % 400}\n" for i in range(400)))
    (tmp_path / "edges.toml").write_text(
        f'extends = "{SCENARIOS / "baseline.toml"}"\nname = "edges"\n'
        '[network]\nnetwork_kind = "edge_list"\nedge_list_file = "edges.csv"\n')
    path = write_experiment(tmp_path, FAILING)
    out = tmp_path / "out"
    assert main(["experiment", str(path), "--workers", "2", "--out", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "2 of 4 runs failed" in err and "user indices in [0, 299]" in err
    m = json.loads((out / "manifest.json").read_text())
    status = {r["run_id"]: (r["status"], r["error"]) for r in m["runs"]}
    assert status["edges__p0__r000"] == ("done", None)
    assert status["edges__p1__r001"][0] == "failed"
    assert "ScenarioError" in status["edges__p1__r001"][1]
    assert m["counts"] == {"total": 4, "done": 2, "failed": 2, "pending": 0}
    record = json.loads((out / "failed" / "edges__p1__r000.json").read_text())
    assert "Traceback" in record["traceback"]
    assert sorted(pd.read_parquet(out / "summary.parquet")["users"]) == [400, 400]

    # resuming retries the failed runs only (they fail again: the error is in the input)
    assert main(["experiment", str(path), "--workers", "1", "--out", str(out), "--quiet"]) == 1
    m = json.loads((out / "manifest.json").read_text())
    assert m["sessions"][-1]["ran"] == 2 and m["sessions"][-1]["failed"] == 2


def test_resuming_with_changed_model_code_says_so(tmp_path, monkeypatch, capsys):
    from model.batch import engine

    path = write_experiment(tmp_path, GRID)
    out = tmp_path / "out"
    args = ["experiment", str(path), "--workers", "1", "--out", str(out), "--quiet",
            "--set", "replicates=1", "--set", "design.parameters.enforcement_intensity=[0.5]"]
    assert main(args) == 0
    assert "different model code" not in capsys.readouterr().err
    real = engine.environment
    monkeypatch.setattr(engine, "environment", lambda: {**real(), "code_sha256": "0" * 64})
    assert main(args) == 0
    assert "this session runs different model code" in capsys.readouterr().err
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    assert sessions[0]["environment"]["code_sha256"] != sessions[1]["environment"]["code_sha256"]


def test_two_commands_never_write_one_folder_at_once(serial, capsys):
    from model.batch import load_experiment
    from model.batch.engine import plan_experiment

    path = serial.parent / "exp.toml"
    holder = plan_experiment(load_experiment(path), serial)   # holds the lock, as a run does
    try:
        assert main(["experiment", str(path), "--out", str(serial), "--quiet"]) == 2
        assert "one is running on it now" in capsys.readouterr().err
    finally:
        holder.release()
    assert main(["experiment", str(path), "--out", str(serial), "--quiet"]) == 0
