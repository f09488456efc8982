"""The results folder: locked before it is looked at, refused in one line when it is not this
experiment's (or not a folder at all), and a refused command leaves nothing behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from experiment_support import GRID, files, write_experiment
from model import ScenarioError
from model.batch import load_experiment
from model.batch.cli import main
from model.batch.engine import plan_experiment, run_experiment
from model.batch.executors import SerialExecutor

TINY = ["--set", "replicates=1", "--set", "design.parameters.enforcement_intensity=[0.5]"]


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("pressure experiment: error: ")
    return err


def test_a_second_plan_on_a_folder_is_refused_while_the_first_holds_it(tmp_path):
    experiment = load_experiment(write_experiment(tmp_path, GRID), TINY[1::2])
    out = tmp_path / "out"
    first = plan_experiment(experiment, out)          # locked before the folder is looked at
    with pytest.raises(ScenarioError, match="one is running on it now"):
        plan_experiment(experiment, out)
    outcome = run_experiment(first, SerialExecutor())
    assert outcome.done == outcome.total == 2
    again = plan_experiment(experiment, out)           # released when the run ended
    assert again.previous is not None and again.previous["counts"]["done"] == 2
    again.release()


def test_a_refused_plan_removes_the_folders_and_lock_it_created(tmp_path):
    experiment = load_experiment(write_experiment(tmp_path, GRID), TINY[1::2])
    foreign = tmp_path / "a" / "b"
    foreign.mkdir(parents=True)
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(ScenarioError, match="no manifest.json"):
        plan_experiment(experiment, foreign)
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    plan = plan_experiment(experiment, tmp_path / "new" / "deeper")
    plan.release(undo=True)                             # e.g. the scheduler was unreachable
    assert not (tmp_path / "new").exists()


def test_out_under_a_file_or_where_nothing_can_be_created_is_one_line(tmp_path, capsys):
    path = write_experiment(tmp_path, GRID)
    (tmp_path / "afile").write_text("x")
    before = files(tmp_path)
    assert main(["experiment", str(path), "--out", str(tmp_path / "afile" / "sub"),
                 "--quiet"]) == 2
    assert f"--out: {tmp_path / 'afile' / 'sub'}: expected a folder ({tmp_path / 'afile'} is " \
           "a file)" in _one_line(capsys)
    if Path("/proc/self").is_dir():
        assert main(["experiment", str(path), "--out", "/proc/pressure-results", "--quiet"]) == 2
        assert "expected a folder that can be created" in _one_line(capsys)
    assert files(tmp_path) == before


BAD_MANIFESTS = {
    "an array": ("[]", None, "a JSON object"),
    "an empty object": ("{}", "fingerprint", "a string"),
    "without runs": (None, "runs", "an array of run records"),
    "a run without a status": ("runs0", "runs[0]", "a run record with a run_id, scenario, point"),
    "not JSON": ("{runs: 3", None, "valid JSON"),
    "nested thousands deep": ("[" * 100_000 + "]" * 100_000, None, "valid JSON"),
    "a run removed by hand": ("drop", "runs", "the runs of this experiment"),
}


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    folder = tmp_path_factory.mktemp("finished")
    path = write_experiment(folder, GRID)
    assert main(["experiment", str(path), "--workers", "1", "--out", str(folder / "out"),
                 "--quiet", *TINY]) == 0
    return path, folder / "out"


@pytest.mark.parametrize("case", list(BAD_MANIFESTS), ids=list(BAD_MANIFESTS))
def test_a_broken_manifest_is_one_line_naming_it_and_nothing_changes(case, finished, capsys):
    path, out = finished
    good = (out / "manifest.json").read_text()
    text, key, expected = BAD_MANIFESTS[case]
    manifest = json.loads(good)
    if text is None:
        del manifest["runs"]
    elif text == "runs0":
        del manifest["runs"][0]["status"]
    elif text == "drop":
        manifest["runs"].pop()
    if text in (None, "runs0", "drop"):
        text = json.dumps(manifest)
    (out / "manifest.json").write_text(text)
    before = files(out)
    try:
        assert main(["experiment", str(path), "--workers", "1", "--out", str(out), "--quiet",
                     *TINY]) == 2
        err = _one_line(capsys)
        where = f"{out / 'manifest.json'}: {key}: " if key else f"{out / 'manifest.json'}: "
        assert where + f"expected {expected}" in err
        assert files(out) == before
    finally:
        (out / "manifest.json").write_text(good)
