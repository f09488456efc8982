"""Fuzz the scenario loader: every input either loads or raises ScenarioError, never anything else.

Documents come from three places: (a) structurally valid TOML built from a mix of real and random
keys, sections and event fields with values of every TOML type, written by the small serializer
below; (b) arbitrary text and bytes; (c) the shipped scenario files with random mutations.
`Scenario.with_overrides` and `pressure check --set` get random keys and values.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import re
import shutil
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from model import Scenario, ScenarioError, load_scenario
from model.cli import main
from model.config.events import ACTIONS, KINDS
from model.config.parameters import BY_NAME, PARAMETERS, SECTIONS
from model.config.toml_out import dumps

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
SHIPPED = {p.name: p.read_text(encoding="utf-8") for p in sorted(SCENARIOS.glob("*.toml"))}
FUZZ = settings(max_examples=200, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])


# --- a small TOML serializer ---------------------------------------------------------------------

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _string(text: str) -> str:
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _key(key: str) -> str:
    return key if _BARE.fullmatch(key) else _string(key)


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def _is_table_array(v: object) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def to_toml(doc: dict) -> str:
    """Top-level values, then [tables], then [[arrays of tables]] (nested tables inline)."""
    lines = [f"{_key(k)} = {_value(v)}" for k, v in doc.items()
             if not isinstance(v, dict) and not _is_table_array(v)]
    for k, v in doc.items():
        if isinstance(v, dict):
            lines += ["", f"[{_key(k)}]", *(f"{_key(a)} = {_value(b)}" for a, b in v.items())]
    for k, v in doc.items():
        if _is_table_array(v):
            for table in v:
                lines += ["", f"[[{_key(k)}]]",
                          *(f"{_key(a)} = {_value(b)}" for a, b in table.items())]
    return "\n".join(lines) + "\n"


def test_serializer_round_trips():
    doc = {"a": 1, "b c": "x\"\\\n\x01é", "d": [1.5, float("inf"), dt.date(2017, 1, 2)],
           "e": {"f": {"g": dt.datetime(2017, 1, 2, 3, 4, 5)}, "h": dt.time(1, 2)},
           "events": [{"kind": "law"}, {"date": dt.date(2017, 3, 1), "x": []}], "": True}
    assert tomllib.loads(to_toml(doc)) == doc


# --- strategies ----------------------------------------------------------------------------------

NAMES = [p.name for p in PARAMETERS]
META = ["name", "description", "extends", "events", "drop_events"]
EVENT_FIELDS = ["id", "date", "kind", "label", "end", "multiplier", "action", "popularity",
                "source"]
EVENT_IDS = ["two_sessions", "june_fourth", "app_store_removals", "party_congress", "x", ""]

TOP = [p.name for p in PARAMETERS if not p.section]
random_names = st.one_of(st.from_regex(r"[a-z_]{1,14}", fullmatch=True), st.text(max_size=10))
keys = st.one_of(st.sampled_from(NAMES + META + list(SECTIONS)), random_names)


def mostly(common: st.SearchStrategy, rare: st.SearchStrategy) -> st.SearchStrategy:
    """`common` four times in five, else `rare`: most documents get past the first key."""
    return st.integers(0, 4).flatmap(lambda i: rare if i == 0 else common)


scalars = st.one_of(
    st.booleans(),
    st.integers(-5, 400),
    st.integers(),
    st.integers(min_value=-(10 ** 400), max_value=10 ** 400),
    st.floats(),
    st.floats(-1.0, 500.0),
    st.text(max_size=20),
    st.sampled_from(["small_world", "scale_free", "edge_list", "baseline", "china_2017",
                     "2017-13-01", "2017-02-01", "0.3", "true", *KINDS, *ACTIONS]),
    st.dates(),
    st.dates(dt.date(2016, 1, 1), dt.date(2018, 12, 31)),
    st.datetimes(timezones=st.none() | st.just(dt.timezone.utc)),
    st.times(),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(random_names, inner, max_size=3), max_leaves=6)


def near_valid(p) -> st.SearchStrategy:
    """Values a parameter is likely to accept, and ones just outside its range."""
    options = [st.just(p.default)] if p.default is not None else []   # TOML has no null
    if p.choices:
        options.append(st.sampled_from(p.choices))
    for bound in (p.low, p.high):
        if bound is not None:
            options.append(st.sampled_from([bound, bound - 0.5, bound + 0.5, int(bound)]))
    if p.low is not None and p.high is not None:
        number = st.floats(p.low, p.high)
        options.append(number.map(round) if p.kind is int else number)
    if p.kind is dt.date:
        options.append(st.dates())
    return st.one_of(options)


def param_value(name: str) -> st.SearchStrategy:
    p = BY_NAME.get(name)
    return values if p is None else mostly(near_valid(p), values)


DAY = st.dates(dt.date(2016, 6, 1), dt.date(2018, 6, 1))
EVENT_VALUES = {
    "kind": mostly(st.sampled_from(KINDS), st.just("decree") | values),
    "action": mostly(st.sampled_from(ACTIONS), st.just("ban_all") | values),
    "date": mostly(DAY, values),
    "end": mostly(DAY, values),
    "multiplier": mostly(st.floats(0.5, 6.0), values),
    "popularity": mostly(st.floats(-0.2, 1.2), values),
    "id": mostly(st.sampled_from(EVENT_IDS) | st.text(max_size=6), values),
    "label": mostly(st.text(max_size=10), values),
    "source": mostly(st.text(max_size=10), values),
}


@st.composite
def valid_event(draw) -> dict:
    kind = draw(st.sampled_from(KINDS))
    event = {"date": draw(DAY), "kind": kind}
    if kind == "directive":
        event["action"] = draw(st.sampled_from(ACTIONS))
    if kind == "sensitive_period":
        event["end"] = event["date"] + dt.timedelta(days=draw(st.integers(0, 60)))
    if kind == "block_service":
        event["popularity"] = draw(st.floats(0.0, 1.0))
    if kind in ("law", "sensitive_period") and draw(st.booleans()):
        event["multiplier"] = draw(st.floats(1.0, 5.0))
    for field in draw(st.lists(st.sampled_from(["id", "label", "source"]), unique=True)):
        event[field] = draw(st.text(max_size=10))
    return event


@st.composite
def event_table(draw) -> dict:
    """Mostly a valid event with a field or two perturbed, sometimes a random table."""
    if draw(mostly(st.just(True), st.just(False))):
        event = draw(valid_event())
        extra = draw(st.lists(mostly(st.sampled_from(EVENT_FIELDS), random_names), max_size=2))
    else:
        event = {}
        extra = draw(st.lists(mostly(st.sampled_from(EVENT_FIELDS), random_names), max_size=6))
    for field in extra:
        event[field] = draw(EVENT_VALUES.get(field, values))
    return event


@st.composite
def scenario_docs(draw) -> dict:
    doc: dict = {}
    for key in draw(st.lists(mostly(st.sampled_from(TOP + META + list(SECTIONS)), keys),
                             max_size=8, unique=True)):
        if key == "extends":
            doc[key] = draw(mostly(st.sampled_from(["baseline", "china_2017", "relaxed"]),
                                   st.sampled_from(["nope", "", ".", "..", "/", "s.toml",
                                                    "baseline.toml"]) | values))
        elif key == "drop_events":
            doc[key] = draw(mostly(st.lists(st.sampled_from(EVENT_IDS), max_size=3), values))
        elif key == "events":
            doc[key] = draw(mostly(st.lists(event_table(), max_size=4), values))
        elif key in ("name", "description"):
            doc[key] = draw(mostly(st.text(min_size=1, max_size=30), values))
        elif key in SECTIONS and draw(mostly(st.just(True), st.just(False))):
            own = [p.name for p in PARAMETERS if p.section == key]
            names = draw(st.lists(mostly(st.sampled_from(own), keys), max_size=5, unique=True))
            doc[key] = {n: draw(param_value(n)) for n in names}
        else:
            doc[key] = draw(param_value(key))
    return doc


# --- the property --------------------------------------------------------------------------------

def load_or_scenario_error(path: Path) -> Scenario | None:
    """Load `path`; a ScenarioError is fine (one line), any other exception fails the test."""
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        assert "\n" not in str(exc)
        key = exc.key or ""
        event("ScenarioError: " + ("(file)" if not key else
                                   key.split("]")[0] + "]" if key.startswith("events[") else
                                   key if key in BY_NAME or key.split(".")[-1] in BY_NAME
                                   or key in META else "unknown key"))
        return None
    event("loaded")
    check_scenario(scenario)
    return scenario


def check_scenario(scenario: Scenario) -> None:
    assert isinstance(scenario, Scenario)
    assert set(scenario.params) == set(BY_NAME)
    for name, value in scenario.params.items():
        p = BY_NAME[name]
        if p.optional and value is None:          # not set: the scenario's horizon is `days`
            continue
        assert type(value) is p.kind and p.coerce(value) == value
    order = [(e.date, e.id) for e in scenario.events]
    assert order == sorted(order)
    # what `pressure check` prints is TOML holding the same values
    doc = tomllib.loads(dumps(scenario.to_dict()))
    for p in PARAMETERS:
        assert (doc[p.section] if p.section else doc).get(p.name) == scenario.params[p.name]
    assert len(doc.get("events", [])) == len(scenario.events)


def in_scratch(write) -> Scenario | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.toml"
        write(path)
        return load_or_scenario_error(path)


@FUZZ
@given(scenario_docs())
def test_random_documents_load_or_raise_scenario_error(doc):
    text = to_toml(doc)
    tomllib.loads(text)                               # the serializer wrote valid TOML
    in_scratch(lambda path: path.write_text(text, encoding="utf-8"))


@FUZZ
@given(st.fixed_dictionaries(
    {"events": st.lists(event_table(), min_size=1, max_size=5)},
    optional={"extends": st.sampled_from(["baseline", "china_2017", "relaxed"]),
              "drop_events": mostly(st.lists(st.sampled_from(EVENT_IDS), max_size=2), values)}))
def test_random_events_load_or_raise_scenario_error(doc):
    text = to_toml(doc)
    tomllib.loads(text)
    in_scratch(lambda path: path.write_text(text, encoding="utf-8"))


@FUZZ
@given(st.fixed_dictionaries({n: near_valid(BY_NAME[n])
                              for n in ("enforcement_intensity", "users", "days")}))
def test_near_valid_documents_load_exactly_when_in_range(doc):
    """Values near the bounds load when in range and are rejected outside: no other outcome."""
    text = to_toml({"extends": "baseline", **doc})
    scenario = in_scratch(lambda path: path.write_text(text, encoding="utf-8"))
    in_range = all(BY_NAME[k].low <= v <= BY_NAME[k].high and not (
        BY_NAME[k].kind is int and v != int(v)) for k, v in doc.items()) and doc["users"] > 10
    assert (scenario is not None) == in_range


@FUZZ
@given(st.one_of(st.text(), st.binary()))
def test_arbitrary_text_loads_or_raises_scenario_error(data):
    in_scratch(lambda path: path.write_bytes(data if isinstance(data, bytes)
                                             else data.encode("utf-8", "surrogatepass")))


TOKENS = ["=", "[", "]", "[[", "]]", '"', "'", '"""', "\n", " ", "#", ".", ",", "{", "}",
          "nan", "inf", "-1", "1e999", "9" * 30, "true", "false", "2017-13-01", "2017-02-30",
          "2017-01-01T00:00:00", "[[events]]", "[regulators]", "kind", "end", "extends",
          "drop_events", "\\u0000", "\x00", "é"]

mutation = st.tuples(st.sampled_from(["delete", "insert", "swap", "duplicate", "replace_line"]),
                     st.integers(0, 10 ** 6), st.integers(0, 40),
                     st.sampled_from(TOKENS) | st.text(max_size=8))


def mutate(text: str, steps) -> str:
    for kind, at, size, token in steps:
        lines = text.splitlines(keepends=True) or [""]
        i = at % (len(text) + 1)
        j = at % len(lines)
        if kind == "delete":
            text = text[:i] + text[i + size:]
        elif kind == "insert":
            text = text[:i] + token + text[i:]
        elif kind == "swap":
            k = (j + 1 + size) % len(lines)
            lines[j], lines[k] = lines[k], lines[j]
            text = "".join(lines)
        elif kind == "duplicate":
            text = "".join(lines[:j + 1] + lines[j:])
        else:
            other = [line for t in SHIPPED.values() for line in t.splitlines(keepends=True)]
            lines[j] = other[(at + size) % len(other)]
            text = "".join(lines)
    return text


@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scenarios")
    for name in SHIPPED:
        shutil.copy(SCENARIOS / name, folder / name)
    return folder


@FUZZ
@given(st.sampled_from(sorted(SHIPPED)), st.lists(mutation, min_size=1, max_size=5))
def test_mutated_scenarios_load_or_raise_scenario_error(shipped_copy, name, steps):
    path = shipped_copy / f"mutant-{name}"        # beside copies of its parents
    path.write_text(mutate(SHIPPED[name], steps), encoding="utf-8", errors="surrogatepass")
    load_or_scenario_error(path)


# --- overrides -----------------------------------------------------------------------------------

BASE = load_scenario("china_2017")
override_keys = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from([p.key for p in PARAMETERS]),
    st.tuples(st.sampled_from(SECTIONS), st.sampled_from(NAMES)).map(".".join),
    random_names,
    st.integers(-3, 3),
)
text_values = st.one_of(
    st.text(max_size=12),
    st.floats().map(str),
    st.integers().map(str),
    st.integers(4000, 6000).map(lambda n: "9" * n),
    st.dates().map(str),
    st.datetimes().map(str),
    st.sampled_from(["true", "False", "yes", "off", "1", "0", "", " 0.5 ", "1e3", "0x10",
                     "1_000", "nan", "-inf", "small_world", "edge_list", "2017-W01-1"]),
)
typed_values = st.one_of(values, st.none(), st.binary(max_size=4), st.just(object()),
                         st.decimals(allow_nan=False), st.fractions(), st.complex_numbers())


@FUZZ
@given(st.dictionaries(override_keys, text_values | typed_values, max_size=4))
def test_with_overrides_returns_a_scenario_or_raises_scenario_error(overrides):
    try:
        scenario = BASE.with_overrides(overrides)
    except ScenarioError as exc:
        assert "\n" not in str(exc)
        return
    check_scenario(scenario)
    for key in overrides:
        name = str(key).rsplit(".", 1)[-1]
        assert name in scenario.overrides
        assert scenario.params[name] == scenario.overrides[name]


@settings(FUZZ, max_examples=120)
@given(st.lists(st.tuples(override_keys.map(str), text_values), max_size=3))
def test_check_set_exits_0_or_2_with_one_line(items):
    argv = ["check", "china_2017"]
    for key, value in items:
        argv += ["--set", f"{key}={value}"]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:                 # argparse: e.g. a value starting with "-"
            code = exc.code
    assert code in (0, 2)
    if code == 2:
        assert out.getvalue() == ""
        assert len(err.getvalue().splitlines()) == 1
        assert err.getvalue().startswith("pressure check: error: ")
        assert "--set" in err.getvalue()
    else:
        assert err.getvalue() == ""
        tomllib.loads(out.getvalue())
