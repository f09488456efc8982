"""The `pressure` command: run, check, and one clean line with exit code 2 for bad input."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from model.cli import main
from model.config.loader import load_scenario
from model.config.parameters import DEFAULTS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_scenario_loader import (  # noqa: E402  (the shared catalogue of bad input)
    BAD_FILES, BAD_OVERRIDES, SCENARIOS, SHIPPED, check_message, materialise, write)

ROOT = Path(__file__).resolve().parents[1]
SMALL = ["--users", "300", "--days", "20"]
_SCRIPT = Path(sys.executable).with_name("pressure")
PRESSURE = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "model.cli"]


def cli(argv, capsys) -> tuple[int, str, str]:
    """Run `pressure argv` in-process: (exit code, stdout, stderr). argparse exits instead."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str, command: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith(f"pressure {command}: error: "), err
    return lines[0]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"",
                                         p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def existing_out(tmp_path):
    """An output folder from an earlier run, which a failed run must leave as it was."""
    out = tmp_path / "existing"
    write(out, "summary.json", '{"old": true}\n')
    write(out, "notes/keep.txt", "keep me\n")
    return out, snapshot(out)


# --- a good run ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "out"
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(["run", "china_2017", *SMALL, "--seed", "1", "--out", str(out)])
    return code, out, stdout.getvalue()


def test_run_writes_its_files_and_its_record(small_run):
    code, out, _ = small_run
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["figure.png", "outcomes_long.parquet",
                                                     "run.json", "scenario.toml",
                                                     "summary.json", "timeseries.parquet"]
    assert (out / "figure.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (out / "figure.png").stat().st_size > 10_000
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]   # no scratch left


def test_run_files_hold_the_run(small_run):
    _, out, _ = small_run
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["scenario"], summary["seed"], summary["users"], summary["days"]) == (
        "china_2017", 1, 300, 20)
    assert set(summary["final"]) == set(summary["mean"]) and "vpn_use" in summary["final"]
    frame = pd.read_parquet(out / "timeseries.parquet")
    assert len(frame) == 20
    assert frame["date"].iloc[0] == pd.Timestamp("2017-01-01")
    assert frame["date"].iloc[-1] == pd.Timestamp("2017-01-20")
    assert summary["final"]["vpn_use"] == pytest.approx(frame["vpn_use"].iloc[-1])


def test_run_prints_the_headline_table(small_run):
    _, out, stdout = small_run
    assert stdout.startswith("china_2017 · seed 1 · 300 users · 20 days (2017-01-01 to "
                             "2017-01-20)")
    header = next(line for line in stdout.splitlines() if line.startswith("metric"))
    assert header.split() == ["metric", "start", "end", "mean", "min", "max"]
    assert "VPN use (share of users)" in stdout
    for name in ("timeseries.parquet", "summary.json", "figure.png"):
        assert str(out / name) in stdout


def test_run_no_figure_and_set_reach_the_model(tmp_path, capsys):
    out = tmp_path / "o"
    code, stdout, err = cli(["run", "baseline", *SMALL, "--no-figure", "--seed", "3",
                             "--set", "enforcement_intensity=0.3", "--out", out], capsys)
    assert (code, err) == (0, "")
    assert sorted(p.name for p in out.iterdir()) == ["outcomes_long.parquet", "run.json",
                                                     "scenario.toml", "summary.json",
                                                     "timeseries.parquet"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["mean"]["effective_intensity"] == pytest.approx(0.3)
    assert "figure.png" not in stdout


def test_run_default_out_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = cli(["run", "china_2017", *SMALL, "--seed", "2", "--no-figure"], capsys)
    # a short run of the 2017 case leaves most of its events beyond the horizon: one line says so
    assert code == 0 and err.count("\n") == 1
    assert err.startswith("pressure run: warning:") and "after the last simulated day" in err
    # the folder is named from the inputs the command line changed: runs never share one
    assert (tmp_path / "results/runs/china_2017-seed2-days=20-users=300/summary.json").is_file()


def test_run_into_an_existing_folder_replaces_the_files(existing_out, capsys):
    out, _ = existing_out
    code, _, _ = cli(["run", "baseline", *SMALL, "--no-figure", "--out", out], capsys)
    assert code == 0
    assert json.loads((out / "summary.json").read_text())["scenario"] == "baseline"
    assert (out / "notes/keep.txt").read_text() == "keep me\n"


# --- check ---------------------------------------------------------------------------------------

def resolved(out: str) -> dict:
    """`pressure check` prints TOML (its first line is a comment)."""
    assert out.startswith("# ")
    return tomllib.loads(out)


def test_check_prints_the_resolved_scenario(capsys):
    code, out, err = cli(["check", "china_2017"], capsys)
    assert (code, err) == (0, "")
    first = out.splitlines()[0]
    assert first == (f"# china_2017 resolves to (files: {SCENARIOS / 'china_2017.toml'} <- "
                     f"{SCENARIOS / 'baseline.toml'} <- {SCENARIOS / 'behaviour.toml'})")
    doc = resolved(out)
    assert doc["name"] == "china_2017"
    calibrated = load_scenario("china_2017").params["enforcement_intensity"]
    assert doc["enforcement_intensity"] == calibrated != 0.2   # the child's, not baseline's
    assert doc["partners"]["foreign_ownership_cap"] == 0.49     # the parent's, inherited
    assert doc["regulators"]["audit_capacity"] == DEFAULTS["audit_capacity"]
    ids = [e["id"] for e in doc["events"]]
    assert "two_sessions" in ids and "app_store_removals" in ids


def test_check_set_shows_up(capsys):
    code, out, _ = cli(["check", "china_2017", "--set", "enforcement_intensity=0.3"], capsys)
    assert code == 0
    assert resolved(out)["enforcement_intensity"] == 0.3
    assert "enforcement_intensity = 0.3\n" in out


def test_check_child_override_wins(capsys):
    code, out, _ = cli(["check", "maximal_enforcement"], capsys)
    assert code == 0
    doc = resolved(out)
    assert doc["enforcement_intensity"] == 1.0        # over china_2017's and baseline's 0.2
    assert doc["regulators"]["audit_capacity"] == 0.6
    assert doc["regulators"]["reactive_directives"] is True


def test_check_set_wins_over_a_child_which_wins_over_its_parent(tmp_path, capsys):
    write(tmp_path, "p.toml", "enforcement_intensity = 0.7\nusers = 400\n")
    child = write(tmp_path, "c.toml", 'extends = "p.toml"\nenforcement_intensity = 0.8\n')
    doc = resolved(cli(["check", child], capsys)[1])
    assert (doc["enforcement_intensity"], doc["users"]) == (0.8, 400)
    doc = resolved(cli(["check", child, "--set", "enforcement_intensity=0.1"], capsys)[1])
    assert (doc["enforcement_intensity"], doc["users"]) == (0.1, 400)


def test_check_dotted_and_flat_set_agree(capsys):
    dotted = cli(["check", "baseline", "--set", "regulators.audit_capacity=0.4"], capsys)
    flat = cli(["check", "baseline", "--set", "audit_capacity=0.4"], capsys)
    assert dotted == flat
    assert dotted[0] == 0 and resolved(dotted[1])["regulators"]["audit_capacity"] == 0.4


def test_check_several_sets_last_wins(capsys):
    code, out, _ = cli(["check", "baseline", "--set", "users=100", "--set",
                        "regulators.reactive_directives=true", "--set", " users = 200 "], capsys)
    doc = resolved(out)
    assert code == 0 and doc["users"] == 200 and doc["regulators"]["reactive_directives"] is True


def test_check_drop_events(capsys):
    doc = resolved(cli(["check", "relaxed"], capsys)[1])
    # only the long-standing blocks of Google and Facebook (before 2017) are left
    assert {e["id"] for e in doc["events"]} == {"google_block", "facebook_block"}
    assert doc["enforcement_intensity"] == 0.05


@pytest.mark.parametrize("name", SHIPPED)
def test_check_every_shipped_scenario(name, capsys):
    code, out, err = cli(["check", SCENARIOS / f"{name}.toml"], capsys)
    assert (code, err) == (0, "") and resolved(out)["name"] == name


def test_params_and_help(capsys):
    code, out, _ = cli(["params"], capsys)
    assert code == 0 and "regulators.audit_capacity" in out
    assert cli(["--help"], capsys)[0] == 0
    assert cli(["run", "--help"], capsys)[0] == 0


# --- bad input: one line on stderr, exit code 2, nothing written ---------------------------------

@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_file(case, tmp_path, capsys, monkeypatch, existing_out):
    bad = BAD_FILES[case]
    monkeypatch.chdir(tmp_path)
    path = materialise(bad, tmp_path)
    ref = path if bad.files else bad.load

    code, out, err = cli(["check", ref], capsys)
    assert (code, out) == (2, "")
    check_message(one_error_line(err, "check"), bad)

    fresh = tmp_path / "fresh" / "out"
    code, out, err = cli(["run", ref, *SMALL, "--out", fresh], capsys)
    assert (code, out) == (2, "")
    check_message(one_error_line(err, "run"), bad)
    assert not (tmp_path / "fresh").exists()

    folder, before = existing_out
    assert cli(["run", ref, *SMALL, "--out", folder], capsys)[0] == 2
    assert snapshot(folder) == before

    assert cli(["run", ref, *SMALL], capsys)[0] == 2           # the default folder
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize("case", list(BAD_OVERRIDES), ids=list(BAD_OVERRIDES))
def test_bad_set(case, tmp_path, capsys, existing_out):
    key, value, expected = BAD_OVERRIDES[case]
    for command, extra in (("check", []), ("run", [*SMALL, "--out", tmp_path / "new"])):
        code, out, err = cli([command, "china_2017", "--set", f"{key}={value}", *extra], capsys)
        assert (code, out) == (2, "")
        line = one_error_line(err, command)
        if case == "edge_list_without_file":
            assert line.endswith(f"--set: network.edge_list_file: expected {expected} when "
                                 "network_kind is 'edge_list'")
        else:
            assert line.startswith(f"pressure {command}: error: --set: {key}: expected {expected}")
    assert not (tmp_path / "new").exists()
    folder, before = existing_out
    assert cli(["run", "china_2017", "--set", f"{key}={value}", "--out", folder], capsys)[0] == 2
    assert snapshot(folder) == before


@pytest.mark.parametrize("item", ["enforcement_intensity", "=0.3", "", " =1", "users:300"])
def test_set_without_key_or_equals(item, tmp_path, capsys):
    for command, extra in (("check", []), ("run", [*SMALL, "--out", tmp_path / "new"])):
        code, out, err = cli([command, "baseline", "--set", item, *extra], capsys)
        assert (code, out) == (2, "")
        assert "--set: " in one_error_line(err, command) and "expected KEY=VALUE" in err
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("args, fragment", [
    (["--seed", "abc"], "argument --seed: invalid int value: 'abc'"),
    (["--seed", "1.5"], "argument --seed: invalid int value: '1.5'"),
    (["--seed", ""], "argument --seed: invalid int value"),
    (["--users", "abc"], "argument --users: invalid int value: 'abc'"),
    (["--users", "2.5"], "argument --users: invalid int value: '2.5'"),
    (["--days", "ten"], "argument --days: invalid int value: 'ten'"),
    (["--seed"], "argument --seed: expected one argument"),
    (["--colour", "red"], "unrecognized arguments: --colour red"),
])
def test_argparse_errors(args, fragment, tmp_path, capsys):
    code, out, err = cli(["run", "baseline", "--out", tmp_path / "new", *args], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(("pressure run: error: ", "pressure: error: ")) and fragment in err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("args, message", [
    (["--seed", "-1"], "--seed: seed: expected a non-negative integer, got -1"),
    (["--users", "5"], "--users: users: expected an integer in [10, 1e+07], got 5"),
    (["--users", "0"], "--users: users: expected an integer in [10, 1e+07], got 0"),
    (["--users", "-300"], "--users: users: expected an integer in [10, 1e+07], got -300"),
    (["--users", "10"],
     "--users: network.mean_degree: expected fewer contacts than users (10), got 10.0"),
    (["--days", "0"], "--days: days: expected an integer in [1, 3650], got 0"),
    (["--days", "4000"], "--days: days: expected an integer in [1, 3650], got 4000"),
])
def test_bad_seed_users_days(args, message, tmp_path, capsys, existing_out):
    code, out, err = cli(["run", "baseline", "--out", tmp_path / "new", *args], capsys)
    assert (code, out) == (2, "")
    assert one_error_line(err, "run") == f"pressure run: error: {message}"
    assert not (tmp_path / "new").exists()
    folder, before = existing_out
    assert cli(["run", "baseline", "--out", folder, *args], capsys)[0] == 2
    assert snapshot(folder) == before


def test_out_is_a_file(tmp_path, capsys):
    target = write(tmp_path, "taken", "a file\n")
    for out in (target, target / "sub"):
        code, stdout, err = cli(["run", "baseline", *SMALL, "--out", out], capsys)
        assert (code, stdout) == (2, "")
        assert f"--out: {out}: expected a folder ({target} is a file)" in one_error_line(err, "run")
    assert target.read_text() == "a file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


@pytest.mark.parametrize("argv", [[], ["run"], ["check"], ["frobnicate", "baseline"]])
def test_usage_errors(argv, capsys):
    code, out, err = cli(argv, capsys)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and "error:" in err


def test_code_in_set_is_not_run(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = "__import__('os').system('echo pwned > MARKER')"
    for key in ("enforcement_intensity", "start_date", "reactive_directives", "users"):
        assert cli(["check", "baseline", "--set", f"{key}={code}"], capsys)[0] == 2
    assert not (tmp_path / "MARKER").exists()


# --- the same through a real process -------------------------------------------------------------

def _run(argv, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([*PRESSURE, *map(str, argv)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("case, argv, fragment", [
    ("unknown_key", ["check", "s.toml"], "s.toml: enforcment_intensity: expected a known"),
    ("malformed", ["run", "s.toml", "--out", "out"], "s.toml: expected valid TOML"),
    ("cycle", ["check", "s.toml"], "extends: expected no cycle of extends"),
    ("missing", ["run", "missing.toml", "--out", "out"],
     "missing.toml: expected an existing scenario file"),
    ("set", ["run", "baseline", "--set", "enforcement_intensity", "--out", "out"],
     "--set: enforcement_intensity: expected KEY=VALUE"),
    ("seed", ["run", "baseline", "--seed", "abc", "--out", "out"],
     "argument --seed: invalid int value: 'abc'"),
    ("users", ["run", "baseline", "--users", "3", "--out", "out"],
     "--users: users: expected an integer in [10, 1e+07], got 3"),
])
def test_bad_input_in_a_real_process(case, argv, fragment, tmp_path):
    files = {"unknown_key": "enforcment_intensity = 0.3\n",
             "malformed": "users = \n",
             "cycle": 'extends = "t.toml"\n'}
    if case in files:
        write(tmp_path, "s.toml", files[case])
        write(tmp_path, "t.toml", 'extends = "s.toml"\n')
    proc = _run(argv, tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert proc.stderr.startswith(f"pressure {argv[0]}: error: ")
    assert fragment in proc.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "results").exists()


def test_good_check_in_a_real_process(tmp_path):
    proc = _run(["check", "maximal_enforcement", "--set", "users=1234"], tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")
    doc = tomllib.loads(proc.stdout)
    assert doc["users"] == 1234 and doc["enforcement_intensity"] == 1.0
