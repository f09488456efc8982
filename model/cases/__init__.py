"""Cases beyond China, as out-of-sample tests: each pack's documented outcomes as data.

The model is calibrated on China only. A pack (`scenarios/russia/`, `scenarios/india/`) declares
a country's facts with sources that predate its outcomes; behavioural parameters keep the shared
values. `CASES` holds every pack's `Observation`s; `run_case` runs the pack's scenario(s) once
and scores them; `score` does the same from frames already at hand (e.g. an experiment's stored
run, `frames_from_experiment`).
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ..config.channels import CHANNELS
from . import india, russia
from .observation import Observation

__all__ = ["BEHAVIOUR", "CASES", "COUNTRY_PARAMETERS", "REPOSITORY", "Observation", "Score",
           "frames_from_experiment", "pack_settings", "run_case", "scenarios", "score", "shared"]

REPOSITORY = Path(__file__).resolve().parents[2]
BEHAVIOUR = REPOSITORY / "scenarios" / "behaviour.toml"
"""The shared, calibrated behaviour every pack extends: not a country fact."""
CASES: dict[str, tuple[Observation, ...]] = {
    "russia": russia.OBSERVATIONS,
    "india": india.OBSERVATIONS,
}


COUNTRY_PARAMETERS: frozenset[str] = frozenset({
    # the run: horizon and size
    "users", "days", "start_date", "end_date",
    # devices and who the population is
    "ios_share", "party_member_share",
    # enforcement: how hard regulators press, on whom, and the firewall
    "enforcement_intensity", "user_detection_rate", "seller_shutdown_rate", "wave_rate",
    "law_multiplier", "sensitive_multiplier", "regulators", "domestic_removal_rate",
    # platforms and the market of the country
    "store_china_revenue_share", "cloud_china_revenue_share", "foreign_ownership_cap",
    "foreign_clouds", "domestic_clouds",
    # VPN supply: providers by channel
    *(f"{channel}_providers" for channel in CHANNELS),
})
"""What a pack may set: facts of a country, each with a source in the pack. How users behave
(the `behaviour` section, and the population's traits other than devices and party membership:
interest, demand, skill, risk aversion, ties, awareness at the start) is shared by all cases."""


class Score(NamedTuple):
    observation: Observation
    observed: float
    error: float
    model: float

    @property
    def z(self) -> float:
        """(model - observed) / error: within 2 in absolute value, the model holds."""
        return (self.model - self.observed) / self.error


def scenarios(case: str) -> tuple[str, ...]:
    """The case's scenario files, relative to the repository's root, in declaration order."""
    return tuple(dict.fromkeys(o.scenario for o in _observations(case)))


def score(case: str, frames: dict[str, tuple[pd.DataFrame, pd.DataFrame]]) -> list[Score]:
    """Score the case's observations on `{scenario: (wide, long)}` frames of one run each."""
    out = []
    for obs in _observations(case):
        wide, long = frames[obs.scenario]
        try:
            value = float(obs.compute(wide, long))
        except (KeyError, ZeroDivisionError):
            value = math.nan
        out.append(Score(obs, obs.observed, obs.error, value))
    return out


def run_case(case: str, overrides: dict[str, object] | None = None, users: int | None = None,
             seed: int = 0) -> list[Score]:
    """Run each of the case's scenarios once (`model.run`, seed `seed`; `users` None keeps the
    scenario's 10,000) with `overrides` (e.g. a posterior draw of the shared parameters), and
    score its observations: one row (observation, observed, error, model value) each.
    An override of a parameter the pack declares (a country fact) is refused: pass
    `shared(draw)` to carry a calibration on another country over."""
    from ..api import run

    settings = dict(overrides or {})
    fixed = set().union(*(pack_settings(REPOSITORY / p) for p in scenarios(case)))
    clash = sorted(k for k in settings if _name(k) in fixed)
    if clash:
        raise ValueError(f"the {case} pack declares {', '.join(clash)} as a fact of the country: "
                         "pass shared(overrides) to apply only the shared parameters (e.g. of a "
                         "posterior draw calibrated on China)")
    if users is not None:
        settings["users"] = users
    frames = {}
    for path in scenarios(case):
        wide, long, _ = run(REPOSITORY / path, seed=seed, overrides=settings, long=True)
        frames[path] = (wide.set_index("date"), long)
    return score(case, frames)


def frames_from_experiment(folder: str | Path, run_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(wide, long) of one finished run of an experiment folder (its days, and its keyed
    table), identity columns dropped."""
    from ..batch.storage import ResultStore

    ids = ["run_id", "scenario", "point", "replicate", "seed"]
    stored = list(ResultStore(Path(folder)).layout.read([run_id]))
    if not stored:
        raise KeyError(f"{folder} has no finished run {run_id}")
    _, wide, _, long = stored[0]
    wide = wide.to_pandas()
    long = long.to_pandas() if long is not None else pd.DataFrame(columns=["date"])
    wide = wide.drop(columns=[c for c in wide.columns if c in ids or c.startswith("param.")])
    long = long.drop(columns=[c for c in long.columns if c in ids])
    return wide.set_index("date"), long


def shared(overrides: dict[str, object]) -> dict[str, object]:
    """The overrides that are not country facts (`COUNTRY_PARAMETERS`): what a calibration on
    one country may carry to another."""
    return {k: v for k, v in overrides.items() if _name(k) not in COUNTRY_PARAMETERS}


def pack_settings(path: str | Path) -> set[str]:
    """The parameters a scenario file and the files it extends set (names, not dotted keys),
    leaving out the shared behaviour (BEHAVIOUR) it extends."""
    import model

    out: set[str] = set()
    for file in model.load_scenario(path).files:
        if Path(file).resolve() == BEHAVIOUR:
            continue
        doc = tomllib.loads(Path(file).read_text(encoding="utf-8"))
        for key, value in doc.items():
            if key in ("name", "description", "extends", "events", "services", "regions",
                       "drop_events"):
                continue
            out |= set(value) if isinstance(value, dict) else {key}
    return out


def _name(key: str) -> str:
    from ..config.loader import lookup

    return lookup(str(key), "overrides").name


def _observations(case: str) -> tuple[Observation, ...]:
    if case not in CASES:
        raise KeyError(f"no case {case!r} (cases: {', '.join(CASES)})")
    return CASES[case]
