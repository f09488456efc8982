"""`--scheduler`: a malformed address or scheduler file is one line at once; a closed port, an
unknown host and a port that accepts but never answers are one line within the timeout; none of
them leaves a folder or a traceback. (A working cluster: test_experiment_dask.py.)"""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest

from experiment_support import GRID, ROOT, write_experiment
from model.batch.cli import main

pytest.importorskip("distributed")

MALFORMED = {
    "an unknown scheme": ("foo://127.0.0.1:8786", "expected an address with the scheme tcp, "
                          "tls, ws, wss, ucx"),
    "a port that is not a number": ("tcp://127.0.0.1:abc", "a port number in 1..65535"),
    "no port": ("tcp://127.0.0.1", "a port number in 1..65535"),
    "a port out of range": ("tcp://127.0.0.1:70000", "a port number in 1..65535"),
    "no host": ("tcp://:8786", "an address with a host"),
    "neither address nor file": ("nowhere", "a scheduler address like tcp://HOST:PORT or a "
                                 "scheduler file"),
    "a file without an address": ("file:{\"type\": \"Scheduler\"}",
                                  "address: expected the scheduler's address"),
    "a file that is not JSON": ("file:[", "expected a scheduler file: JSON"),
    "a file with a bad address": ("file:{\"address\": \"tcp://h:x\"}",
                                  "address: expected an address with a port number"),
}


def _experiment(tmp_path, capsys, scheduler: str, *flags: str) -> str:
    path = write_experiment(tmp_path, GRID)
    assert main(["experiment", str(path), "--scheduler", scheduler, "--out",
                 str(tmp_path / "out"), "--quiet", *flags]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "Exception ignored" not in err
    assert not (tmp_path / "out").exists()
    return err


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_a_malformed_scheduler_is_one_line_at_once(case, tmp_path, capsys):
    given, fragment = MALFORMED[case]
    if given.startswith("file:"):
        (tmp_path / "scheduler.json").write_text(given[5:])
        given = str(tmp_path / "scheduler.json")
    start = time.monotonic()
    assert fragment in _experiment(tmp_path, capsys, given)
    assert time.monotonic() - start < 5


def test_a_closed_port_is_one_line_at_once(tmp_path, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]                  # closed again when the block ends
    err = _experiment(tmp_path, capsys, f"tcp://127.0.0.1:{port}")
    assert f"expected a Dask scheduler answering at tcp://127.0.0.1:{port} within 30 s (no " \
           "connection: Connection refused)" in err


def test_scheduler_timeout_needs_a_scheduler(tmp_path, capsys):
    path = write_experiment(tmp_path, GRID)
    assert main(["experiment", str(path), "--scheduler-timeout", "5", "--quiet"]) == 2
    assert "--scheduler-timeout: expected --scheduler with it" in capsys.readouterr().err


def test_a_port_that_never_answers_times_out_in_a_real_process(tmp_path):
    path = write_experiment(tmp_path, GRID)
    with socket.socket() as listener:              # accepts connections, never says a word
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        address = f"tcp://127.0.0.1:{listener.getsockname()[1]}"
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "model.batch", "experiment", str(path),
                               "--scheduler", address, "--scheduler-timeout", "2",
                               "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True,
                              text=True, timeout=120)
        took = time.monotonic() - start
    assert done.returncode == 2, done.stderr
    assert done.stderr == (f"pressure experiment: error: --scheduler: expected a Dask scheduler "
                           f"answering at {address} within 2 s (it accepts connections but "
                           "does not answer: pass --scheduler-timeout SECONDS to wait longer)\n")
    assert took < 30 and not (tmp_path / "out").exists()
