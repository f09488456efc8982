"""docs/guide.md stays true: every command and code block in it runs, in order.

How the guide is read:
- fenced blocks are ```sh (commands), ```python (code) or ```toml whose first line is
  `# file: NAME.toml` (a file the reader saves); no other fenced blocks are allowed, so nothing
  in the guide escapes this test;
- every toml block is written first into the working folder (`<tmp>/my-study`, the folder the
  guide's second shell block creates beside the checkout);
- shell blocks run with `bash -e`, one after another, each starting in the folder the previous one
  ended in (as in one terminal), with the virtual environment's `bin/` first on the PATH; python
  blocks run with the virtual environment's python in the current folder; each must exit 0;
- the set-up block (the one with `make test`) is not executed, because `make test` would run this
  test again and `make run` simulates 10,000 users: its lines must be exactly the three below,
  `make -n run` and `make -n test` must name the commands the guide says they run, and the
  activation script must exist; the folder the next block starts in stands in for the checkout;
- the block that starts the Dask cluster (lines `dask scheduler ... &` and `dask worker ... &`)
  is started line by line as separate processes on a free port instead of 8786 (every later
  `8786` becomes that port), waited for, and torn down at the end.

The guide uses small sizes (1,000 users, 2 or 3 replicates) verbatim, so nothing is substituted
but the port. At the end a few key outputs must exist.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide.md"
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
BIN = str(VENV_BIN) if VENV_BIN.exists() else str(Path(sys.executable).parent)
DASK_PORT = "8786"
SETUP = ["make run", "make test", "source .venv/bin/activate"]
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.M | re.S)
TIMEOUT = 240                                  # seconds, per block


def blocks() -> list[tuple[str, str]]:
    """(info string, body) of every fenced block, in order."""
    return [(m.group(1).strip(), m.group(2)) for m in FENCE.finditer(GUIDE.read_text())]


def commands(body: str) -> list[str]:
    """A shell block's command lines, without comments."""
    out = []
    for line in body.splitlines():
        line = re.sub(r"\s+#.*$", "", line).strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    env.pop("VIRTUAL_ENV", None)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _check(proc: subprocess.CompletedProcess, what: str) -> None:
    assert proc.returncode == 0, (f"{what} exited {proc.returncode}\n--- stdout\n{proc.stdout}"
                                  f"\n--- stderr\n{proc.stderr}")


def test_guide_blocks_are_all_marked():
    found = blocks()
    assert found, "no code blocks in docs/guide.md"
    kinds = {info for info, _ in found}
    assert kinds <= {"sh", "python", "toml"}, f"unmarked or unknown blocks: {kinds}"
    names = []
    for info, body in found:
        if info == "toml":
            first = body.splitlines()[0]
            assert re.fullmatch(r"# file: [\w.-]+\.toml", first), first
            names.append(first.split()[-1])
    assert len(names) == len(set(names))
    setup = [b for i, b in found if i == "sh" and "make test" in b]
    assert len(setup) == 1 and commands(setup[0]) == SETUP


def test_setup_block_targets_exist():
    """`make run` and `make test` do what the guide says (dry run: nothing is executed)."""
    env = _env()
    run = subprocess.run(["make", "-n", "run"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60)
    _check(run, "make -n run")
    assert "pressure run scenarios/china_2017.toml" in run.stdout
    test = subprocess.run(["make", "-n", "test"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    _check(test, "make -n test")
    assert "pytest" in test.stdout
    assert (ROOT / ".venv" / "bin" / "activate").exists() or not VENV_BIN.exists()


class Cluster:
    """The guide's `dask scheduler` / `dask worker` lines, started on a free port."""

    def __init__(self, lines: list[str], cwd: Path, env: dict[str, str], log: Path):
        self.port = str(_free_port())
        self.procs: list[subprocess.Popen] = []
        self.log = open(log, "w")
        for line in lines:
            assert line.endswith("&") and line.startswith("dask "), line
            argv = shlex.split(line[:-1].replace(DASK_PORT, self.port))
            self.procs.append(subprocess.Popen(argv, cwd=cwd, env=env, stdout=self.log,
                                               stderr=subprocess.STDOUT,
                                               start_new_session=True))
            if argv[1] == "scheduler":
                self._wait_for_port()

    def _wait_for_port(self) -> None:
        deadline = time.monotonic() + 90
        while True:
            assert self.procs[0].poll() is None, Path(self.log.name).read_text()
            try:
                socket.create_connection(("127.0.0.1", int(self.port)), timeout=1).close()
                return
            except OSError:
                assert time.monotonic() < deadline, "the scheduler did not start"
                time.sleep(0.2)

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(f"tcp://127.0.0.1:{self.port}", timeout=60) as client:
            client.wait_for_workers(n, timeout=120)

    def stop(self) -> None:
        for proc in reversed(self.procs):              # workers first, then the scheduler
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)   # its own session: the nannies' workers too
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=20)
        self.log.close()


def test_every_block_of_the_guide_runs(tmp_path):
    pytest.importorskip("distributed")
    pytest.importorskip("ema_workbench")
    env = _env()
    checkout = tmp_path / "platform-pressure"   # stands in for the checkout after set-up
    study = tmp_path / "my-study"
    checkout.mkdir()
    study.mkdir()
    found = blocks()
    for info, body in found:
        if info == "toml":
            name = body.splitlines()[0].split()[-1]
            (study / name).write_text(body)

    cwd = checkout
    cluster: Cluster | None = None
    where = tmp_path / "cwd.txt"
    try:
        for n, (info, body) in enumerate(found):
            what = f"guide block {n} ({info}):\n{body}"
            if cluster is not None:
                body = body.replace(DASK_PORT, cluster.port)
            if info == "sh" and commands(body) == SETUP:
                continue                                # checked by test_setup_block_targets_exist
            if info == "sh" and commands(body)[0].startswith("dask scheduler"):
                lines = commands(body)
                cluster = Cluster(lines, cwd, env, tmp_path / "cluster.log")
                workers = sum(int(m) for m in re.findall(r"--nworkers (\d+)", " ".join(lines)))
                cluster.wait_for_workers(workers or 1)
                continue
            if info == "sh":
                script = f"{body}\npwd > {shlex.quote(str(where))}\n"
                proc = subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=env,
                                      capture_output=True, text=True, timeout=TIMEOUT)
                _check(proc, what)
                cwd = Path(where.read_text().strip())
            elif info == "python":
                proc = subprocess.run([PYTHON, "-"], input=body, cwd=cwd, env=env,
                                      capture_output=True, text=True, timeout=TIMEOUT)
                _check(proc, what)
    finally:
        if cluster is not None:
            cluster.stop()

    assert cluster is not None, "the guide's Dask section was not found"
    assert cwd == study
    run = study / "results" / "runs" / "data_localization_2017-seed1-users=1000"
    for name in ("timeseries.parquet", "summary.json", "figure.png"):
        assert (run / name).is_file(), name
    sweep = (study / "results" / "sweep" / "report" / "report.md").read_text()
    assert "## Outcomes against the swept parameters" in sweep
    compare = (study / "results" / "compare" / "report" / "report.md").read_text()
    assert "## Scenarios against `baseline`" in compare
    assert "data_localization_2017" in compare
    again = (study / "results" / "compare-2017" / "report" / "report.md").read_text()
    assert "## Scenarios against `china_2017`" in again
    assert (study / "results" / "sweep-dask" / "report" / "report.md").is_file()


def _slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_guide_links_resolve():
    """Every relative link of the guide names an existing file (and heading, if it has `#`)."""
    text = GUIDE.read_text()
    links = re.findall(r"\]\(([^)\s]+)\)", FENCE.sub("", text))
    local = [link for link in links if not re.match(r"[a-z]+://", link)]
    assert local
    for link in local:
        target, _, anchor = link.partition("#")
        path = (GUIDE.parent / target) if target else GUIDE
        assert path.is_file(), link
        if anchor:
            headings = re.findall(r"^#+ (.+)$", FENCE.sub("", path.read_text()), re.M)
            assert anchor in {_slug(h) for h in headings}, link
