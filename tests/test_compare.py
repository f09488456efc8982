"""`pressure compare A B ...`: paired runs from any folder, means and paired differences with
95% intervals, a table and a figure (model/analysis/compare.py)."""

from __future__ import annotations

from contextlib import nullcontext

import pandas as pd
import pytest

from model.cli import main

SMALL = ["--replicates", "3", "--users", "300", "--days", "60", "--quiet"]


def _mine(folder, name="mine", extra="enforcement_intensity = 0.95\n"):
    (folder / f"{name}.toml").write_text(f'name = "{name}"\nextends = "china_2017"\n{extra}')


def test_compare_from_a_folder_of_ones_own(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _mine(tmp_path)
    assert main(["compare", "china_2017", "mine.toml", *SMALL]) == 0
    out = capsys.readouterr().out
    assert "paired differences are scenario - china_2017" in out
    assert "vpn_availability_mean" in out and "[" in out
    folder = tmp_path / "results" / "compare-china_2017-mine"
    table = pd.read_csv(folder / "compare.csv")
    assert set(table["scenario"]) == {"china_2017", "mine"}
    mine = table[(table["scenario"] == "mine") & (table["outcome"] == "vpn_use_mean")].iloc[0]
    assert mine["diff_low"] <= mine["diff"] <= mine["diff_high"] and mine["n"] == 3
    assert (folder / "compare.png").stat().st_size > 10_000


def test_common_random_numbers_make_a_copy_differ_by_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _mine(tmp_path, "copy", extra="")
    assert main(["compare", "china_2017", "copy.toml", *SMALL, "--out", "cmp"]) == 0
    table = pd.read_csv(tmp_path / "cmp" / "compare.csv").dropna(subset=["diff"])
    assert (table["diff"] == 0).all() and (table["diff_high"] - table["diff_low"] == 0).all()


@pytest.mark.parametrize("argv", [["compare", "china_2017"],
                                  ["compare", "china_2017", "nowhere.toml"],
                                  ["compare", "china_2017", "china_2017_regions",
                                   "--replicates", "0"]])
def test_bad_compare_input_is_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys, argv):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) if "0" in argv else nullcontext():   # argparse exits itself
        assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "results").exists()

