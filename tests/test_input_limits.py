"""Input files are read within limits: regular files only, a size cap, so a named pipe, a device
or a huge file is one line and exit code 2, in a real process that would otherwise hang."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from experiment_support import SCENARIOS, write_experiment
from model.cli import main

PRESSURE = [sys.executable, "-m", "model.cli"]
ONE_SCENARIO = """
scenarios = ["long.toml"]
[settings]
users = 300
days = 5
"""


def pressure(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([*PRESSURE, *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=60, env={**os.environ, **env})


def one_line(done: subprocess.CompletedProcess, command: str) -> str:
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith(f"pressure {command}: error: ")
    return done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("command", ["check", "experiment"])
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(command, tmp_path):
    fifo = tmp_path / "input.toml"
    os.mkfifo(fifo)
    err = one_line(pressure([command, fifo], tmp_path), command)
    assert f"{fifo}: expected " in err and "this is a named pipe, not a regular file" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["input.toml"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_an_endless_device_is_refused_before_reading(tmp_path):
    err = one_line(pressure(["run", "/dev/zero"], tmp_path), "run")
    assert "/dev/zero: expected a scenario file (this is a character device" in err


def _in_process(argv: list[str], capsys) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().err


def test_a_file_over_the_size_cap_is_refused_and_the_cap_can_be_raised(tmp_path, monkeypatch,
                                                                       capsys):
    big = tmp_path / "big.toml"
    big.write_text('extends = "baseline"\n' + "# padding\n" * 150_000)    # 1.5 MB
    monkeypatch.setenv("PRESSURE_MAX_FILE_MB", "1")
    code, err = _in_process(["check", big], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "expected a scenario file of at most 1 MB (this one has 1.43 MB; set " \
           "PRESSURE_MAX_FILE_MB to allow more)" in err
    monkeypatch.setenv("PRESSURE_MAX_FILE_MB", "2")
    assert _in_process(["check", big], capsys)[0] == 0
    monkeypatch.setenv("PRESSURE_MAX_FILE_MB", "lots")
    code, err = _in_process(["check", big], capsys)
    assert code == 2 and "PRESSURE_MAX_FILE_MB: expected a size in megabytes" in err


def test_a_bare_folder_name_is_reported_as_that_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    code, err = _in_process(["check", "mine"], capsys)
    assert code == 2 and err.startswith("pressure check: error: mine: expected a scenario file "
                                        "(this is a folder") and "scenarios/" not in err
    # a folder named like a shipped scenario does not hide it
    (tmp_path / "baseline").mkdir()
    assert _in_process(["check", "baseline"], capsys)[0] == 0


def test_a_scenario_name_too_long_for_run_files_is_refused_up_front(tmp_path):
    (tmp_path / "long.toml").write_text(f'extends = "{SCENARIOS / "baseline.toml"}"\n'
                                        f'name = "{"x" * 300}"\n')
    path = write_experiment(tmp_path, ONE_SCENARIO)
    err = one_line(pressure(["experiment", path, "--workers", "1"], tmp_path), "experiment")
    assert ": scenarios[0]: expected a scenario whose name is usable in file names" in err
    assert not (tmp_path / "results").exists()


def test_a_chain_of_a_thousand_extends_is_one_line(tmp_path):
    for i in range(1000):
        (tmp_path / f"s{i}.toml").write_text(f'extends = "s{i + 1}.toml"\n')
    (tmp_path / "s1000.toml").write_text(f'extends = "{SCENARIOS / "baseline.toml"}"\n')
    err = one_line(pressure(["check", "s0.toml"], tmp_path), "check")
    assert "s31.toml: extends: expected a chain of at most 32 scenario files" in err
