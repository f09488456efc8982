"""The parameter reference (docs/parameters.md), generated from the schema."""

from __future__ import annotations

import datetime as dt

from ..outcomes import LONG_METRICS, METRICS
from .events import ACTIONS, KINDS
from .parameters import PARAMETERS, SECTIONS

_SECTION_TEXT = {
    "": "Run and the main lever",
    "network": "Social network",
    "population": "Users: traits at the start",
    "behaviour": "Users: behaviour",
    "regulators": "Regulators",
    "foreign_platforms": "Foreign platforms",
    "partners": "Local partners",
    "domestic": "Domestic platforms",
    "market": "Cloud market (business customers)",
    "vpn": "VPN providers (by channel)",
    "protocols": "VPN protocol classes and the firewall's view of them",
}


def markdown() -> str:
    """The whole reference as Markdown."""
    out = [
        "# Parameter reference",
        "",
        "Generated from the scenario schema (`model/config/parameters.py`) by `make docs`",
        "(`pressure params --markdown`); a test fails when this file is stale. Edit the schema,",
        "not this file.",
        "",
        "Each parameter is written in a scenario file under its section (the `key` column), set",
        "from the command line with `--set name=value` (or `--set section.name=value`), and",
        "passed to `model.simulate(name=value)` and `PressureModel(name=value)` by its flat name.",
        "Units: *price units* are days of a commercial VPN's price (about 100 yuan a month);",
        "platform costs are shares of revenue; rates are per day.",
        "",
    ]
    for section in ("", *SECTIONS):
        out += [f"## {_SECTION_TEXT[section]}" + (f" (`[{section}]`)" if section else ""), "",
                "| key | type | default | unit | range | meaning | source |",
                "|---|---|---|---|---|---|---|"]
        for p in PARAMETERS:
            if p.section != section:
                continue
            rng = ", ".join(p.choices) if p.choices else (
                f"{_num(p.low)} to {_num(p.high)}" if p.low is not None else "")
            out.append(f"| `{p.key}` | {_type(p.kind)} | {_value(p.default)} | {p.unit} | {rng} "
                       f"| {p.meaning} | {p.source} |")
        out.append("")
    out += ["## Calendar events (`[[events]]`)", "",
            "| field | needed for | meaning |", "|---|---|---|",
            "| `date` | all | first day (YYYY-MM-DD); events before the start take effect on day 0 |",
            f"| `kind` | all | one of {', '.join(f'`{k}`' for k in KINDS)} |",
            "| `id` | optional | name for `drop_events` in a scenario that extends this one |",
            "| `label` | optional | text shown on figures |",
            "| `end` | `sensitive_period`, `encouragement`, `block_protocol`, "
            "`throttle_protocol` | last day of the period |",
            "| `multiplier` | optional, `law` and `sensitive_period` | factor on intensity "
            "(default `law_multiplier`, `sensitive_multiplier`) |",
            f"| `action` | `directive` | one of {', '.join(f'`{a}`' for a in ACTIONS)} |",
            "| `service` | `block_service` (or `popularity`), `ban_service` | id of a service "
            "of the scenario's `[[services]]` |",
            "| `popularity` | `block_service` of an undeclared service | share of users of it: "
            "the loader declares an implicit foreign service of its own category |",
            "| `withdraw_days` | optional, `ban_service` | days after the ban when the service "
            "withdraws itself (not even a VPN reaches it) |",
            "| `share` | `encouragement` | share of users treated (drawn at random) |",
            "| `boost` | `encouragement` | value added for treated users with interest, price "
            "units/day |",
            "| `interest_prob` | optional, `encouragement` | chance a treated user with no "
            "interest gains it (default 0) |",
            "| `protocol` | `block_protocol`, `throttle_protocol` | a protocol class (`plain`, "
            "`obfuscated`, `tor`) or `all` |",
            "| `friction` | `throttle_protocol` | friction added, price units/day |",
            "| `source` | optional | where the date comes from |", "",
            "## Consumer services (`[[services]]`)", "",
            "| field | needed | meaning |", "|---|---|---|",
            "| `id` | yes | lowercase name, unique in the scenario (a child redefines a service "
            "by its id) |",
            "| `category` | yes | lowercase name: users have one service per category, or none |",
            "| `foreign` | yes | true for a foreign service |",
            "| `share` | yes | share of all users on it at the start; a category's shares sum to "
            "at most 1 |",
            "| `name`, `source` | optional | label, and where the share comes from |", "",
            "## Outcomes (columns of `timeseries.parquet`)", "",
            "| column | label | unit | meaning |", "|---|---|---|---|",
            "| `date` | date | date | the simulated day |",
            "| `day` | day | days | days since the start (0 is the first day) |"]
    out += [f"| `{m.name}` | {m.label} | {m.unit} | {m.meaning} |" for m in METRICS]
    out += ["", "## Outcomes by key (rows of `outcomes_long.parquet`: date, day, metric, key, "
            "value)", "", "| metric | label | unit | meaning |", "|---|---|---|---|"]
    out += [f"| `{m.name}` | {m.label} | {m.unit} | {m.meaning} |" for m in LONG_METRICS]
    return "\n".join(out) + "\n"


def _type(kind: type) -> str:
    return {bool: "bool", int: "int", float: "float", str: "string", dt.date: "date"}[kind]


def _value(v: object) -> str:
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f'"{v}"'
    return str(v)


def _num(x: float) -> str:
    return f"{x:,.10g}"
