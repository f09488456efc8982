"""Misspelt scenarios, parameters and commands get the closest known name, in one line."""

from __future__ import annotations

import pytest

from model.cli import main


def _exit_code(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:                   # argparse's usage errors
        return int(exc.code)


@pytest.mark.parametrize(("argv", "hint"), [
    (["run", "chna_2017"], "did you mean china_2017?"),
    (["check", "china_2017", "--set", "enforcment_intensity=0.5"],
     "did you mean enforcement_intensity?"),
    (["rn", "china_2017"], "did you mean run?"),
    (["chek", "china_2017"], "did you mean check?"),
])
def test_misspelt_names_get_a_suggestion(argv, hint, capsys):
    assert _exit_code(argv) == 2
    err = capsys.readouterr().err
    assert hint in err and err.count("\n") == 1


def test_unknown_scenario_lists_the_shipped_ones_without_a_wild_guess(capsys):
    assert _exit_code(["check", "zzzzzzzzzzzz"]) == 2
    err = capsys.readouterr().err
    assert "shipped: baseline, behaviour, china_2017" in err and "did you mean" not in err
