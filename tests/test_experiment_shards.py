"""`pressure experiment FILE --shard I/N` and `pressure merge`: the shards of a job array,
merged, are the unsharded experiment, run for run; anything else is refused with one line."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from experiment_support import GRID, tables, write_experiment
from model.batch.cli import main

RUNS = 2 * 2 * 2           # scenarios x points x replicates of GRID


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("shards")
    path = write_experiment(root, GRID)
    assert main(["experiment", str(path), "--workers", "1", "--out", str(root / "whole"),
                 "--quiet"]) == 0
    for i in (1, 2, 3):
        assert main(["experiment", str(path), "--shard", f"{i}/3", "--workers", "1",
                     "--out", str(root / f"s{i}"), "--quiet"]) == 0
    return root, path


def test_each_shard_runs_its_share_and_together_they_run_every_run_once(folders):
    root, _ = folders
    held = [json.loads((root / f"s{i}" / "manifest.json").read_text()) for i in (1, 2, 3)]
    ids = [r["run_id"] for m in held for r in m["runs"]]
    assert sorted(len(m["runs"]) for m in held) == [2, 3, 3]
    assert len(ids) == len(set(ids)) == RUNS
    assert all(m["shard"]["count"] == 3 and m["shard"]["total_runs"] == RUNS for m in held)


def test_merged_shards_equal_the_unsharded_experiment(folders, capsys):
    root, _ = folders
    out = root / "merged"
    assert main(["merge", *(str(root / f"s{i}") for i in (3, 1, 2)), "--out", str(out)]) == 0
    assert f"{RUNS} runs" in capsys.readouterr().out
    whole, merged = tables(root / "whole"), tables(out)
    for a, b in zip(whole, merged):
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
    order = pd.read_parquet(root / "whole" / "summary.parquet")["run_id"]
    assert list(pd.read_parquet(out / "summary.parquet")["run_id"]) == list(order)
    manifest = json.loads((out / "manifest.json").read_text())
    assert "shard" not in manifest and manifest["counts"]["done"] == RUNS
    assert {s["shard"] for s in manifest["sessions"]} == {"1/3", "2/3", "3/3"}


def test_the_merged_folder_resumes_as_the_whole_experiment(folders, capsys):
    root, path = folders
    out = root / "merged-resume"
    assert main(["merge", *(str(root / f"s{i}") for i in (1, 2, 3)), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["experiment", str(path), "--workers", "1", "--out", str(out),
                 "--quiet"]) == 0
    assert f"{RUNS} of {RUNS} runs done, {RUNS} of them from before" in capsys.readouterr().out


def _refused(capsys, argv, *words):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err


def test_merge_refuses_missing_repeated_and_foreign_shards(folders, tmp_path, capsys):
    root, path = folders
    shard = [str(root / f"s{i}") for i in (1, 2, 3)]
    _refused(capsys, ["merge", shard[0], shard[1], "--out", str(tmp_path / "a")],
             "missing shard 3")
    _refused(capsys, ["merge", shard[0], shard[1], shard[1], "--out", str(tmp_path / "b")],
             "shard 2 twice")
    other = tmp_path / "other"
    assert main(["experiment", str(path), "--set", "users=200", "--shard", "2/3",
                 "--workers", "1", "--out", str(other), "--quiet"]) == 0
    capsys.readouterr()
    _refused(capsys, ["merge", shard[0], str(other), shard[2], "--out", str(tmp_path / "c")],
             "fingerprint", str(other))
    _refused(capsys, ["merge", str(root / "whole"), "--out", str(tmp_path / "d")],
             "shard folder")
    _refused(capsys, ["merge", *shard, "--out", str(root / "whole")], "new or empty")
    assert not any(p.name.startswith(("a", "b", "c", "d", ".")) for p in tmp_path.iterdir()
                   if p.name != "other")


def test_an_unfinished_shard_is_not_merged(folders, tmp_path, capsys):
    root, _ = folders
    broken = tmp_path / "s2"
    import shutil

    shutil.copytree(root / "s2", broken)
    (broken / "journal.jsonl").unlink()
    manifest = json.loads((broken / "manifest.json").read_text())
    manifest["runs"][0]["status"] = "pending"
    (broken / "manifest.json").write_text(json.dumps(manifest))
    _refused(capsys, ["merge", str(root / "s1"), str(broken), str(root / "s3"),
                      "--out", str(tmp_path / "m")], "not done")
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("text", ["0/3", "4/3", "a/b", "3", "1/0", "-1/2"])
def test_a_bad_shard_is_one_line(tmp_path, capsys, text):
    path = write_experiment(tmp_path, GRID)
    _refused(capsys, ["experiment", str(path), f"--shard={text}", "--out",
                      str(tmp_path / "x")], "--shard")
    assert not (tmp_path / "x").exists()


def test_a_shard_folder_resumes_only_as_the_same_shard(folders, capsys):
    root, path = folders
    _refused(capsys, ["experiment", str(path), "--shard", "2/3", "--workers", "1",
                      "--out", str(root / "s1"), "--quiet"], "shard 1/3")
    _refused(capsys, ["experiment", str(path), "--workers", "1", "--out", str(root / "s1"),
                      "--quiet"], "shard")
    _refused(capsys, ["experiment", str(path), "--shard", "1/3", "--workers", "1",
                      "--out", str(root / "whole"), "--quiet"], "unsharded")
