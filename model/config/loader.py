"""Load a scenario TOML file: follow `extends`, validate every key and event, apply overrides.

Scenario files are data: they are parsed with `tomllib`, never evaluated or unpickled. Every
problem raises `ScenarioError` naming the file, the key and what was expected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import ScenarioError
from .events import Event, parse_event
from .parameters import BY_NAME, DEFAULTS, SECTIONS
from .reading import read_toml
from .schema import parse_text
from .regions import Region, check_regions, parse_region
from .services import Service, check_shares, parse_service

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"
MAX_EXTENDS = 32                  # files in one `extends` chain; the shipped ones use 3
_META = {"name", "description", "extends", "events", "drop_events", "services", "regions"}


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: every parameter's value and the dated events, in date order."""

    name: str
    description: str
    params: dict[str, object]
    events: tuple[Event, ...] = ()
    files: tuple[str, ...] = ()          # the file and its `extends` chain, child first
    services: tuple[Service, ...] = ()   # consumer services, declared and implicit
    regions: tuple[Region, ...] = ()     # declared regions; none: the whole country
    overrides: dict[str, object] = field(default_factory=dict)

    def with_overrides(self, overrides: dict[str, object] | None, source: str = "overrides"
                       ) -> Scenario:
        """A copy with some parameters replaced (names or dotted keys; strings are parsed)."""
        if not overrides:
            return self
        params, applied = dict(self.params), dict(self.overrides)
        names = {lookup(str(k), source).name for k in overrides}
        if "days" in names and "end_date" not in names:
            params["end_date"] = None              # a horizon given in days replaces an end
        for key, value in overrides.items():
            param = lookup(str(key), source)
            try:
                typed = parse_text(param, value) if isinstance(value, str) and param.kind \
                    is not str else param.coerce(value)
            except ValueError as exc:
                raise ScenarioError(source, key, str(exc), value) from None
            params[param.name] = applied[param.name] = typed
        _cross_check(params, source)
        return replace(self, params=params, overrides=applied)

    @property
    def start_date(self) -> dt.date:
        return self.params["start_date"]

    @property
    def last_day(self) -> dt.date:
        return self.params["start_date"] + dt.timedelta(days=self.params["days"] - 1)

    def after_horizon(self) -> list[Event]:
        """Dated events after the last simulated day: they never take effect. Yearly periods
        and the known dates of their years (`series`) are a schedule, not reported here."""
        return [e for e in self.events if e.date > self.last_day and not e.recurs
                and not e.series]

    def to_dict(self) -> dict[str, object]:
        """The resolved scenario as plain data, grouped like a scenario file."""
        out: dict[str, object] = {"name": self.name, "description": self.description}
        for name, value in self.params.items():
            if value is None:                         # an optional parameter not set
                continue
            section = BY_NAME[name].section
            (out.setdefault(section, {}) if section else out)[name] = value
        implicit = {s.id for s in self.services if s.implicit}
        out["services"] = [{k: v for k, v in vars(s).items() if k != "implicit" and v != ""}
                           for s in self.services if not s.implicit]
        out["regions"] = [{k: v for k, v in vars(r).items() if v != ""} for r in self.regions
                          if r.id != "all"]
        out["events"] = [{k: v for k, v in vars(e).items() if v not in (None, "")
                          and not (k == "service" and v in implicit)}
                         for e in self.events]
        return out


def resolve_path(ref: str | Path, relative_to: Path | None = None) -> Path:
    """A scenario reference: a path (relative to `relative_to`), else a shipped scenario named
    by a bare name or file name (`china_2017` or `china_2017.toml` finds scenarios/china_2017.toml
    from anywhere), or by its path inside scenarios/ (`russia/2022` or `russia/2022.toml` finds
    scenarios/russia/2022.toml, a case pack's scenario, when no such file is found here)."""
    ref = Path(ref)
    if relative_to is not None and not ref.is_absolute():
        candidate = relative_to / ref
    else:
        candidate = ref
    if not _is_file(candidate) and len(ref.parts) == 1 and ref.suffix in ("", ".toml"):
        shipped = SCENARIO_DIR / (ref.name if ref.suffix else f"{ref}.toml")
        if _is_file(shipped) or not (ref.suffix or _exists(candidate)):
            candidate = shipped                     # a bare name means a shipped scenario
    elif (len(ref.parts) > 1 and not ref.is_absolute() and ref.suffix in ("", ".toml")
          and ".." not in ref.parts and not _is_file(candidate)):
        shipped = SCENARIO_DIR / (ref if ref.suffix else ref.with_name(f"{ref.name}.toml"))
        if _is_file(shipped):
            candidate = shipped                     # a shipped pack's scenario by its path
    return candidate


def shipped_names() -> list[str]:
    """The names of the scenarios in scenarios/."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def did_you_mean(word: str, known) -> str:
    """' (did you mean X?)' for the closest known name, '' when none is close."""
    import difflib

    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _exists(path: Path) -> bool:
    """`path.exists()`, but False for names the OS rejects (too long, NUL byte)."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _is_file(path: Path) -> bool:
    """`path.is_file()`, but False for names the OS rejects (too long, NUL byte)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def load_scenario(ref: str | Path, overrides: dict[str, object] | None = None) -> Scenario:
    """Load, validate and resolve a scenario file (or a name in `scenarios/`)."""
    path = resolve_path(ref)
    if path.parent == SCENARIO_DIR and not _exists(path):
        names = shipped_names()
        raise ScenarioError(str(path), None, "an existing scenario file"
                            + did_you_mean(path.stem, names) + " (shipped: "
                            + ", ".join(names) + ")")
    raw, files, description, name = _load_chain(path, ())
    params = dict(DEFAULTS)
    events: dict[str, Event] = {}
    services: dict[str, Service] = {}
    regions: dict[str, Region] = {}
    origin: dict[str, tuple[str, int]] = {}       # where each event was written
    for source, doc in raw:                         # root ancestor first
        _merge_by_id(services, doc, "services", "service", parse_service, source)
        _merge_by_id(regions, doc, "regions", "region", parse_region, source)
        for ev_id in doc.get("drop_events", []):
            if ev_id not in events:
                raise ScenarioError(source, "drop_events",
                                    "ids of events inherited from the extended scenario", ev_id)
            del events[ev_id]
            for other in [k for k, e in events.items() if e.series == ev_id]:
                del events[other]                  # a recurring period's dated years too
        for key, value in _flatten(doc, source):
            params[key] = value
        ids: set[str] = set()
        for i, rawev in enumerate(doc.get("events", [])):
            ev = parse_event(rawev, source, i)
            if ev.id in ids:
                raise ScenarioError(source, f"events[{i}].id",
                                    "an id no other event of this file has (set id = \"...\")",
                                    ev.id)
            ids.add(ev.id)
            events[ev.id] = ev
            origin[ev.id] = (source, i)
    _cross_check(params, files[0])
    ordered, all_services = _with_services(events, services, origin, files[0])
    all_regions = check_regions(tuple(regions.values()), files[0])
    _check_event_regions(ordered, all_regions, origin)
    scenario = Scenario(name=name, description=description, params=params,
                        events=ordered, files=files, services=all_services,
                        regions=all_regions)
    return scenario.with_overrides(overrides)


def _with_services(events: dict[str, Event], services: dict[str, Service],
                   origin: dict[str, tuple[str, int]], source: str
                   ) -> tuple[tuple[Event, ...], tuple[Service, ...]]:
    """Events in date order, and the services: the declared ones, plus one implicit foreign
    service (its own category, no substitute) for each `block_service` event that gives a
    popularity instead of a service. Service events must name a service of the scenario."""
    out = dict(services)
    ordered = []
    for ev in sorted(events.values(), key=lambda e: (e.date, e.id)):
        if ev.kind == "block_service" and ev.service is None:
            sid = "_" + "".join(c if c.isalnum() else "_" for c in ev.id.lower())
            out[sid] = Service(id=sid, category=sid, foreign=True, share=ev.popularity or 0.0,
                               name=ev.label, implicit=True)
            ev = replace(ev, service=sid)
        elif ev.kind in ("block_service", "ban_service") and ev.service not in out:
            file, i = origin[ev.id]
            raise ScenarioError(file, f"events[{i}].service",
                                "the id of a service declared in [[services]]"
                                + (f" (one of {', '.join(sorted(services))})"
                                   if services else ""), ev.service)
        ordered.append(ev)
    result = tuple(out.values())
    check_shares(result, source)
    return tuple(ordered), result


def _merge_by_id(into: dict, doc: dict, table: str, what: str, parse, source: str) -> None:
    """Parse a file's `[[table]]` entries into `into` by id: ids are unique within a file, and
    a child file redefines an inherited entry by its id."""
    seen: set[str] = set()
    for i, raw in enumerate(doc.get(table, [])):
        entry = parse(raw, source, i)
        if entry.id in seen:
            raise ScenarioError(source, f"{table}[{i}].id",
                                f"an id no other {what} of this file has", entry.id)
        seen.add(entry.id)
        into[entry.id] = entry


def _check_event_regions(events: tuple[Event, ...], regions: tuple[Region, ...],
                         origin: dict[str, tuple[str, int]]) -> None:
    """A shutdown names a region of the scenario."""
    ids = [r.id for r in regions]
    for ev in events:
        if ev.region is not None and ev.region not in ids:
            file, i = origin[ev.id]
            raise ScenarioError(file, f"events[{i}].region",
                                "the id of a region declared in [[regions]] (one of "
                                + ", ".join(ids) + ")", ev.region)


def lookup(key: str, source: str):
    """The parameter a flat name or a dotted `section.name` key refers to."""
    name = key.split(".", 1)[1] if "." in key and key.split(".", 1)[0] in SECTIONS else key
    param = BY_NAME.get(name)
    if param is None:
        raise ScenarioError(source, key, "a known parameter" + did_you_mean(name, BY_NAME)
                            + " (see docs/parameters.md)")
    if "." in key and param.key != key:
        raise ScenarioError(source, key, f"this parameter under its own key {param.key!r}")
    return param


def _load_chain(path: Path, seen: tuple[Path, ...]):
    """Read `path` and its `extends` ancestors; return [(source, doc)] root first."""
    source = str(path)
    if len(seen) >= MAX_EXTENDS:
        raise ScenarioError(seen[-1], "extends", f"a chain of at most {MAX_EXTENDS} scenario "
                            "files (each extends the next)")
    _, doc = read_toml(path, "scenario file")
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError) as exc:        # a symlink loop
        raise ScenarioError(source, None, f"a readable scenario file ({exc.__class__.__name__})"
                            ) from None
    if resolved in seen:
        chain = " -> ".join(str(p.name) for p in (*seen, resolved))
        raise ScenarioError(seen[-1], "extends", f"no cycle of extends ({chain})")
    _check_meta(doc, source)
    name = doc.get("name", path.stem)
    description = doc.get("description", "")
    if "extends" not in doc:
        return [(source, doc)], (source,), description, name
    parent = resolve_path(doc["extends"], path.parent)
    if not _is_file(parent):
        raise ScenarioError(source, "extends", "a scenario file or a name in scenarios/",
                            doc["extends"])
    raw, files, parent_desc, _ = _load_chain(parent, (*seen, resolved))
    return [*raw, (source, doc)], (source, *files), description or parent_desc, name


def _check_meta(doc: dict, source: str) -> None:
    for key, kind, what in (("name", str, "a string"), ("description", str, "a string"),
                            ("extends", str, "a scenario path or name (string)"),
                            ("events", list, "an array of tables ([[events]])"),
                            ("services", list, "an array of tables ([[services]])"),
                            ("drop_events", list, "an array of event ids")):
        if key in doc and not isinstance(doc[key], kind):
            raise ScenarioError(source, key, what, doc[key])
    name = doc.get("name", "-")                       # it names the default output folder
    if not name or not name.isprintable() or "/" in name or "\\" in name:
        raise ScenarioError(source, "name", "a non-empty name without / or \\", name)
    for i, ev_id in enumerate(doc.get("drop_events", [])):
        if not isinstance(ev_id, str):
            raise ScenarioError(source, f"drop_events[{i}]", "an event id (string)", ev_id)


def _flatten(doc: dict, source: str):
    """Yield (name, typed value) for every parameter in the document, checking sections."""
    for key, value in doc.items():
        if key in _META:
            continue
        if key in SECTIONS:
            if not isinstance(value, dict):
                raise ScenarioError(source, key, "a table of parameters", value)
            for sub, subvalue in value.items():
                yield _typed(f"{key}.{sub}", subvalue, source)
        else:
            yield _typed(key, value, source)


def _typed(key: str, value: object, source: str):
    param = lookup(key, source)
    if param.key != key:
        raise ScenarioError(source, key, f"this parameter under its own key {param.key!r}")
    try:
        typed = param.coerce(value)
    except ValueError as exc:
        raise ScenarioError(source, key, str(exc), value) from None
    if param.name in ("edge_list_file", "region_file") and typed:   # relative to its file
        typed = str((Path(source).parent / typed).absolute())
    return param.name, typed


def _cross_check(params: dict, source: str) -> None:
    """Checks that involve more than one parameter; an end_date sets the horizon."""
    if params.get("end_date") is not None:
        days = (params["end_date"] - params["start_date"]).days + 1
        limit = BY_NAME["days"]
        if not limit.low <= days <= limit.high:
            raise ScenarioError(source, "end_date", f"a date 1 to {limit.high:g} days from "
                                f"start_date {params['start_date']}", params["end_date"])
        params["days"] = days
    if params["network_kind"] == "edge_list":
        if not params["edge_list_file"]:
            raise ScenarioError(source, "network.edge_list_file",
                                "a CSV path when network_kind is 'edge_list'")
        if not _is_file(Path(params["edge_list_file"])):
            raise ScenarioError(source, "network.edge_list_file", "an existing CSV file",
                                params["edge_list_file"])
    if params.get("region_file") and not _is_file(Path(params["region_file"])):
        raise ScenarioError(source, "network.region_file", "an existing CSV file",
                            params["region_file"])
    if params["start_date"] > dt.date.max - dt.timedelta(days=params["days"] - 1):
        raise ScenarioError(source, "start_date", f"a start that leaves {params['days']} days "
                            f"before {dt.date.max}", params["start_date"])
    if params["mean_degree"] >= params["users"]:
        raise ScenarioError(source, "network.mean_degree",
                            f"fewer contacts than users ({params['users']})",
                            params["mean_degree"])
