"""Scenarios for the behaviour tests: the baseline (China before the 2017 campaign) with a
popular foreign photo service and a domestic substitute, and the field's settings (free access,
encouragement, a sudden block, a ban, a protocol-wide block)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np

import model
from model.config.channels import CHANNELS, PROTOCOLS
from model.config.events import parse_event
from model.config.parameters import BY_NAME
from model.config.services import Service

START = dt.date(2017, 1, 1)
SHOCK = dt.date(2017, 4, 11)              # day 100
SHOCK_DAY = (SHOCK - START).days

FREE_ACCESS = {"enforcement_intensity": 0.0, "vpn_price": 0.0, "initial_awareness": 1.0,
               **{f"{c}_friction": 0.0 for c in CHANNELS},
               **{f"{q}_friction": 0.0 for q in PROTOCOLS}}
"""Chen & Yang's setting: access free, frictionless and risk-free, everyone knowing how."""

PHOTOS = (Service("gram", "photos", True, 0.3, "Gram (foreign)"),
          Service("local_photos", "photos", False, 0.5, "Local photos (domestic)"))
"""A popular foreign service (0.3 of users, as Instagram-like services were before their
blocks) and a domestic substitute."""


MECHANISM_VALUES = {name: BY_NAME[name].default for name in (
    "interest_share", "attention_cost", "learning_max", "attachment_weight", "demand_median")}
"""The behaviour the benchmarks state they run at: the schema's defaults, not the calibrated
values of scenarios/behaviour.toml. The benchmarks test mechanisms (and their ablations) at
stated values; how the calibrated model meets the same evidence is docs/validation.md's."""


def scenario(overrides: dict | None = None, services=PHOTOS, events=(), base="baseline"):
    sc = model.load_scenario(base, overrides={**MECHANISM_VALUES, **(overrides or {})})
    evs = [parse_event(raw, "behaviour test", i) for i, raw in enumerate(events)]
    return replace(sc, services=sc.services + tuple(services),
                   events=tuple(sorted((*sc.events, *evs), key=lambda e: (e.date, e.id))))


def event(kind: str, **fields) -> dict:
    return {"id": fields.pop("id", kind), "date": fields.pop("date", SHOCK), "kind": kind,
            **fields}


def run(sc, seed: int, days: int | None = None):
    """(model, wide frame, long frame) of a run to its end."""
    m = model.PressureModel(sc, rng=seed, **({"days": days} if days else {}))
    while m.running:
        m.step()
    return m, m.recorder.frame(m.p["start_date"]), m.long_frame()


def series(long, metric: str, key: str):
    part = long[(long["metric"] == metric) & (long["key"] == key)]
    return part.set_index("day")["value"]


def mean_over(s, first: int, last: int) -> float:
    return float(np.mean(s.loc[first:last]))
