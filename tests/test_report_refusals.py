"""`pressure report` refuses, in one line with exit code 2 and without writing, a folder that is
not a complete and consistent experiment; rerunning the experiment makes it consistent again."""

from __future__ import annotations

import json
import os
import shutil

import pandas as pd
import pytest

from experiment_support import GRID, write_experiment
from model.batch.cli import main


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    folder = tmp_path_factory.mktemp("finished")
    path = write_experiment(folder, GRID)
    assert main(["experiment", str(path), "--workers", "1", "--out", str(folder / "out"),
                 "--quiet", "--storage", "per-run"]) == 0
    return path, folder / "out"


@pytest.fixture(scope="module")
def batched(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batched")
    path = write_experiment(folder, GRID)
    assert main(["experiment", str(path), "--workers", "1", "--out", str(folder / "out"),
                 "--quiet"]) == 0
    assert [p.name for p in (folder / "out" / "parts").iterdir()] == ["part-00001.parquet"]
    return path, folder / "out"


def _truncated(name):
    """Damage: the file `name` of the folder cut to a third."""
    def damage(out):
        os.truncate(out / name, (out / name).stat().st_size // 3)
    return damage


def _newer(name):
    """Damage: the file `name` of the folder touched after the combined tables."""
    def damage(out):
        later = (out / "summary.parquet").stat().st_mtime_ns + 10**9
        os.utime(out / name, ns=(later, later))
    return damage


_truncate_a_run = _truncated("runs/china_2017__p1__r000.parquet")
_newer_run_file = _newer("runs/baseline__p0__r000.parquet")
_truncate_a_part = _truncated("parts/part-00001.parquet")
_newer_part = _newer("parts_long/part-00001.parquet")


def _journal_without_a_run(out):
    lines = (out / "journal.jsonl").read_text().splitlines()
    (out / "journal.jsonl").write_text("\n".join(lines[1:]) + "\n")


def _summary_short_of_a_run(out):
    summary = pd.read_parquet(out / "summary.parquet")
    summary.iloc[1:].to_parquet(out / "summary.parquet", index=False)


def _manifest(text):
    return lambda out: (out / "manifest.json").write_text(text)


def _manifest_without_runs(out):
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["runs"]
    (out / "manifest.json").write_text(json.dumps(manifest))


def _report_a_file(out):
    shutil.rmtree(out / "report", ignore_errors=True)
    (out / "report").write_text("notes")


REFUSED = {
    "a truncated run file": (_truncate_a_run, "expected an experiment whose run files are "
                             "whole (runs/china_2017__p1__r000.parquet is not a readable"),
    "a run file newer than the tables": (_newer_run_file, "summary.parquet is older than "
                                         "runs/baseline__p0__r000.parquet"),
    "a summary short of a run": (_summary_short_of_a_run, "summary.parquet covers other runs "
                                 "than the 8 finished"),
    "no design table": (lambda out: (out / "design.parquet").unlink(),
                        "design.parquet: expected the design table"),
    "no summary table": (lambda out: (out / "summary.parquet").unlink(),
                         "summary.parquet: expected the combined summary table"),
    "a manifest that is an array": (_manifest("[]"), "manifest.json: expected a JSON object"),
    "a manifest without runs": (_manifest_without_runs,
                                "manifest.json: runs: expected an array of run records"),
    "report/ a file": (_report_a_file, "report: expected the report's folder (this is a file"),
}


BATCHED_REFUSED = {
    "a truncated part": (_truncate_a_part, "expected an experiment whose run files are whole "
                         "(parts/part-00001.parquet is not a readable"),
    "a part newer than the tables": (_newer_part, "summary.parquet is older than "
                                     "parts_long/part-00001.parquet"),
    "a journal short of a run": (_journal_without_a_run, "(journal.jsonl does not list "
                                 "baseline__p0__r000 as finished"),
}


@pytest.mark.parametrize("case", [*REFUSED, *BATCHED_REFUSED],
                         ids=[*REFUSED, *BATCHED_REFUSED])
def test_an_inconsistent_folder_is_refused_in_one_line(case, finished, batched, tmp_path,
                                                       capsys):
    path, good = batched if case in BATCHED_REFUSED else finished
    out = tmp_path / "out"
    shutil.copytree(good, out)
    damage, fragment = {**REFUSED, **BATCHED_REFUSED}[case]
    damage(out)
    before = sorted(p.name for p in out.iterdir())
    assert main(["report", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("pressure report: error: ") and fragment in err, err
    assert sorted(p.name for p in out.iterdir()) == before


def test_a_folder_that_is_not_an_experiment_is_refused(tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    for folder, tail in ((tmp_path / "afile", " (this is a file)"), (tmp_path / "nowhere", ""),
                         (tmp_path, "")):
        assert main(["report", str(folder)]) == 2
        err = capsys.readouterr().err
        assert err == (f"pressure report: error: {folder}: expected an experiment folder (with "
                       f"manifest.json) made by `pressure experiment`{tail}\n")


@pytest.mark.parametrize("layout", ["per-run", "batched"])
def test_rerunning_the_experiment_makes_a_damaged_folder_reportable(layout, finished, batched,
                                                                    tmp_path, capsys):
    path, good = finished if layout == "per-run" else batched
    out = tmp_path / "out"
    shutil.copytree(good, out)
    (_truncate_a_run if layout == "per-run" else _truncate_a_part)(out)
    assert main(["report", str(out)]) == 2
    assert main(["experiment", str(path), "--workers", "1", "--out", str(out), "--quiet"]) == 0
    assert main(["report", str(out)]) == 0
    assert (out / "report" / "report.md").is_file()
