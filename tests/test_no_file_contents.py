"""No message quotes a file's contents: a file of secrets given where a scenario, an experiment,
an `extends` parent, a scheduler file, a manifest or an edge list belongs is named, with the
position of the problem at most, never with what it holds."""

from __future__ import annotations

import contextlib
import io
import shutil

import pytest

from experiment_support import GRID, write_experiment
from model.cli import main

SECRET = "hunter2-SECRET"
PASSWD = f"root:{SECRET}:0:0:root:/root:/bin/bash\ndaemon:{SECRET}:1:1::/:/bin/sh\n"


def _stderr(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main([str(a) for a in argv])
    return code, err.getvalue()


@pytest.fixture
def secrets(tmp_path):
    path = tmp_path / "passwd"
    path.write_text(PASSWD)
    return path


def _places(tmp_path, secrets):
    (tmp_path / "child.toml").write_text(f'extends = "{secrets}"\n')
    experiment = write_experiment(tmp_path, GRID)
    folder = tmp_path / "exp"
    assert main(["experiment", str(experiment), "--workers", "1", "--out", str(folder),
                 "--quiet", "--set", "replicates=1"]) == 0
    shutil.copy(secrets, folder / "manifest.json")
    return {
        "a scenario": ["check", secrets],
        "an extends parent": ["check", tmp_path / "child.toml"],
        "an experiment file": ["experiment", secrets, "--out", tmp_path / "o1"],
        "a scheduler file": ["experiment", experiment, "--scheduler", secrets,
                             "--out", tmp_path / "o2"],
        "a manifest, to resume": ["experiment", experiment, "--out", folder],
        "a manifest, to report": ["report", folder],
    }


def test_messages_name_the_file_not_its_contents(tmp_path, secrets):
    for what, argv in _places(tmp_path, secrets).items():
        code, err = _stderr(argv)
        assert code == 2 and err.count("\n") == 1, (what, err)
        assert SECRET not in err and "/bin/" not in err, (what, err)


def test_an_edge_list_of_secrets_is_named_not_quoted(tmp_path, secrets):
    code, err = _stderr(["run", "baseline", "--users", "100", "--days", "2", "--no-figure",
                         "--set", "network.network_kind=edge_list",
                         "--set", f"network.edge_list_file={secrets}",
                         "--out", tmp_path / "out"])
    assert code == 2 and str(secrets) in err
    assert SECRET not in err and "/bin/" not in err, err
