"""The per-agent Mesa reference (benchmarks/per_agent.py) as the correctness oracle of the
vectorized user rules (model/population/users.py).

1. Same rule, same state: from one model state, the agents' neighbour counts, degrees and
   channel choices equal the sparse products and `_best_channel` of the arrays.
2. Same outcome distributions: across seeds, the user metrics of the vectorized model and of the
   per-agent model (same scenario, small size, the July 2017 directives inside the horizon) do
   not differ: Welch t-tests on the per-seed means and finals, Bonferroni-corrected, and a cap on
   the difference of means relative to their spread (standardized difference).
3. The oracle can fail: the per-agent model with a different awareness_transmission is detected.

The two sides use disjoint seeds, so their samples are independent, as the two-sample test
assumes (with the same seeds they would share networks and traits).
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.per_agent import AgentUsers, per_agent_model, run_to_end  # noqa: E402
from model.population.users import STATES, Users  # noqa: E402
from model.simulation import PressureModel  # noqa: E402

METRICS = ("vpn_use", "vpn_access", "vpn_aware", "mean_perceived_risk", "users_punished_total")
# 400 users from 15 June 2017 for 110 days: domestic sellers shut (1 July), Sinnet's letters and
# the app-store removals (28-29 July), Party-member rules (1 August), WhatsApp blocked and the
# Party Congress (19 September on) all fall inside the horizon.
SMALL = dict(users=400, days=110, start_date=dt.date(2017, 6, 15))
# the same with awareness spreading and punishment frequent, so the neighbour rules matter
STRESSED = dict(SMALL, awareness_transmission=0.01, user_detection_rate=0.01)
SEEDS = 12
FAMILY_ALPHA = 0.01            # Bonferroni over the statistics of one comparison
MAX_STANDARDIZED_DIFF = 1.5    # |mean_a - mean_b| / pooled sd


def outcomes(model: PressureModel) -> dict[str, float]:
    """A run's time mean and final value of each user metric."""
    frame = run_to_end(model).recorder.frame(model.p["start_date"])
    out = {f"{m}_mean": float(frame[m].mean()) for m in METRICS}
    out.update({f"{m}_final": float(frame[m].iloc[-1]) for m in METRICS})
    return out


def sample(build, params: dict, first_seed: int) -> dict[str, np.ndarray]:
    runs = [outcomes(build("china_2017", rng=first_seed + s, **params)) for s in range(SEEDS)]
    return {k: np.array([r[k] for r in runs]) for k in runs[0]}


def differences(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> list[str]:
    """The statistics on which samples a and b differ (empty: same distribution)."""
    alpha = FAMILY_ALPHA / len(a)
    found = []
    for key in a:
        x, y = a[key], b[key]
        spread = math.sqrt((x.var(ddof=1) + y.var(ddof=1)) / 2)
        if spread == 0.0:
            if x.mean() != y.mean():
                found.append(f"{key}: constant {x.mean():.4g} vs {y.mean():.4g}")
            continue
        p = stats.ttest_ind(x, y, equal_var=False).pvalue
        d = (y.mean() - x.mean()) / spread
        if p < alpha or abs(d) > MAX_STANDARDIZED_DIFF:
            found.append(f"{key}: {x.mean():.4g} vs {y.mean():.4g} (p={p:.2g}, d={d:.2f})")
    return found


@pytest.fixture(scope="module")
def vectorized_stressed():
    return sample(PressureModel, STRESSED, 0)


def test_same_rule_same_state():
    """Deterministic parts agree user by user: contacts using, degree, channel and friction."""
    model = PressureModel("china_2017", rng=3, **STRESSED)
    for _ in range(45):                                   # past the July directives
        model.step()
    users = model.users
    agents = AgentUsers(model, users)
    using_contacts = users.social.adjacency @ users.using.astype(np.float32)
    counted = [sum(o.using for o in a.cell.neighborhood.agents) for a in agents._agents]
    degree = [len(a.cell.neighborhood) for a in agents._agents]
    assert np.array_equal(using_contacts, counted)
    assert np.array_equal(users.social.degree, degree)
    assert users.using.sum() > 0

    view = model._channel_view()
    friction, channel = users._best_channel(view)
    figures = agents.channel_figures(view)
    for i, agent in enumerate(agents._agents):
        best, best_friction = -1, math.inf
        for c, (f, reach, skill, on_ios, on_android) in enumerate(figures):
            if (f < best_friction and agent.skill >= skill and agent.luck[c] <= reach
                    and (on_ios if agent.ios else on_android)):
                best, best_friction = c, f
        assert best == channel[i]
        if best >= 0:
            assert best_friction == pytest.approx(friction[i], abs=1e-12)
    # the copied state reads back as the arrays it came from
    for name in ("aware", "access", "using", "channel", "perceived_risk", "habit", "ios",
                 "party", "demand", "skill", "risk_aversion", "punished_day", "luck"):
        assert np.array_equal(getattr(agents, name), getattr(users, name)), name
    assert np.array_equal(agents.states(model.day), users.states(model.day))


def test_drop_in_for_users():
    """Both start identical; the read-outs have the vectorized users' shapes and types."""
    vector = PressureModel("china_2017", rng=5, **SMALL)
    agent = per_agent_model("china_2017", rng=5, **SMALL)
    assert isinstance(vector.users, Users) and isinstance(agent.users, AgentUsers)
    u, a = vector.users, agent.users
    assert a.n == u.n
    for name in ("demand", "skill", "risk_aversion", "party", "ios", "luck", "aware"):
        assert np.array_equal(getattr(a, name), getattr(u, name)), name
    for name in ("aware", "access", "using", "channel", "perceived_risk", "habit",
                 "punished_day", "ios", "party", "demand", "skill", "risk_aversion", "luck"):
        assert getattr(a, name).shape == getattr(u, name).shape, name
        assert getattr(a, name).dtype == getattr(u, name).dtype, name
    assert np.array_equal(a.habit, a.using.astype(float))                 # day 0: habit = use
    assert a.perceived_risk == pytest.approx(u.perceived_risk)
    assert agent.initial_use == pytest.approx(max(a.using.mean(), 1e-9))
    assert a.punished_total == 0 and a.party_rules is False
    a.party_rules = True
    assert a.party_rules is True
    while agent.running:
        agent.step()
    states = a.states(agent.day - 1)
    assert states.dtype == np.int8 and states.shape == (a.n,)
    assert set(np.unique(states)) <= set(range(len(STATES)))
    assert a.punished_total == agent.recorder.latest("users_punished_total")


@pytest.mark.parametrize("params", [SMALL, STRESSED], ids=["default", "stressed"])
def test_same_outcome_distributions(params, vectorized_stressed):
    vector = vectorized_stressed if params is STRESSED else sample(PressureModel, params, 0)
    agents = sample(per_agent_model, params, 1000)
    assert differences(vector, agents) == []


def test_oracle_detects_a_different_rule(vectorized_stressed):
    """Awareness spreading through contacts at twice the rate is told apart."""
    changed = dict(STRESSED, awareness_transmission=2 * STRESSED["awareness_transmission"])
    agents = sample(per_agent_model, changed, 2000)
    found = differences(vectorized_stressed, agents)
    assert any(f.startswith("vpn_aware") for f in found), found
