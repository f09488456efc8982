"""The documents stay true to the code: docs/ODD.md, docs/evidence.md and docs/parameters.md.

What is checked:
- ODD.md has the seven ODD section headings, in order, and no code span breaks across lines;
- the numbered schedule of ODD section 3 names exactly `model.PHASES`, in order;
- every lowercase backticked name with an underscore, in ODD.md and evidence.md, is a parameter,
  a metric, a directive action, an event kind, a phase, the id of an event of a shipped scenario,
  or a name defined in `model/` (a function, class, attribute, variable, argument or
  identifier-like string constant: found by parsing the source, so a name that disappears from
  the code fails here);
- every backticked `Class.member` resolves, and every backticked CamelCase or UPPER_CASE name is
  defined in `model/`;
- every state variable in the `| variable |` tables of ODD section 2 exists on the object the
  subsection heading names;
- every parameter is named in ODD.md (channel parameters may be named as `<channel>_suffix`);
- every default quoted as "`name` (default N)" is the schema's default;
- the metric table of the outcome submodel lists every metric with its unit, and only those;
- cross-references to "7.N" point to an existing submodel heading;
- docs/parameters.md is exactly `model.config.reference.markdown()` (regenerate with `make docs`).
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import inspect
import pkgutil
import re
from functools import cache
from pathlib import Path

import pytest

import model
from model.config import events
from model.config.parameters import BY_NAME, CHANNELS, PROTOCOLS
from model.config.reference import markdown
from model.outcomes import METRICS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
ODD = DOCS / "ODD.md"
EVIDENCE = DOCS / "evidence.md"
SOURCE = ROOT / "model"

SECTIONS = (
    "## 1. Purpose and patterns",
    "## 2. Entities, state variables and scales",
    "## 3. Process overview and scheduling",
    "## 4. Design concepts",
    "## 5. Initialization",
    "## 6. Input data",
    "## 7. Submodels",
)

# Subpackages and modules whose classes the ODD may name (`Class.member`, section 2 headings).
DESCRIBED = ("model.simulation", "model.calendar", "model.outcomes", "model.institutions",
             "model.population", "model.network", "model.config", "model.supply",
             "model.services", "model.streams")

# Names from outside `model/` that the documents may put in backticks.
EXTERNAL = {"DataCollector", "MultiGraph", "batch_run"}

SNAKE = re.compile(r"(?<![/\w])[a-z][a-z0-9]+(?:_[a-z0-9]+)+(?![\w])(?!\.(?:py|md|toml|json|"
                   r"parquet|csv|png)\b)")
DOTTED = re.compile(r"^([A-Z][A-Za-z0-9]*)\.(?!(?:md|py|toml|json|csv|png|parquet)$)"
                    r"(_?[a-z][a-z0-9_]*)$")
CAMEL_OR_UPPER = re.compile(r"^(?:[A-Z][a-z0-9]+[A-Za-z0-9]*|[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)*)$")


# --- reading the documents -------------------------------------------------------------------
@cache
def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def section(doc: str, heading: str) -> str:
    """The body of a `## ` section, up to the next `## ` heading."""
    start = doc.index(heading + "\n")
    nxt = doc.find("\n## ", start + len(heading))
    return doc[start:nxt if nxt >= 0 else len(doc)]


def code_spans(doc: str) -> list[str]:
    """Inline code spans and fenced code blocks."""
    fenced = re.findall(r"^```[^\n]*\n(.*?)^```", doc, flags=re.S | re.M)
    rest = re.sub(r"^```[^\n]*\n.*?^```", "", doc, flags=re.S | re.M)
    return fenced + re.findall(r"`([^`\n]+)`", rest)


# --- what the code defines --------------------------------------------------------------------
@cache
def defined_names() -> frozenset[str]:
    """Every name defined in model/: functions, classes, arguments, assigned names and
    attributes, and identifier-like string constants (dict keys, choices, layer names)."""
    names: set[str] = set()
    ident = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and ident.match(node.value):
                names.add(node.value)
    return frozenset(names)


@cache
def scenario_event_ids() -> frozenset[str]:
    """Ids of the events of the shipped scenarios (the documents cite them)."""
    return frozenset(ev.id for path in sorted((ROOT / "scenarios").glob("*.toml"))
                     for ev in model.load_scenario(path).events)


@cache
def known_identifiers() -> frozenset[str]:
    return frozenset(BY_NAME) | set(model.METRIC_NAMES) | set(events.ACTIONS) \
        | set(events.KINDS) | set(model.PHASES) | set(CHANNELS) | set(PROTOCOLS) \
        | set(model.outcomes.LONG_NAMES) | defined_names() | EXTERNAL \
        | scenario_event_ids()


@cache
def classes() -> dict[str, type]:
    """Classes defined in the described parts of model/, by name."""
    out: dict[str, type] = {}
    for name in DESCRIBED:
        mod = importlib.import_module(name)
        mods = [mod]
        if hasattr(mod, "__path__"):
            mods += [importlib.import_module(info.name)
                     for info in pkgutil.walk_packages(mod.__path__, prefix=name + ".")]
        for m in mods:
            for cname, obj in inspect.getmembers(m, inspect.isclass):
                if obj.__module__.startswith("model."):
                    out.setdefault(cname, obj)
    return out


@cache
def small_model() -> model.PressureModel:
    m = model.PressureModel("china_2017", rng=0, users=200, days=3, business_customers=50)
    m.step()
    return m


def instance_of(class_name: str):
    """The object of a small model that a section-2 heading names."""
    m = small_model()
    objects = {
        "PressureModel": lambda: m,
        "Calendar": lambda: m.calendar,
        "RegulatedEntity": lambda: m.app_store,
        "Regulator": lambda: m.regulators[0],
        "ForeignAppStore": lambda: m.app_store,
        "ForeignCloud": lambda: m.foreign_clouds[0],
        "LocalPartner": lambda: m.partners[0],
        "DomesticAppStore": lambda: m.domestic_store,
        "DomesticCloud": lambda: next(c for c in m.clouds if type(c).__name__ == "DomesticCloud"),
        "VPNProviders": lambda: m.vpn,
        "Firewall": lambda: m.firewall,
        "ServiceMarket": lambda: m.services,
        "Users": lambda: m.users,
        "BusinessCustomers": lambda: m.customers,
        "SocialLayer": lambda: m.social,
    }
    assert class_name in objects, (
        f"docs/ODD.md section 2 names `{class_name}` in a heading: add it to instance_of() in "
        "tests/test_docs.py")
    obj = objects[class_name]()
    assert type(obj).__name__ == class_name or class_name in {
        k.__name__ for k in type(obj).__mro__}, f"{class_name}: got a {type(obj).__name__}"
    return obj


# --- the tests ----------------------------------------------------------------------------------
def test_odd_has_the_seven_sections_in_order():
    doc = text(ODD)
    positions = []
    for heading in SECTIONS:
        assert re.search(rf"^{re.escape(heading)}$", doc, flags=re.M), f"missing: {heading}"
        positions.append(doc.index(heading + "\n"))
    assert positions == sorted(positions), "the ODD sections are out of order"
    assert len(re.findall(r"^## \d+\. ", doc, flags=re.M)) == len(SECTIONS)


@pytest.mark.parametrize("path", [ODD, EVIDENCE], ids=lambda p: p.name)
def test_code_spans_do_not_break_across_lines(path):
    """A span split over two lines would escape the name checks below."""
    prose = re.sub(r"^```[^\n]*\n.*?^```", "", text(path), flags=re.S | re.M)
    odd = [n for n, line in enumerate(prose.splitlines(), 1) if line.count("`") % 2]
    assert not odd, f"{path.name}: a backtick span breaks across lines (prose lines {odd})"


def test_schedule_names_exactly_the_phases_in_order():
    body = section(text(ODD), SECTIONS[2])
    items = re.findall(r"^(\d+)\. `([a-z_]+)`", body, flags=re.M)
    assert [int(n) for n, _ in items] == list(range(1, len(items) + 1)), \
        "the schedule's items are not numbered 1, 2, 3, ..."
    assert tuple(name for _, name in items) == model.PHASES


@pytest.mark.parametrize("path", [ODD, EVIDENCE], ids=lambda p: p.name)
def test_backticked_snake_case_names_exist_in_the_code(path):
    known = known_identifiers()
    unknown = sorted({tok for span in code_spans(text(path)) for tok in SNAKE.findall(span)}
                     - known)
    assert not unknown, (
        f"{path.name} names {unknown}: not a parameter, metric, directive action, event kind, "
        "phase, scenario event id or a name defined in model/")


@pytest.mark.parametrize("path", [ODD, EVIDENCE], ids=lambda p: p.name)
def test_backticked_classes_members_and_constants_exist(path):
    found, defined = classes(), defined_names()
    problems = []
    for span in code_spans(text(path)):
        for token in re.split(r"[\s,()\[\]]+", span):
            dotted = DOTTED.match(token)
            if dotted:
                cls, member = dotted.groups()
                if cls not in found:
                    problems.append(f"{token}: no class {cls} in model/")
                elif not (hasattr(found[cls], member) or _instance_attribute(found[cls], member)):
                    problems.append(f"{token}: {cls} has no {member}")
        whole = span.strip()       # a span that is just a class or constant name
        if CAMEL_OR_UPPER.match(whole) and whole not in defined | EXTERNAL:
            problems.append(f"{whole}: not defined in model/")
    assert not problems, f"{path.name}: " + "; ".join(sorted(set(problems)))


def _instance_attribute(cls: type, member: str) -> bool:
    """`member` is assigned as `self.member` somewhere in the class or its bases."""
    for klass in cls.__mro__:
        if klass.__module__.startswith("model."):
            src = inspect.getsource(klass)
            if re.search(rf"self\.{re.escape(member)}\b\s*(?::[^=]*)?=", src):
                return True
    return False


def test_section_two_state_variables_exist_on_their_objects():
    body = section(text(ODD), SECTIONS[1])
    checked = 0
    for block in re.split(r"^### ", body, flags=re.M)[1:]:
        heading, _, rest = block.partition("\n")
        owners = re.findall(r"`([A-Z][A-Za-z]+)`", heading)
        tables = re.findall(r"^\| variable \|.*\n\|[-| ]+\|\n((?:\|.*\n)+)", rest, flags=re.M)
        if not tables:
            continue
        assert owners, f"section 2 heading {heading!r} has a state table but names no class"
        objects = [instance_of(name) for name in owners]
        for table in tables:
            for row in table.splitlines():
                first = row.split("|")[1]
                for var in re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", first):
                    checked += 1
                    assert any(hasattr(obj, var) for obj in objects), (
                        f"docs/ODD.md section 2, {heading!r}: no state variable `{var}` on "
                        f"{', '.join(owners)}")
    assert checked > 50


def test_every_parameter_is_named_in_the_odd():
    doc = text(ODD)
    spans = set(code_spans(doc))
    tokens = {tok for span in spans for tok in SNAKE.findall(span)} | {
        s for s in spans if s in BY_NAME}
    missing = []
    for name in BY_NAME:
        channel = next((c for c in CHANNELS if name.startswith(c + "_")), None)
        protocol = next((q for q in PROTOCOLS if name.startswith(q + "_")), None)
        generic = f"`<channel>_{name[len(channel) + 1:]}`" if channel else \
            f"`<protocol>_{name[len(protocol) + 1:]}`" if protocol else None
        if name not in tokens and not (generic and generic in doc):
            missing.append(name)
    assert not missing, f"docs/ODD.md never names these parameters: {missing}"


@pytest.mark.parametrize("path", [ODD, EVIDENCE], ids=lambda p: p.name)
def test_quoted_defaults_match_the_schema(path):
    quoted = re.findall(r"`([a-z][a-z0-9_]*)` \(default ([^\s)`:;]+)", text(path))
    assert quoted or path is EVIDENCE
    for name, value in quoted:
        assert name in BY_NAME, f"{path.name}: (default ...) after `{name}`, not a parameter"
        default = BY_NAME[name].default
        value = value.rstrip(",.")
        if isinstance(default, dt.date):
            ok = value == default.isoformat()
        elif isinstance(default, bool):
            ok = value == str(default).lower()
        elif isinstance(default, int | float):
            ok = float(value.replace(",", "")) == float(default)
        else:
            ok = value.strip('"') == default
        assert ok, f"{path.name}: `{name}` (default {value}), but the schema says {default!r}"


def test_metric_table_lists_every_metric_with_its_unit():
    body = section(text(ODD), SECTIONS[6])
    rows = re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|", body, flags=re.M)
    table = {name: unit.strip() for name, unit in rows if name in model.METRIC_NAMES}
    assert list(table) == list(model.METRIC_NAMES), "metric table: not every metric, in order"
    for metric in METRICS:
        assert table[metric.name] == metric.unit, f"{metric.name}: unit {table[metric.name]!r}, " \
            f"model/outcomes.py says {metric.unit!r}"


def test_submodel_cross_references_exist():
    doc = text(ODD)
    headings = {int(n) for n in re.findall(r"^### 7\.(\d+) ", doc, flags=re.M)}
    assert headings == set(range(1, len(headings) + 1)), "submodels are not numbered 7.1, 7.2, ..."
    refs = {int(n) for n in re.findall(r"(?:section |\(|, |and )7\.(\d+)\b", doc)}
    assert refs <= headings, f"references to missing submodels: {sorted(refs - headings)}"


def test_parameter_reference_is_current():
    assert (DOCS / "parameters.md").read_text(encoding="utf-8") == markdown(), (
        "docs/parameters.md is stale: run `make docs`")
