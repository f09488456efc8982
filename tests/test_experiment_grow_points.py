"""An experiment grows by grid points in its folder: the finished runs keep their ids, seeds
and files, the new points are numbered after the old ones, and any other change is refused."""

from __future__ import annotations

import json

import pandas as pd

from experiment_support import cli, files, stored, write_experiment

TEXT = """
name = "grow_points"
scenarios = ["{scenarios}/china_2017.toml"]
replicates = 1
seed = 3
common_random_numbers = false
[settings]
users = 300
days = 15
[design]
kind = "grid"
[design.parameters]
enforcement_intensity = [0.2, 0.8]
"""


def _run(exp, out, tmp_path, *flags):
    return cli(["experiment", exp, "--out", out, "--quiet", "--workers", "1", *flags],
               cwd=tmp_path)


def test_more_grid_values_add_points_without_redoing_or_renumbering(tmp_path):
    exp, out = write_experiment(tmp_path, TEXT), tmp_path / "out"
    assert _run(exp, out, tmp_path).returncode == 0
    before = {k: v for k, v in files(out).items() if k.startswith(("runs/", "parts/", "parts_long/"))}
    held = {r["run_id"]: (r["seed"], r["params"])
            for r in json.loads((out / "manifest.json").read_text())["runs"]}

    # a value in the middle: in grid order it would take point 1 from 0.8
    write_experiment(tmp_path, TEXT.replace("[0.2, 0.8]", "[0.2, 0.5, 0.8]"))
    grown = _run(exp, out, tmp_path)
    assert grown.returncode == 0, grown.stderr
    assert "3 of 3 runs done, 2 of them from before" in grown.stdout
    after = {k: v for k, v in files(out).items() if k.startswith(("runs/", "parts/", "parts_long/"))}
    assert all(after[k] == v for k, v in before.items())          # not rewritten: not redone
    manifest = json.loads((out / "manifest.json").read_text())
    runs = {r["run_id"]: (r["seed"], r["params"]) for r in manifest["runs"]}
    assert {k: runs[k] for k in held} == held                     # same ids, seeds, values
    assert runs["china_2017__p2__r000"][1] == {"enforcement_intensity": 0.5}
    assert manifest["design_points"] == 3
    design = pd.read_parquet(out / "design.parquet")
    assert design.to_dict("list") == {"point": [0, 1, 2],
                                      "enforcement_intensity": [0.2, 0.8, 0.5]}
    assert len(pd.read_parquet(out / "summary.parquet")) == 3

    again = _run(exp, out, tmp_path)                              # the grown file resumes
    assert again.returncode == 0 and "3 of 3 runs done, 3 of them from before" in again.stdout


def test_fewer_values_or_another_change_is_still_refused(tmp_path):
    exp, out = write_experiment(tmp_path, TEXT), tmp_path / "out"
    assert _run(exp, out, tmp_path).returncode == 0
    for changed in (TEXT.replace("[0.2, 0.8]", "[0.2]"),               # a point dropped
                    TEXT.replace("[0.2, 0.8]", "[0.2, 0.9]"),           # a value changed
                    TEXT.replace("[0.2, 0.8]", "[0.2, 0.8, 0.5]").replace("days = 15",
                                                                       "days = 16")):
        write_experiment(tmp_path, changed)
        refused = _run(exp, out, tmp_path)
        assert refused.returncode == 2 and "different one" in refused.stderr, changed
