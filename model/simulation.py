"""The Mesa model that wires calendar, regulators, platforms, partners, VPN providers, users
and business customers together, and the fixed order of a simulated day."""

from __future__ import annotations

from pathlib import Path

import mesa
import numpy as np

from .calendar import Calendar
from .config.loader import Scenario, load_scenario
from .config.parameters import CHANNELS
from .institutions.domestic_platforms import DomesticAppStore, DomesticCloud
from .institutions.foreign_platforms import ForeignAppStore, ForeignCloud
from .institutions.partner import LocalPartner
from .institutions.regulated import COMPLIED
from .institutions.regulator import Regulator, adapt, assign_roles, effective_intensity
from .institutions.vpn_providers import CH, VPNProviders
from .network import build_social_layer
from .outcomes import METRIC_NAMES, Recorder
from .population.customers import BusinessCustomers
from .population.users import ChannelView, Users

PHASES = (
    "calendar",            # 1. directives issued and services blocked today
    "regulators",          # 2. effective intensity, reactive directives, audits, duties
    "foreign_platforms",   # 3. comply / delay / resist, exit, removals
    "partners",            # 4. monitoring effort, policing customers
    "domestic_platforms",  # 5. quick compliance, removals, policing
    "vpn_providers",       # 6. relaunch driven by unmet demand
    "users",               # 7. awareness and fear spread, access, use, habit
    "customers",           # 8. cloud choice
    "metrics",             # 9. record the day's outcomes
)
"""The order of a day (ODD section 3). Each phase is the method `_<phase>` below."""

_DIRECTIVE_ORDER = ("shut_domestic_vpns", "remove_vpn_apps", "ban_cloud_circumvention")
_REPORTER_NAME = {"enforcement_intensity": "effective_intensity"}
# which channels each device can use: foreign-store apps are iOS only, domestic-store apps Android
_IOS_CHANNELS = np.array([c != "domestic_store" for c in CHANNELS])
_ANDROID_CHANNELS = np.array([c != "foreign_store" for c in CHANNELS])


class PressureModel(mesa.Model):
    """Regulatory pressure on platforms, one step per day.

    Args:
        scenario: a loaded `Scenario`, a path to a scenario TOML file, or a name in scenarios/.
        rng: seed or numpy Generator; every random draw comes from `self.rng`.
        **params: flat parameter overrides (names as in docs/parameters.md), e.g.
            `enforcement_intensity=0.8, users=2000`.
    """

    def __init__(self, scenario: Scenario | str | Path = "china_2017", rng=None, **params):
        super().__init__(rng=rng)
        base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        self.config = base.with_overrides(params, source="model parameters")
        p = self.p = self.config.params
        self.days = p["days"]
        self.day = 0
        self.calendar = Calendar.of(self.config)
        self.directives: dict[str, int] = {}
        self.adaptation = 0.0
        self.intensity = effective_intensity(p["enforcement_intensity"],
                                             self.calendar.multiplier(0), 0.0)
        self.sanctions_total = 0
        self.customers_shut_down_total = 0
        self._last_reactive = -10**9

        self.social = build_social_layer(p, self.rng)
        self.users = Users(p, self.social, self.rng)
        self.vpn = VPNProviders(p, self.rng)
        self._build_institutions()
        self.customers = BusinessCustomers(p, self.rng)
        self.customers.choose(self.rng, self.clouds, self.intensity,
                              np.ones(self.customers.n, dtype=bool))
        for cloud in self.foreign_clouds:
            cloud.initial_customers = self.customers.count_on(cloud.index)

        # day 0 state: users decide with their initial perceived risk; habit follows use
        self.users.perceived_risk[:] = 1.0 - np.exp(
            -p["risk_sensitivity"] * p["risk_visibility"] * self.intensity)
        self.users.decide(self.rng, self._channel_view(), 0)
        self.users.habit[:] = self.users.using
        self.initial_use = max(float(self.users.using.mean()), 1e-9)

        self.recorder = Recorder(self.days)
        # Mesa's batch_run puts reporters over the inputs of the same name: the effective
        # intensity is reported as `effective_intensity`, so the `enforcement_intensity` column
        # stays the base value the run was given.
        self.datacollector = mesa.DataCollector(
            model_reporters={_REPORTER_NAME.get(m, m): (lambda model, name=m:
                                                        model.recorder.latest(name))
                             for m in METRIC_NAMES})

    # --- set-up ---------------------------------------------------------------------------------
    def _build_institutions(self) -> None:
        p = self.p
        self.regulators = [Regulator(self, roles, duties)
                           for roles, duties in assign_roles(p["regulators"])]
        self.app_store = ForeignAppStore(self, "Foreign app store", size=1.0,
                                         china_revenue_share=p["store_china_revenue_share"])
        self.domestic_store = DomesticAppStore(self, "Domestic app stores", size=1.0)
        self.clouds: list = []
        self.foreign_clouds = []
        for k in range(p["foreign_clouds"]):
            cloud = ForeignCloud(self, f"Foreign cloud {chr(65 + k)}",
                                 size=p["foreign_cloud_visibility"],
                                 index=len(self.clouds))
            self.clouds.append(cloud)
            self.foreign_clouds.append(cloud)
        for k in range(p["domestic_clouds"]):
            giant = k == 0
            self.clouds.append(DomesticCloud(
                self, "Domestic cloud giant" if giant else f"Domestic cloud {k}",
                size=1.0 if giant else 0.5, index=len(self.clouds),
                quality=p["giant_scale_advantage"] if giant else 0.0))
        self.partners = []
        self.regulated = [self.app_store, self.domestic_store, *self.clouds]
        self.domestic_platforms = [self.domestic_store,
                                   *[c for c in self.clouds if isinstance(c, DomesticCloud)]]
        if p["foreign_ownership_cap"] < 0.5:
            self._require_partners()
        self.vpn.assign_hosts(self.rng, *self._host_lists())

    def _require_partners(self) -> None:
        """Every operating foreign cloud without one gets a local partner, which takes over
        the directives addressed to the cloud's operator."""
        for k, cloud in enumerate(self.foreign_clouds):
            if cloud.partner is not None or not (cloud.operating and cloud.foreign):
                continue
            partner = LocalPartner(self, f"Local partner {chr(65 + k)}", cloud)
            self.partners.append(partner)
            self.regulated.append(partner)
            cloud.obligations.pop("ban_cloud_circumvention", None)
            for action in self.directives:
                partner.oblige(action)

    def _host_lists(self) -> tuple[list[int], list[int]]:
        ops = [c for c in self.clouds if c.operating]
        return ([c.index for c in ops if c.foreign], [c.index for c in ops if not c.foreign])

    # --- the day --------------------------------------------------------------------------------
    def step(self) -> None:
        if self.day >= self.days:
            self.running = False
            return
        for phase in PHASES:
            getattr(self, f"_{phase}")()
        self.datacollector.collect(self)
        self.day += 1
        self.running = self.day < self.days

    def _calendar(self) -> None:
        for event in self.calendar.due(self.day):
            if event.kind == "directive":
                self.issue(event.action)
            elif event.kind == "block_service":
                self.users.service_blocked(self.rng, event.popularity)

    def _regulators(self) -> None:
        p = self.p
        if p["adaptation_rate"] > 0 and self.day > 0:
            self.adaptation = adapt(self.adaptation, self.recorder.latest("vpn_use"),
                                    p["adaptation_target_use"], p["adaptation_rate"])
        self.intensity = effective_intensity(p["enforcement_intensity"],
                                             self.calendar.multiplier(self.day), self.adaptation)
        self._reactive_directives()
        for regulator in self.regulators:
            regulator.refresh_targets()
        for regulator in self.regulators:
            regulator.step()

    def _foreign_platforms(self) -> None:
        for platform in (self.app_store, *self.foreign_clouds):
            platform.step()

    def _partners(self) -> None:
        for partner in self.partners:
            partner.step()

    def _domestic_platforms(self) -> None:
        for platform in self.domestic_platforms:
            platform.step()

    def _vpn_providers(self) -> None:
        unmet = max(0.0, 1.0 - self.recorder.latest("vpn_use") / self.initial_use) \
            if self.day > 0 else 0.0
        self.vpn.relaunch(self.rng, self.p["relaunch_rate"], unmet, *self._host_lists())

    def _users(self) -> None:
        self.users.spread(self.rng, self.intensity, self.day)
        self.users.decide(self.rng, self._channel_view(), self.day)

    def _customers(self) -> None:
        decay = np.exp(-1.0 / self.p["risk_memory_days"])
        for cloud in self.clouds:
            cloud.event_risk *= decay
        self.customers.review(self.rng, self.clouds, self.intensity, self.day)

    def _metrics(self) -> None:
        self.recorder.record(self.day, self.measure())

    # --- what institutions call ---------------------------------------------------------------
    def issue(self, action: str) -> None:
        """A directive comes into force: it is addressed to whom it concerns."""
        if action in self.directives:
            return
        self.directives[action] = self.day
        if action == "party_member_rules":
            self.users.party_rules = True
        elif action == "brand_restriction":
            self.customers.brand_penalty = self.p["brand_restriction_penalty"]
        elif action == "require_local_partner":
            self._require_partners()
        for entity in self.regulated:
            entity.oblige(action)

    def _reactive_directives(self) -> None:
        """Regulators that see too much circumvention issue the next directive not yet issued."""
        p = self.p
        if not p["reactive_directives"] or self.day == 0 \
                or self.day - self._last_reactive < p["reactive_interval_days"]:
            return
        if self.intensity >= p["reactive_min_intensity"] and \
                self.recorder.latest("vpn_use") > p["reactive_use_threshold"]:
            for action in _DIRECTIVE_ORDER:
                if action not in self.directives:
                    self.issue(action)
                    self._last_reactive = self.day
                    return

    def audit_rate(self, entity) -> float:
        """Expected audits of `entity` a day, summed over regulators."""
        return min(1.0, sum(r.audit_rate(entity) for r in self.regulators))

    def peer_compliance(self, entity, action: str) -> float:
        """Share of the other foreign entities under `action` that have complied."""
        peers = [e for e in self.regulated if e is not entity and e.foreign and e.operating
                 and action in e.obligations]
        return sum(e.complied(action) for e in peers) / len(peers) if peers else 0.0

    def on_sanction(self, entity) -> None:
        self.sanctions_total += 1
        cloud = getattr(entity, "cloud", entity)
        if hasattr(cloud, "event_risk"):
            cloud.event_risk += self.p["sanction_risk"]

    def close_cloud(self, cloud) -> None:
        """A cloud stops operating: servers on it go dark, its customers must move."""
        cloud.operating = False
        self.vpn.close_host(cloud.index)
        self.customers.forced |= self.customers.cloud == cloud.index

    # --- read-outs ------------------------------------------------------------------------------
    def network_graph(self):
        """The whole multilayer network as a networkx MultiGraph (built now, not kept)."""
        from .network.multilayer import multilayer_graph

        return multilayer_graph(self)

    def _channel_view(self) -> ChannelView:
        vpn = self.vpn
        working = vpn.working_counts(self.day)
        for store, channel in ((self.app_store, "foreign_store"),
                               (self.domestic_store, "domestic_store")):
            if store.suspended(self.day):          # a suspended store serves no downloads
                working[CH[channel]] = 0
        return ChannelView(working=working, initial=vpn.initial,
                           friction=vpn.friction, skill=vpn.skill,
                           ios=_IOS_CHANNELS, android=_ANDROID_CHANNELS)

    @property
    def date(self):
        return self.calendar.date(min(self.day, self.days - 1))

    def foreign_compliance(self) -> float:
        states = [s == COMPLIED for e in self.regulated if e.foreign
                  for s in e.obligations.values()]     # an exit leaves its orders unmet
        return sum(states) / len(states) if states else 1.0

    def measure(self) -> dict[str, float]:
        """Today's value of every outcome metric."""
        vpn, users = self.vpn, self.users
        working = vpn.working_counts(self.day)
        active = vpn.active_counts()
        foreign_flags = np.array([c.foreign and c.operating for c in self.clouds])
        cust_share, rev_share = self.customers.shares(foreign_flags)
        return {
            "enforcement_intensity": self.intensity,
            "vpn_supply": working.sum() / max(1, vpn.initial.sum()),
            "vpn_listings_foreign_store": active[CH["foreign_store"]],
            "vpn_listings_domestic_store": active[CH["domestic_store"]],
            "vpn_domestic_commercial": working[CH["domestic_commercial"]],
            "vpn_aware": np.count_nonzero(users.aware) / users.n,
            "vpn_access": np.count_nonzero(users.access) / users.n,
            "vpn_use": np.count_nonzero(users.using) / users.n,
            "foreign_cloud_share": cust_share,
            "domestic_cloud_share": 1.0 - cust_share,
            "foreign_cloud_revenue_share": rev_share,
            "domestic_cloud_revenue_share": 1.0 - rev_share,
            "foreign_compliance": self.foreign_compliance(),
            "foreign_platforms_active": sum(1 for e in (self.app_store, *self.foreign_clouds)
                                            if e.operating and e.foreign),
            "partner_monitoring_effort": (float(np.mean([q.effort for q in self.partners]))
                                          if self.partners else 0.0),
            "sanctions_total": self.sanctions_total,
            "users_punished_total": users.punished_total,
            "users_punished_share": users.punished_total / users.n,
            "customers_shut_down_total": self.customers_shut_down_total,
            "mean_perceived_risk": users.perceived_risk.mean(),
        }
