"""Exit codes, one meaning each: an unexpected error is one line naming what failed and where its
trace went (the experiment's folder, else a temporary folder), never a traceback; the manifest
says the session ended in an error."""

from __future__ import annotations

import json
import re
from pathlib import Path

from experiment_support import GRID, stored, write_experiment
from model.batch.cli import main as batch_main
from model.cli import main

LINE = re.compile(r"^pressure (\w+): internal error: (\w+) in (\S+:\d+) \((\w+)\); the full "
                  r"trace is in (\S+)$")


def _internal_error(err: str) -> re.Match:
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    match = LINE.match(lines[0])
    assert match, lines[0]
    return match


def test_an_unexpected_error_in_an_experiment_leaves_its_trace_in_the_folder(
        tmp_path, monkeypatch, capsys):
    from model.batch import storage

    def broken(self, specs):
        raise RuntimeError("a message that could quote some file")

    monkeypatch.setattr(storage.ResultStore, "combine", broken)
    out = tmp_path / "out"
    path = write_experiment(tmp_path, GRID)
    assert batch_main(["experiment", str(path), "--workers", "1", "--out", str(out),
                       "--quiet", "--set", "replicates=1"]) == 1
    err = capsys.readouterr().err
    match = _internal_error(err)
    assert match.group(1, 2, 4) == ("experiment", "RuntimeError", "_session")
    assert match.group(3).startswith("model/batch/engine.py:")   # the innermost frame of ours
    assert "could quote" not in err                               # never the message
    trace = Path(match.group(5))
    assert trace.parent == out and "RuntimeError: a message" in trace.read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sessions"][-1]["status"] == "error"
    assert manifest["sessions"][-1]["error"] == "RuntimeError"
    assert manifest["counts"]["done"] == 4 == len(stored(out))   # held back runs kept too


def test_an_unexpected_error_elsewhere_leaves_its_trace_in_a_temporary_folder(
        tmp_path, monkeypatch, capsys):
    import model.api

    def broken(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(model.api, "run", broken)
    code = main(["run", "baseline", "--users", "300", "--days", "5",
                 "--out", str(tmp_path / "out")])
    assert code == 1
    match = _internal_error(capsys.readouterr().err)
    assert match.group(1, 2) == ("run", "MemoryError")
    trace = Path(match.group(5))
    assert trace.name == "trace.log" and trace.parent.name.startswith("pressure-crash-")
    assert "MemoryError" in trace.read_text()
    assert not (tmp_path / "out").exists()
