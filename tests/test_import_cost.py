"""`import model` and `pressure --help` do not load the heavy libraries a run needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "scipy", "mesa", "matplotlib", "dask")


def loaded_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, check=True, env={"PYTHONPATH": str(ROOT)})
    return set(done.stdout.split())


def test_import_model_loads_no_heavy_library_until_a_name_is_used():
    assert loaded_after("import model") == set()
    assert "mesa" in loaded_after("import model\nmodel.PressureModel")


def test_help_loads_no_heavy_library():
    assert loaded_after("import model.cli\nmodel.cli.build_parser(['--help'])") == set()
    assert loaded_after("import model.cli\nmodel.cli.build_parser(['run', '--help'])") == set()


def test_the_reproduce_command_keeps_its_help_and_options():
    from model.cli import REPRODUCE_HELP, build_parser
    from model.reproduce.cli import add_commands

    import argparse

    sub = argparse.ArgumentParser().add_subparsers()
    add_commands(sub)
    assert sub.choices["reproduce"] is not None
    assert sub._choices_actions[0].help == REPRODUCE_HELP       # the stub says the same
    args = build_parser(["reproduce", "--size", "full", "--resume"]).parse_args(
        ["reproduce", "--size", "full", "--resume"])
    assert (args.command, args.size, args.resume) == ("reproduce", "full", True)
