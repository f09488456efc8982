"""`pressure viz` tells the truth about where it listens: the real port for `--port 0` (printed
once the server answers), one line and exit code 2 for a port in use or an address this machine
does not have, and a warning when the app is reachable beyond this machine."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytest.importorskip("solara", reason="the viz extra is not installed")

from experiment_support import ROOT  # noqa: E402
from model.viz import listen  # noqa: E402
from model.viz.cli import main  # noqa: E402


def test_a_port_in_use_is_one_line_before_any_server_starts(capsys):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        assert main(["--port", str(port)]) == 2
    assert capsys.readouterr().err == (
        f"pressure viz: error: --port: expected a free port ({port} on 127.0.0.1 is in use by "
        "another program): pass another --port, or --port 0 for a free one\n")


@pytest.mark.parametrize("host,fragment", [("192.0.2.1", "an address this machine can listen "
                                                         "on"),
                                           ("no-such-host.invalid", "an address or host name")])
def test_an_address_this_machine_does_not_have_is_one_line(host, fragment, capsys):
    assert main(["--host", host, "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("pressure viz: error: --host: expected ")
    assert fragment in err


def test_which_addresses_reach_beyond_this_machine():
    assert [listen.beyond_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "localhost")] \
        == [None] * 4
    assert listen.beyond_loopback("0.0.0.0") == "every IPv4 interface"
    assert listen.beyond_loopback("::") == "every interface"


def test_port_zero_serves_on_the_real_port_and_warns_beyond_loopback(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "model.cli", "viz", "--host", "0.0.0.0",
                             "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=open(tmp_path / "err", "w"), text=True,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        line = ""
        while "serving on" not in line:
            assert time.monotonic() < deadline and proc.poll() is None, (tmp_path / "err")\
                .read_text()
            line = proc.stdout.readline()
        port = int(re.search(r"serving on http://0\.0\.0\.0:(\d+) ", line).group(1))
        assert port != 0
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
            assert page.status == 200                  # it listens where it says, already
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.stdout.close()
    err = (tmp_path / "err").read_text()
    assert (f"pressure viz: warning: listening on 0.0.0.0 (every IPv4 interface): anyone who "
            f"can reach this machine on port {port} can open the app") in err
