"""`pressure run`'s output folder is checked before the simulation: a name too long for the file
system, and an experiment's folder (whose combined tables a run would overwrite), are one line
with exit code 2 and nothing written."""

from __future__ import annotations

import time

from experiment_support import GRID, SCENARIOS, files, write_experiment
from model.batch.cli import main as batch_main
from model.cli import main


def test_a_scenario_name_too_long_for_its_folder_fails_before_simulating(tmp_path, monkeypatch,
                                                                          capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "long.toml").write_text(f'extends = "{SCENARIOS / "baseline.toml"}"\n'
                                        f'name = "{"n" * 300}"\n')
    start = time.monotonic()
    assert main(["run", "long.toml", "--users", "100000"]) == 2     # a run of some seconds
    assert time.monotonic() - start < 5
    err = capsys.readouterr().err
    # 300 + "-seed0" + "-users=100000": the folder is named from the overrides too
    assert err.count("\n") == 1 and "expected folder names of at most 245 bytes (one has " \
        "319; the default folder is named after the scenario (300 characters): pass --out)" \
        in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.toml"]


def test_run_into_an_experiment_folder_is_refused(tmp_path, capsys):
    path = write_experiment(tmp_path, GRID)
    out = tmp_path / "exp"
    assert batch_main(["experiment", str(path), "--workers", "1", "--out", str(out), "--quiet",
                       "--set", "replicates=1"]) == 0
    before = files(out)
    assert main(["run", "baseline", "--users", "300", "--days", "5", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"--out: {out}: expected a folder that is not an " \
        "experiment's (it has manifest.json" in err
    assert files(out) == before
