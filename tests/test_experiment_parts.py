"""Batched storage (parts.py): a few part files and a journal instead of two files per run, with
the same guarantees: identical results, a damaged part or a cut journal named in one note and
its runs redone, a part the journal does not list ignored, older per-run folders kept as they
are."""

from __future__ import annotations

import json
import os
import shutil

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from experiment_support import GRID, tables, write_experiment
from model.batch import parts
from model.batch.cli import main
from model.batch.parts import PartFiles, read_journal

RUNS = 8


def _run(path, out, *flags):
    return main(["experiment", str(path), "--workers", "1", "--out", str(out), "--quiet",
                 *flags])


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parts")
    path = write_experiment(folder, GRID)
    assert _run(path, folder / "batched") == 0
    assert _run(path, folder / "per-run", "--storage", "per-run") == 0
    return path, folder / "batched", folder / "per-run"


def test_runs_go_into_one_part_and_a_journal_with_the_same_results(both):
    _, batched, per_run = both
    assert sorted(p.name for p in (batched / "parts").iterdir()) == ["part-00001.parquet"]
    assert sorted(p.name for p in (batched / "parts_long").iterdir()) == ["part-00001.parquet"]
    assert not (batched / "runs").exists()
    journal = read_journal(batched / "journal.jsonl")
    assert len(journal) == RUNS and {e["part"] for e in journal.values()} == {"part-00001"}
    assert pq.ParquetFile(batched / "parts" / "part-00001.parquet").num_row_groups == RUNS
    manifest = json.loads((batched / "manifest.json").read_text())
    assert manifest["storage"] == {"layout": "batched", "save_every_s": 30.0}
    assert json.loads((per_run / "manifest.json").read_text())["storage"] == {
        "layout": "per-run"}
    for mine, theirs in zip(tables(batched), tables(per_run)):
        pd.testing.assert_frame_equal(mine, theirs)
    long = [pd.read_parquet(f / "outcomes_long.parquet").sort_values(
        ["run_id", "metric", "key", "day"]).reset_index(drop=True) for f in (batched, per_run)]
    pd.testing.assert_frame_equal(*long)


def _rewrite_part(out, keep):
    path = out / "parts" / "part-00001.parquet"
    table = pq.read_table(path)
    pq.write_table(keep(table), path)


def _short_run(table):
    """baseline__p0__r001 loses 20 of its 30 days; the other runs are untouched."""
    ids = table.column("run_id").to_pylist()
    rows = [i for i, r in enumerate(ids) if r != "baseline__p0__r001"
            or i - ids.index(r) < 10]
    return table.take(rows)


def test_a_truncated_part_is_set_aside_and_all_its_runs_run_again(both, tmp_path, capsys):
    path, good, _ = both
    out = tmp_path / "out"
    shutil.copytree(good, out)
    part = out / "parts" / "part-00001.parquet"
    os.truncate(part, part.stat().st_size // 2)
    damaged = part.read_bytes()
    assert _run(path, out) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("pressure experiment: note: parts/part-00001.parquet is not a "
                          "readable Parquet file") and f"its {RUNS} runs run again" in err
    kept = sorted(p.name.split(".")[0] for p in (out / "corrupt").iterdir())
    assert kept == ["parts-part-00001", "parts_long-part-00001"]
    assert next((out / "corrupt").glob("parts-*")).read_bytes() == damaged   # kept whole
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["done"] == RUNS and manifest["sessions"][-1]["ran"] == RUNS
    assert [p.name for p in (out / "parts").iterdir()] == ["part-00002.parquet"]
    for mine, theirs in zip(tables(out), tables(good)):
        pd.testing.assert_frame_equal(mine, theirs)


def test_a_run_short_of_days_in_a_part_runs_again_alone(both, tmp_path, capsys):
    path, good, _ = both
    out = tmp_path / "out"
    shutil.copytree(good, out)
    _rewrite_part(out, _short_run)
    assert _run(path, out) == 0
    err = capsys.readouterr().err
    assert err.startswith("pressure experiment: note: parts/part-00001.parquet has 10 rows "
                          "where the run has 30 days") and "the run runs again" in err, err
    assert json.loads((out / "manifest.json").read_text())["sessions"][-1]["ran"] == 1
    assert not list((out / "corrupt").glob("parts-*"))              # still needed: kept
    assert (out / "parts" / "part-00001.parquet").is_file()
    journal = read_journal(out / "journal.jsonl")
    assert journal["baseline__p0__r001"]["part"] == "part-00002"   # the others stay put
    assert sum(e["part"] == "part-00001" for e in journal.values()) == RUNS - 1
    for mine, theirs in zip(tables(out), tables(good)):           # the short rows are ignored
        pd.testing.assert_frame_equal(mine, theirs)


def test_a_journal_cut_short_and_a_part_it_does_not_list_lose_only_those_runs(
        both, tmp_path, capsys):
    """What a kill can leave: a part renamed into place but never journalled, and a last
    journal line half written. Their runs run again; nothing is counted twice."""
    path, good, _ = both
    out = tmp_path / "out"
    shutil.copytree(good, out)
    shutil.copy(out / "parts" / "part-00001.parquet", out / "parts" / "part-00007.parquet")
    lines = (out / "journal.jsonl").read_bytes().splitlines(keepends=True)
    (out / "journal.jsonl").write_bytes(b"".join(lines[:-1]) + lines[-1][:40])
    (out / "summary.parquet").unlink()
    assert _run(path, out) == 0
    assert capsys.readouterr().err == ""
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sessions"][-1]["ran"] == 1 and manifest["counts"]["done"] == RUNS
    assert read_journal(out / "journal.jsonl")[json.loads(lines[-1])["run_id"]]["part"] \
        == "part-00008"                                             # numbered past the orphan
    summary, series = tables(out)
    assert summary["run_id"].is_unique and len(series) == RUNS * 30
    for mine, theirs in zip((summary, series), tables(good)):
        pd.testing.assert_frame_equal(mine, theirs)


def test_save_every_rotates_parts_and_a_part_holds_at_most_its_cap(tmp_path, monkeypatch):
    path = write_experiment(tmp_path, GRID)
    monkeypatch.setattr(parts, "MAX_RUNS_PER_PART", 3)
    assert _run(path, tmp_path / "capped") == 0
    sizes = sorted(pq.ParquetFile(p).num_row_groups for p in (tmp_path / "capped" / "parts")
                   .iterdir())
    assert sizes == [2, 3, 3]
    assert _run(path, tmp_path / "often", "--save-every", "0.000001") == 0   # every run
    assert len(list((tmp_path / "often" / "parts").iterdir())) == RUNS
    for mine, theirs in zip(tables(tmp_path / "capped"), tables(tmp_path / "often")):
        pd.testing.assert_frame_equal(mine, theirs)


def test_a_per_run_folder_keeps_its_layout_when_it_grows(both, tmp_path):
    path, _, per_run = both
    out = tmp_path / "out"
    shutil.copytree(per_run, out)
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["storage"]                      # as folders from before batching have it
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert _run(path, out, "--set", "replicates=3") == 0
    assert len(list((out / "runs").glob("*.parquet"))) == 12 and not (out / "parts").exists()


def test_an_unknown_layout_in_the_manifest_is_one_line_and_exit_2(both, tmp_path, capsys):
    path, good, _ = both
    out = tmp_path / "out"
    shutil.copytree(good, out)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["storage"] = {"layout": "zip"}
    (out / "manifest.json").write_text(json.dumps(manifest))
    before = sorted(p.name for p in out.rglob("*"))
    assert _run(path, out) == 2
    err = capsys.readouterr().err
    assert err == (f"pressure experiment: error: {out}/manifest.json: storage.layout: expected "
                   "batched or per-run (as `pressure experiment` writes it), got 'zip'\n")
    assert sorted(p.name for p in out.rglob("*")) == before


def _table(run_id: str, rows: int, extra: bool = False) -> pa.Table:
    columns = {"run_id": [run_id] * rows, "day": list(range(rows))}
    if extra:                                   # other columns: a part of their own
        columns["extra"] = [1.5] * rows
    return pa.table(columns)


@settings(max_examples=40, deadline=None)
@given(runs=st.lists(st.tuples(st.integers(1, 5), st.booleans(), st.booleans()),
                     min_size=1, max_size=12), killed_at=st.integers(0, 12))
def test_what_is_read_back_is_exactly_what_was_stored_for_good(runs, killed_at, tmp_path_factory):
    """Any runs, any flushes, schema changes, then a kill: the journal lists exactly the runs
    `put` and `flush` said were stored, and each reads back whole; a new session on the folder
    numbers parts past every part there."""
    root = tmp_path_factory.mktemp("layout")
    layout = PartFiles(root, save_every=float("inf"))
    layout.open()
    said, tables_ = [], {}
    for n, (rows, flush, other_schema) in enumerate(runs[:killed_at]):
        run_id = f"r{n}"
        tables_[run_id] = _table(run_id, rows, extra=other_schema)
        said += layout.put(run_id, tables_[run_id], {"run_id": run_id}, None)
        if flush:
            said += layout.flush()
    layout.abort()                               # killed: the open part is lost
    again = PartFiles(root)
    again.open()
    everyone = [f"r{n}" for n in range(len(runs))]
    assert again.finished(everyone) == set(said)
    read = {r: t for r, t, _, _ in again.read(everyone)}
    assert list(read) == [r for r in everyone if r in said]
    for run_id, table in read.items():
        assert table.equals(tables_[run_id])
    assert not list(root.rglob(".*.tmp"))
    assert again._next > max((int(p.stem.split("-")[1]) for p in (root / "parts").iterdir()),
                             default=0)
