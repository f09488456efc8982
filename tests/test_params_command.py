"""`pressure params` shows the values a scenario uses (the calibrated 2017 case by default),
with unit, range and meaning; one parameter by name; a misspelt name gets a suggestion."""

from __future__ import annotations

from model.cli import main
from model.config.loader import load_scenario
from model.config.parameters import BY_NAME


def test_table_shows_the_calibrated_values_not_the_schema_defaults(capsys):
    assert main(["params"]) == 0
    out = capsys.readouterr().out
    calibrated = load_scenario("china_2017").params["enforcement_intensity"]
    assert calibrated != BY_NAME["enforcement_intensity"].default
    row = next(line for line in out.splitlines() if line.startswith("enforcement_intensity "))
    assert f"{calibrated}*" in row and "[0, 1]" in row and "index" in row


def test_one_parameter_of_another_scenario(capsys):
    assert main(["params", "behaviour.fear_memory_days", "--scenario", "baseline"]) == 0
    out = capsys.readouterr().out
    value = load_scenario("baseline").params["fear_memory_days"]
    assert f"value    {value}" in out and "unit     days" in out
    assert "range    an integer" in out and "meaning " in out


def test_misspelt_parameter_is_one_line_with_a_suggestion(capsys):
    assert main(["params", "fear_memry_days"]) == 2
    err = capsys.readouterr().err
    assert "did you mean fear_memory_days?" in err and err.count("\n") == 1
