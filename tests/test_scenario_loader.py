"""Scenario loading through the Python API: `extends`, events, overrides, and bad input.

`BAD_FILES` and `BAD_OVERRIDES` are the catalogue of bad input; `test_cli.py` runs the same
catalogue through the `pressure` command.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import model
from model import Scenario, ScenarioError, load_scenario
from model.config.parameters import BY_NAME, DEFAULTS, PARAMETERS
from model.config.toml_out import dumps

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SHIPPED = sorted(p.stem for p in SCENARIOS.glob("*.toml"))


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --- the catalogue of bad scenario files ---------------------------------------------------------

@dataclass(frozen=True)
class Bad:
    """A bad scenario: files to write, the one to load, what the one-line message must name."""

    files: dict[str, str | bytes]
    key: str | None                 # the key the message names (None: the file as a whole)
    expected: str                   # a fragment of what was expected
    load: str = "s.toml"            # the file (or reference) given to the loader
    blame: str = "s.toml"           # the file the message names
    extra: tuple[str, ...] = field(default=())   # more fragments the message must contain


def one(text: str | bytes, key: str | None, expected: str, **kw) -> Bad:
    return Bad({"s.toml": text}, key, expected, **kw)


_EV = '[[events]]\nid = "e"\ndate = 2017-03-01\n'

BAD_FILES: dict[str, Bad] = {
    # unknown keys
    "unknown_top_key": one("enforcment_intensity = 0.3\n", "enforcment_intensity",
                           "a known parameter"),
    "unknown_key_in_section": one("[regulators]\naudit_capacityy = 0.4\n",
                                  "regulators.audit_capacityy", "a known parameter"),
    "unknown_section": one("[regulaters]\naudit_capacity = 0.4\n", "regulaters",
                           "a known parameter"),
    "key_in_wrong_section": one("[network]\naudit_capacity = 0.4\n", "network.audit_capacity",
                                "this parameter under its own key 'regulators.audit_capacity'"),
    "section_key_at_top_level": one("audit_capacity = 0.4\n", "audit_capacity",
                                    "this parameter under its own key "
                                    "'regulators.audit_capacity'"),
    "section_not_a_table": one("network = 3\n", "network", "a table of parameters"),
    "meta_key_in_section": one('[regulators]\nextends = "baseline"\n', "regulators.extends",
                               "a known parameter"),
    # wrong types
    "string_for_number": one('enforcement_intensity = "0.3"\n', "enforcement_intensity",
                             "a number in [0, 1]", extra=("'0.3'",)),
    "number_for_bool": one("[regulators]\nreactive_directives = 1\n",
                           "regulators.reactive_directives", "true or false"),
    "string_for_bool": one('[regulators]\nreactive_directives = "yes"\n',
                           "regulators.reactive_directives", "true or false"),
    "bool_for_int": one("users = true\n", "users", "an integer"),
    "bool_for_float": one("enforcement_intensity = false\n", "enforcement_intensity",
                          "a number"),
    "fraction_for_int": one("days = 20.5\n", "days", "an integer"),
    "array_for_number": one("enforcement_intensity = [0.3]\n", "enforcement_intensity",
                            "a number"),
    "table_for_number": one("[network.mean_degree]\nx = 1\n", "network.mean_degree",
                            "a number"),
    "number_for_string": one("[network]\nnetwork_kind = 1\n", "network.network_kind",
                             "one of 'small_world'"),
    "name_not_a_string": one("name = 3\n", "name", "a string"),
    "description_not_a_string": one("description = [1]\n", "description", "a string"),
    # out of range
    "above_range": one("enforcement_intensity = 1.5\n", "enforcement_intensity",
                       "a number in [0, 1]", extra=("1.5",)),
    "below_range": one("users = 5\n", "users", "an integer in [10, 1e+07]"),
    "section_out_of_range": one("[network]\nmean_degree = 1.0\n", "network.mean_degree",
                                "a number in [2, 200]"),
    "negative_days": one("days = -3\n", "days", "an integer in [1, 3650]"),
    "nan": one("enforcement_intensity = nan\n", "enforcement_intensity", "a number in [0, 1]"),
    "inf": one("[regulators]\naudit_capacity = inf\n", "regulators.audit_capacity",
               "a number in [0, 100]"),
    "huge_integer_for_float": one("enforcement_intensity = " + "9" * 400 + "\n",
                                  "enforcement_intensity", "a number in [0, 1]"),
    "not_a_choice": one('[network]\nnetwork_kind = "lattice"\n', "network.network_kind",
                        "one of 'small_world', 'scale_free', 'edge_list'"),
    "mean_degree_not_below_users": one("users = 10\n[network]\nmean_degree = 10.0\n",
                                       "network.mean_degree", "fewer contacts than users"),
    "run_past_the_last_date": one("start_date = 9999-12-01\ndays = 60\n", "start_date",
                                  "a start that leaves 60 days",
                                  extra=("got 9999-12-01",)),     # a date as in the file
    # dates
    "bad_month": one('start_date = "2017-13-01"\n', "start_date", "a date (YYYY-MM-DD)",
                     extra=("2017-13-01",)),
    "datetime_for_date": one("start_date = 2017-01-01T08:00:00\n", "start_date",
                             "a date (YYYY-MM-DD)"),
    "offset_datetime_for_date": one("start_date = 2017-01-01T08:00:00Z\n", "start_date",
                                    "a date (YYYY-MM-DD)"),
    "time_for_date": one("start_date = 08:00:00\n", "start_date", "a date (YYYY-MM-DD)"),
    "number_for_date": one("start_date = 20170101\n", "start_date", "a date (YYYY-MM-DD)"),
    # malformed or unreadable files
    "malformed_toml": one("enforcement_intensity = = 0.3\n", None, "valid TOML"),
    "unclosed_table": one("[regulators\naudit_capacity = 0.4\n", None, "valid TOML"),
    "duplicate_key": one("users = 100\nusers = 200\n", None, "valid TOML"),
    "deeply_nested_toml": one("x = " + "[" * 3000 + "]" * 3000 + "\n", None, "valid TOML"),
    "nested_past_the_cap": one("x = " + "[" * 40 + "]" * 40 + "\n", None,
                               "valid TOML nested at most 32 levels deep"),
    "integer_too_long_to_read": one("users = " + "9" * 5000 + "\n", None,
                                    "valid TOML (a number with too many digits)"),
    "byte_order_mark": one(b"\xef\xbb\xbfusers = 100\n", None,
                           "UTF-8 without a byte-order mark"),
    "not_utf8": one(b"users = 100\n# \xff\xfe\n", None, "a readable UTF-8 TOML file"),
    "missing_file": Bad({}, None, "an existing scenario file", load="nope.toml",
                        blame="nope.toml"),
    "missing_bare_name": Bad({}, None, "an existing scenario file", load="no_such_scenario",
                             blame="no_such_scenario.toml"),
    "a_folder": Bad({"d/x.toml": "users = 100\n"}, None, "a scenario file (this is a folder",
                    load="d", blame="d"),
    # extends
    "extends_unknown_name": one('extends = "no_such_scenario"\n', "extends",
                                "a scenario file or a name in scenarios/",
                                extra=("no_such_scenario",)),
    "extends_missing_file": one('extends = "missing.toml"\n', "extends",
                                "a scenario file or a name in scenarios/"),
    "extends_a_folder": one('extends = "."\n', "extends", "a scenario file"),
    "extends_empty": one('extends = ""\n', "extends", "a scenario file"),
    "extends_very_long": one(f'extends = "{"a" * 400}"\n', "extends", "a scenario file"),
    "extends_not_a_string": one("extends = 3\n", "extends", "a scenario path or name"),
    "extends_chain_too_long": Bad({"s.toml": 'extends = "s1.toml"\n',
                                   **{f"s{i}.toml": f'extends = "s{i + 1}.toml"\n'
                                      for i in range(1, 40)}, "s40.toml": "users = 100\n"},
                                  "extends", "a chain of at most 32 scenario files",
                                  blame="s31.toml"),
    "extends_self": one('extends = "s.toml"\n', "extends", "no cycle of extends",
                        extra=("s.toml -> s.toml",)),
    "extends_cycle": Bad({"s.toml": 'extends = "t.toml"\n', "t.toml": 'extends = "s.toml"\n'},
                         "extends", "no cycle of extends", blame="t.toml",
                         extra=("s.toml -> t.toml -> s.toml",)),
    "extends_bad_parent": Bad({"s.toml": 'extends = "t.toml"\n',
                               "t.toml": "enforcement_intensity = 7\n"},
                              "enforcement_intensity", "a number in [0, 1]", blame="t.toml"),
    # events
    "events_not_an_array": one("events = 3\n", "events", "an array of tables"),
    "event_not_a_table": one("events = [1]\n", "events[0]", "a table with date and kind"),
    "event_unknown_kind": one(_EV + 'kind = "decree"\n', "events[0].kind",
                              "one of law, sensitive_period"),
    "event_without_kind": one(_EV, "events[0].kind", "one of law"),
    "event_without_date": one('[[events]]\nkind = "marker"\n', "events[0].date", "a date"),
    "event_string_date": one('[[events]]\nkind = "marker"\ndate = "2017-03-01"\n',
                             "events[0].date", "a date"),
    "event_datetime": one('[[events]]\nkind = "marker"\ndate = 2017-03-01T10:00:00\n',
                          "events[0].date", "a date"),
    "directive_without_action": one(_EV + 'kind = "directive"\n', "events[0].action",
                                    "one of remove_vpn_apps"),
    "directive_unknown_action": one(_EV + 'kind = "directive"\naction = "ban_everything"\n',
                                    "events[0].action", "one of remove_vpn_apps",
                                    extra=("ban_everything",)),
    "sensitive_period_without_end": one(_EV + 'kind = "sensitive_period"\n', "events[0].end",
                                        "a date"),
    "sensitive_period_end_before_date": one(
        _EV + 'kind = "sensitive_period"\nend = 2017-02-01\n', "events[0].end",
        "a date on or after 2017-03-01"),
    "action_on_a_law": one(_EV + 'kind = "law"\naction = "remove_vpn_apps"\n',
                           "events[0].action", "no action on a 'law' event"),
    "end_on_a_marker": one(_EV + 'kind = "marker"\nend = 2017-04-01\n', "events[0].end",
                           "no end on a 'marker' event"),
    "popularity_on_a_directive": one(
        _EV + 'kind = "directive"\naction = "remove_vpn_apps"\npopularity = 0.1\n',
        "events[0].popularity", "no popularity on a 'directive' event"),
    "multiplier_on_a_block": one(_EV + 'kind = "block_service"\npopularity = 0.1\n'
                                 'multiplier = 2.0\n', "events[0].multiplier",
                                 "no multiplier on a 'block_service' event"),
    "block_service_without_popularity": one(_EV + 'kind = "block_service"\n',
                                            "events[0].service", "either service"),
    "block_service_popularity_out_of_range": one(
        _EV + 'kind = "block_service"\npopularity = 1.5\n', "events[0].popularity",
        "a number in [0, 1]"),
    "law_multiplier_out_of_range": one(_EV + 'kind = "law"\nmultiplier = 0.5\n',
                                       "events[0].multiplier", "a number in [1, 5]"),
    "law_multiplier_nan": one(_EV + 'kind = "law"\nmultiplier = nan\n',
                              "events[0].multiplier", "a number in [1, 5]"),
    "event_unknown_field": one(_EV + 'kind = "marker"\ncolour = "red"\n', "events[0].colour",
                               "one of the event fields"),
    "event_id_not_a_string": one('[[events]]\nid = 3\ndate = 2017-03-01\nkind = "marker"\n',
                                 "events[0].id", "a string"),
    "second_event_bad": one(_EV + 'kind = "marker"\n[[events]]\ndate = 2017-04-01\n'
                            'kind = "nope"\n', "events[1].kind", "one of law"),
    "duplicate_event_id": one(_EV + 'kind = "marker"\n' + _EV + 'kind = "law"\n',
                              "events[1].id", "an id no other event of this file has"),
    "duplicate_default_event_id": one(
        '[[events]]\ndate = 2017-03-01\nkind = "marker"\nlabel = "one"\n'
        '[[events]]\ndate = 2017-03-01\nkind = "marker"\nlabel = "two"\n',
        "events[1].id", "an id no other event of this file has"),
    # drop_events
    "drop_event_not_inherited": one('extends = "baseline"\ndrop_events = ["app_store_removals"]\n',
                                    "drop_events", "ids of events inherited",
                                    extra=("app_store_removals",)),
    "drop_event_without_extends": one('drop_events = ["two_sessions"]\n', "drop_events",
                                      "ids of events inherited"),
    "drop_own_event": one('drop_events = ["e"]\n' + _EV + 'kind = "marker"\n', "drop_events",
                          "ids of events inherited"),
    "drop_events_not_an_array": one('extends = "baseline"\ndrop_events = "two_sessions"\n',
                                    "drop_events", "an array of event ids"),
    "drop_events_not_strings": one('extends = "baseline"\ndrop_events = [1]\n',
                                   "drop_events[0]", "an event id (string)"),
    # the network
    "edge_list_without_file": one('[network]\nnetwork_kind = "edge_list"\n',
                                  "network.edge_list_file", "a CSV path"),
    "edge_list_missing_file": one('[network]\nnetwork_kind = "edge_list"\n'
                                  'edge_list_file = "edges.csv"\n', "network.edge_list_file",
                                  "an existing CSV file", extra=("edges.csv",)),
    "edge_list_a_folder": one('[network]\nnetwork_kind = "edge_list"\nedge_list_file = "."\n',
                              "network.edge_list_file", "an existing CSV file"),
    "edge_list_nul": one('[network]\nnetwork_kind = "edge_list"\n'
                         'edge_list_file = "a\\u0000b.csv"\n', "network.edge_list_file",
                         "an existing CSV file"),
    # the name becomes the default output folder: no paths
    "name_with_a_path": one('name = "../../elsewhere"\n', "name", "a non-empty name without /"),
    "name_empty": one('name = ""\n', "name", "a non-empty name"),
    # odd keys still make one line
    "key_with_newline": one('"enforcement\\nintensity" = 0.3\n', "enforcement\\nintensity",
                            "a known parameter"),
}

# `--set KEY=VALUE` and `overrides={...}`: (key, value, expected fragment)
BAD_OVERRIDES: dict[str, tuple[str, str, str]] = {
    "unknown_key": ("enforcment_intensity", "0.3", "a known parameter"),
    "unknown_dotted_key": ("regulators.audit_capacityy", "0.3", "a known parameter"),
    "wrong_section": ("network.audit_capacity", "0.3",
                      "this parameter under its own key 'regulators.audit_capacity'"),
    "not_a_number": ("enforcement_intensity", "high", "a number in [0, 1]"),
    "empty_value": ("users", "", "an integer"),
    "out_of_range": ("enforcement_intensity", "1.5", "a number in [0, 1]"),
    "dotted_out_of_range": ("regulators.audit_capacity", "-1", "a number in [0, 100]"),
    "int_not_integer": ("days", "20.5", "an integer"),
    "bad_bool": ("reactive_directives", "maybe", "true or false"),
    "bad_date": ("start_date", "2017-13-01", "a date (YYYY-MM-DD)"),
    "bad_choice": ("network_kind", "ring", "one of 'small_world'"),
    "nan": ("enforcement_intensity", "nan", "a number in [0, 1]"),
    "edge_list_without_file": ("network_kind", "edge_list", "a CSV path"),
}


def materialise(bad: Bad, folder: Path) -> Path:
    for name, text in bad.files.items():
        write(folder, name, text)
    return folder / bad.load


def check_message(message: str, bad: Bad) -> None:
    """The one-line message names the file, the key and what was expected."""
    assert "\n" not in message
    assert bad.blame in message
    if bad.key is not None:
        assert f": {bad.key}: " in message
    assert f"expected {bad.expected}" in message
    for fragment in bad.extra:
        assert fragment in message


# --- shipped scenarios and inheritance -----------------------------------------------------------

@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenarios_load(name):
    scenario = load_scenario(SCENARIOS / f"{name}.toml")
    assert isinstance(scenario, Scenario)
    assert scenario.name == name
    assert scenario.description.strip()
    assert set(scenario.params) == set(DEFAULTS)
    for key, value in scenario.params.items():
        assert BY_NAME[key].coerce(value) == value
    dates = [(e.date, e.id) for e in scenario.events]
    assert dates == sorted(dates)


def test_shipped_scenario_list_is_what_the_readme_shows():
    assert SHIPPED == ["baseline", "behaviour", "china_2017", "china_2017_regions", "maximal_enforcement",
                       "no_partner_requirement", "platforms_refuse", "relaxed"]


def test_bare_name_resolves_to_scenarios_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                       # the name does not depend on the cwd
    scenario = load_scenario("china_2017")
    assert scenario.files == (str(SCENARIOS / "china_2017.toml"),
                              str(SCENARIOS / "baseline.toml"),
                              str(SCENARIOS / "behaviour.toml"))


def test_chain_values_child_wins():
    base = load_scenario("baseline")
    china = load_scenario("china_2017")
    maximal = load_scenario("maximal_enforcement")
    assert base.params["enforcement_intensity"] == 0.2
    assert china.params["enforcement_intensity"] not in (0.2, DEFAULTS["enforcement_intensity"])
    assert "enforcement_intensity = " + repr(china.params["enforcement_intensity"]) in \
        Path(china.files[0]).read_text()                       # child over parent
    assert maximal.params["enforcement_intensity"] == 1.0       # grandchild over both
    assert maximal.params["audit_capacity"] == 0.6
    assert maximal.params["reactive_directives"] is True
    assert china.params["audit_capacity"] == DEFAULTS["audit_capacity"]
    # inherited from the grandparent, untouched in between
    assert maximal.params["foreign_ownership_cap"] == 0.49
    assert load_scenario("no_partner_requirement").params["foreign_ownership_cap"] == 1.0
    assert len(maximal.files) == 4 and maximal.files[-1].endswith("behaviour.toml")


def test_description_and_name_are_the_childs():
    child = load_scenario("platforms_refuse")
    assert child.name == "platforms_refuse"
    assert "refuse" in child.description


def test_events_inherited_dropped_and_added():
    def ids(name):                  # a series' dated years travel with their recurring event
        return {e.id for e in load_scenario(name).events if not e.series}

    base_ids, china_ids, relaxed_ids = ids("baseline"), ids("china_2017"), ids("relaxed")
    assert base_ids == {"two_sessions", "june_fourth", "google_block", "facebook_block"}
    assert base_ids < china_ids and "app_store_removals" in china_ids
    assert relaxed_ids == {"google_block", "facebook_block"}      # the 2017 ones dropped
    relaxed = load_scenario("relaxed").events
    assert not [e for e in relaxed if e.series == "two_sessions"]  # dropping a series drops it all


def test_extends_resolves_relative_to_the_extending_file(tmp_path, monkeypatch):
    write(tmp_path, "lib/parent.toml", "enforcement_intensity = 0.7\nusers = 500\n"
          '[[events]]\nid = "p"\ndate = 2017-02-01\nkind = "law"\n'
          '[[events]]\nid = "q"\ndate = 2017-03-01\nkind = "marker"\n')
    write(tmp_path, "lib/deep/child.toml", 'extends = "../parent.toml"\nusers = 600\n'
          'drop_events = ["q"]\n'
          '[[events]]\nid = "c"\ndate = 2017-01-15\nkind = "directive"\n'
          'action = "remove_vpn_apps"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)                  # not relative to the working directory
    scenario = load_scenario(tmp_path / "lib/deep/child.toml")
    assert scenario.params["enforcement_intensity"] == 0.7
    assert scenario.params["users"] == 600
    assert [e.id for e in scenario.events] == ["c", "p"]          # date order, q dropped
    assert scenario.name == "child"                               # the file's stem
    assert scenario.files[1] == str(tmp_path / "lib/deep/../parent.toml")


def test_extends_a_bare_name_from_anywhere(tmp_path):
    path = write(tmp_path, "mine.toml", 'name = "mine"\nextends = "china_2017"\n'
                 'drop_events = ["app_store_removals", "two_sessions"]\n'
                 "enforcement_intensity = 0.6\n"
                 '[[events]]\ndate = 2017-03-01\nkind = "directive"\n'
                 'action = "remove_vpn_apps"\nlabel = "Early app-store removals"\n')
    scenario = load_scenario(path)
    ids = [e.id for e in scenario.events]
    assert "app_store_removals" not in ids and "two_sessions" not in ids
    assert "june_fourth" in ids and "sinnet_letters" in ids
    early = [e for e in scenario.events if e.label == "Early app-store removals"]
    assert len(early) == 1 and early[0].date == dt.date(2017, 3, 1)
    assert early[0].id == "directive:remove_vpn_apps@2017-03-01"
    assert scenario.params["enforcement_intensity"] == 0.6
    assert scenario.files[1:] == (str(SCENARIOS / "china_2017.toml"),
                                  str(SCENARIOS / "baseline.toml"),
                                  str(SCENARIOS / "behaviour.toml"))


def test_readme_example_scenario_loads(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    path = write(tmp_path, "early_store_removal.toml", block.replace(
        '"china_2017.toml"', f'"{SCENARIOS / "china_2017.toml"}"'))
    scenario = load_scenario(path)
    assert scenario.name == "early_store_removal"
    assert scenario.params["enforcement_intensity"] == 0.6


def test_child_event_with_parent_id_replaces_it(tmp_path):
    path = write(tmp_path, "c.toml", 'extends = "baseline"\n[[events]]\nid = "two_sessions"\n'
                 'date = 2017-03-05\nend = 2017-03-06\nkind = "sensitive_period"\n')
    ev = {e.id: e for e in load_scenario(path).events}["two_sessions"]
    assert (ev.date, ev.end) == (dt.date(2017, 3, 5), dt.date(2017, 3, 6))


def test_event_fields_are_typed(tmp_path):
    path = write(tmp_path, "s.toml",
                 '[[events]]\ndate = 2017-03-01\nkind = "block_service"\npopularity = 1\n'
                 '[[events]]\ndate = 2017-03-02\nkind = "law"\nmultiplier = 2\n'
                 '[[events]]\ndate = 2017-03-03\nend = 2017-03-03\nkind = "sensitive_period"\n')
    block, law, period = load_scenario(path).events
    assert block.popularity == 1.0 and isinstance(block.popularity, float)
    assert law.multiplier == 2.0 and isinstance(law.multiplier, float)
    assert period.end == period.date and period.multiplier is None
    assert law.label == "law" and block.label == "block service"


def test_string_date_is_accepted_for_start_date(tmp_path):
    path = write(tmp_path, "s.toml", 'start_date = "2017-05-01"\n')
    assert load_scenario(path).start_date == dt.date(2017, 5, 1)


def test_integer_accepted_for_float_and_integral_float_for_int(tmp_path):
    path = write(tmp_path, "s.toml", "enforcement_intensity = 1\nusers = 300.0\n")
    params = load_scenario(path).params
    assert params["enforcement_intensity"] == 1.0 and type(params["enforcement_intensity"]) is float
    assert params["users"] == 300 and type(params["users"]) is int


def test_edge_list_file_is_relative_to_the_scenario(tmp_path, monkeypatch):
    write(tmp_path, "net/edges.csv", "0,1\n1,2\n")
    write(tmp_path, "net/s.toml", 'users = 10\n[network]\nnetwork_kind = "edge_list"\n'
          'edge_list_file = "edges.csv"\nmean_degree = 2.0\n')
    monkeypatch.chdir(tmp_path)
    scenario = load_scenario("net/s.toml")
    assert Path(scenario.params["edge_list_file"]) == tmp_path / "net" / "edges.csv"


# --- overrides -----------------------------------------------------------------------------------

def test_overrides_flat_and_dotted_keys():
    flat = load_scenario("baseline", overrides={"audit_capacity": 0.4})
    dotted = load_scenario("baseline", overrides={"regulators.audit_capacity": 0.4})
    text = load_scenario("baseline", overrides={"regulators.audit_capacity": "0.4"})
    for scenario in (flat, dotted, text):
        assert scenario.params["audit_capacity"] == 0.4
        assert scenario.overrides == {"audit_capacity": 0.4}
    assert load_scenario("baseline").params["audit_capacity"] == DEFAULTS["audit_capacity"]


def test_overrides_parse_strings_by_type():
    scenario = load_scenario("baseline", overrides={
        "users": "2000", "days": "30.0", "reactive_directives": "yes",
        "start_date": "2018-02-03", "network_kind": "scale_free", "enforcement_intensity": "1"})
    p = scenario.params
    assert (p["users"], p["days"], p["reactive_directives"]) == (2000, 30, True)
    assert p["start_date"] == dt.date(2018, 2, 3) and p["network_kind"] == "scale_free"
    assert p["enforcement_intensity"] == 1.0


def test_overrides_win_over_the_file_and_keep_the_rest():
    scenario = load_scenario("maximal_enforcement", overrides={"enforcement_intensity": 0.3})
    assert scenario.params["enforcement_intensity"] == 0.3
    assert scenario.params["audit_capacity"] == 0.6


def test_with_overrides_returns_a_copy():
    base = load_scenario("baseline")
    other = base.with_overrides({"users": 500})
    assert base.params["users"] == 10_000 and other.params["users"] == 500
    assert base.with_overrides({}) is base and base.with_overrides(None) is base


# --- bad input raises ScenarioError --------------------------------------------------------------

def test_scenario_error_is_a_value_error():
    assert issubclass(ScenarioError, ValueError)
    assert model.ScenarioError is ScenarioError


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_file_raises_scenario_error(case, tmp_path, monkeypatch):
    bad = BAD_FILES[case]
    monkeypatch.chdir(tmp_path)
    path = materialise(bad, tmp_path)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path if bad.files else bad.load)
    check_message(str(info.value), bad)
    assert info.value.expected.startswith(bad.expected)
    assert (info.value.key and info.value.key.encode("unicode_escape").decode()) == bad.key


@pytest.mark.parametrize("case", list(BAD_OVERRIDES), ids=list(BAD_OVERRIDES))
def test_bad_override_raises_scenario_error(case):
    key, value, expected = BAD_OVERRIDES[case]
    with pytest.raises(ScenarioError) as info:
        load_scenario("baseline", overrides={key: value})
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"overrides: {key}: expected {expected}") or (
        case == "edge_list_without_file" and f"expected {expected}" in message)


@pytest.mark.parametrize("value", [True, "1.5", 2, float("nan"), float("inf"), 10 ** 400,
                                   [0.3], {"x": 1}, None, dt.date(2017, 1, 1), b"0.3"],
                         ids=repr)
def test_bad_typed_override_values(value):
    with pytest.raises(ScenarioError, match="enforcement_intensity: expected a number"):
        load_scenario("baseline", overrides={"enforcement_intensity": value})


@pytest.mark.parametrize("value", [1, 0, "2017-01-01T00:00:00", dt.datetime(2017, 1, 1),
                                   "2017-02-30", "yesterday"])
def test_bad_date_overrides(value):
    with pytest.raises(ScenarioError, match="start_date: expected a date"):
        load_scenario("baseline", overrides={"start_date": value})


@pytest.mark.parametrize("value", [1, 0, "maybe", None])
def test_bool_override_rejects_non_bools(value):
    if value in (1, 0):                        # typed ints are not bools; the strings "1"/"0" are
        with pytest.raises(ScenarioError, match="true or false"):
            load_scenario("baseline", overrides={"reactive_directives": value})
        assert load_scenario("baseline", overrides={"reactive_directives": str(value)}
                             ).params["reactive_directives"] is bool(value)
    else:
        with pytest.raises(ScenarioError, match="true or false"):
            load_scenario("baseline", overrides={"reactive_directives": value})


def test_override_breaking_a_cross_check():
    with pytest.raises(ScenarioError, match="mean_degree: expected fewer contacts than users"):
        load_scenario("baseline", overrides={"users": 10})
    with pytest.raises(ScenarioError, match="start_date: expected a start that leaves"):
        load_scenario("baseline", overrides={"start_date": "9999-12-30", "days": 5})


# --- scenario files are data ---------------------------------------------------------------------

_CODE = "__import__('os').system('echo pwned > MARKER')"


def test_code_in_strings_stays_a_string(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, "s.toml", f'name = "{_CODE}"\ndescription = "{_CODE}"\n'
                 f'[[events]]\ndate = 2017-03-01\nkind = "marker"\nlabel = "{_CODE}"\n'
                 f'source = "{_CODE}"\n')
    scenario = load_scenario(path)
    assert scenario.name == _CODE and scenario.description == _CODE
    assert scenario.events[0].label == _CODE
    assert not (tmp_path / "MARKER").exists()


@pytest.mark.parametrize("text", [
    f'enforcement_intensity = "{_CODE} or 0.3"\n',
    f'start_date = "{_CODE}"\n',
    f'extends = "{_CODE}"\n',
    f'drop_events = ["{_CODE}"]\n',
    f'[network]\nnetwork_kind = "{_CODE}"\n',
    f'[[events]]\ndate = 2017-03-01\nkind = "directive"\naction = "{_CODE}"\n',
    f'enforcement_intensity = {_CODE}\n',
    f'{_CODE}\n',
])
def test_code_in_values_is_rejected_not_run(text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError):
        load_scenario(write(tmp_path, "s.toml", text))
    with pytest.raises(ScenarioError):
        load_scenario("baseline", overrides={"enforcement_intensity": _CODE})
    assert not (tmp_path / "MARKER").exists()


class _Payload:
    def __reduce__(self):
        return (os.system, ("echo pwned > MARKER",))


@pytest.mark.parametrize("protocol", [0, pickle.HIGHEST_PROTOCOL])
def test_pickles_are_not_unpickled(protocol, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = pickle.dumps(_Payload(), protocol=protocol)
    for name in ("s.toml", "s.pkl", "s.pickle"):
        write(tmp_path, name, data)
        with pytest.raises(ScenarioError):
            load_scenario(tmp_path / name)
    write(tmp_path, "child.toml", 'extends = "s.pkl"\n')
    with pytest.raises(ScenarioError, match="s.pkl"):
        load_scenario(tmp_path / "child.toml")
    assert not (tmp_path / "MARKER").exists()


def test_python_files_are_not_executed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "evil.py", "open('MARKER', 'w').write('pwned')\n")
    write(tmp_path, "child.toml", 'extends = "evil.py"\n')
    for ref in (tmp_path / "evil.py", tmp_path / "child.toml"):
        with pytest.raises(ScenarioError, match=r"evil\.py: expected valid TOML"):
            load_scenario(ref)
    assert not (tmp_path / "MARKER").exists()


def test_config_code_never_evaluates_or_unpickles():
    for path in (ROOT / "model" / "config").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for banned in (r"\beval\(", r"\bexec\(", r"\bimport pickle", r"\bpickle\.",
                       r"\bmarshal\b", r"\byaml\b", r"__import__", r"import_module",
                       r"\bcompile\(", r"\bshelve\b"):
            assert not re.search(banned, text), f"{path.name} uses {banned}"


# --- the resolved scenario as TOML (what `pressure check` prints) --------------------------------

@pytest.mark.parametrize("name", SHIPPED)
def test_resolved_scenario_prints_as_toml_that_loads_back(name, tmp_path):
    scenario = load_scenario(name)
    text = dumps(scenario.to_dict())
    doc = tomllib.loads(text)
    for p in PARAMETERS:
        table = doc[p.section] if p.section else doc
        assert table.get(p.name) == scenario.params[p.name]     # an unset optional: absent
    again = load_scenario(write(tmp_path, f"{name}.toml", text))
    assert again.params == scenario.params
    assert again.events == scenario.events
    assert again.name == scenario.name
    assert again.description.strip() == scenario.description.strip()
