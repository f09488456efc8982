"""Users' fixed traits, each drawn from its own stream so that changing how one trait is drawn
leaves every other trait as it was."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..streams import Streams


@dataclass
class Traits:
    """What a user is and does not change during a run."""

    taste: np.ndarray          # value of information behind the wall, if interested (price units)
    skill: np.ndarray          # technical skill in [0, 1]
    risk_aversion: np.ndarray  # in [0, 1]
    party: np.ndarray          # Party member
    ios: np.ndarray            # on iOS (else Android)
    ties: np.ndarray           # international ties in [0, 1] (family, study or work abroad)
    interested: np.ndarray     # the initial hurdle draw: some demand for what is blocked
    aware: np.ndarray          # initially knows how to get a VPN


def beta(rng: np.random.Generator, mean: float, n: int, concentration: float) -> np.ndarray:
    return rng.beta(mean * concentration, (1.0 - mean) * concentration, n)


def draw_traits(params: dict, streams: Streams) -> Traits:
    """Continuous traits are stored as float32: half the memory traffic of a day's rules."""
    n, p = params["users"], params
    conc = p["trait_concentration"]
    t = Traits(
        taste=p["demand_median"] * streams.generator("traits:taste").lognormal(
            0.0, p["demand_sigma"], n),
        skill=beta(streams.generator("traits:skill"), p["skill_mean"], n, conc),
        risk_aversion=beta(streams.generator("traits:risk_aversion"), p["risk_aversion_mean"],
                           n, conc),
        party=streams.generator("traits:party").random(n) < p["party_member_share"],
        ios=streams.generator("traits:device").random(n) < p["ios_share"],
        ties=beta(streams.generator("traits:ties"), p["ties_mean"], n, conc),
        interested=streams.generator("traits:interest").random(n) < p["interest_share"],
        aware=streams.generator("traits:awareness").random(n) < p["initial_awareness"],
    )
    for name in ("taste", "skill", "risk_aversion", "ties"):
        setattr(t, name, getattr(t, name).astype(np.float32))
    return t


def foreign_affinity(traits: Traits, interested: np.ndarray, scale: float) -> np.ndarray:
    """Each user's taste for foreign services: `scale` x the mean of standardized interest,
    skill and international ties, so that a foreign service's users are not a random draw."""
    parts = [interested.astype(float), traits.skill, traits.ties]
    z = [(x - x.mean()) / (x.std() or 1.0) for x in parts]
    return scale * (z[0] + z[1] + z[2]) / np.sqrt(3.0)
