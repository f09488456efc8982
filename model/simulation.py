"""The Mesa model that wires calendar, regulators, platforms, partners, VPN providers, users
and business customers together, and the fixed order of a simulated day."""

from __future__ import annotations

import warnings
from pathlib import Path

import mesa
import numpy as np

from .calendar import Calendar, HorizonWarning
from .config.channels import CHANNELS, PROTOCOLS
from .config.loader import Scenario, load_scenario
from .config.schema import plain_scalar
from .institutions.domestic_platforms import DomesticAppStore, DomesticCloud
from .institutions.foreign_platforms import ForeignAppStore, ForeignCloud
from .institutions.partner import LocalPartner
from .institutions.regulated import COMPLIED
from .institutions.regulator import Regulator, adapt, assign_roles, effective_intensity
from .network import build_social_layer
from .outcomes import METRIC_NAMES, Recorder
from .population.customers import BusinessCustomers
from .population.regions import RegionMap
from .population.users import NO_PROVIDER, Users
from .services import ServiceMarket
from .streams import make_streams
from .supply import CH, PR, Firewall, VPNProviders
from .supply.entry import enter, migrate
from .supply.providers import N_PROTOCOLS
from .supply.routes import RouteTable

PHASES = (
    "calendar",            # 1. directives, service blocks and bans, encouragement, today
    "regulators",          # 2. effective intensity, reactive directives, audits, duties
    "foreign_platforms",   # 3. comply / delay / resist, exit, removals
    "partners",            # 4. monitoring effort, policing customers
    "domestic_platforms",  # 5. quick compliance, removals, policing
    "vpn_providers",       # 6. migration after protocol blocks, entry driven by unmet demand
    "users",               # 7. spread, installed VPNs, search, services, use, learning
    "customers",           # 8. cloud choice
    "metrics",             # 9. record the day's outcomes
)
"""The order of a day (ODD section 3). Each phase is the method `_<phase>` below."""

_DIRECTIVE_ORDER = ("shut_domestic_vpns", "remove_vpn_apps", "ban_cloud_circumvention")
INITIAL_EXPERIENCE = 3.0
"""Users who use a VPN at the start have used it for a while: their experience starts at
INITIAL_EXPERIENCE x learning_days (Assumption: nearly all of the learning done)."""


class PressureModel(mesa.Model):
    """Regulatory pressure on platforms, one step per day.

    Args:
        scenario: a loaded `Scenario`, a path to a scenario TOML file, or a name in scenarios/.
        rng: seed (an int) or numpy Generator or SeedSequence; every random draw comes from a
            per-decision stream spawned from it (`self.streams`, model/streams.py).
        **params: flat parameter overrides (names as in docs/parameters.md), e.g.
            `enforcement_intensity=0.8, users=2000`.
    """

    def __init__(self, scenario: Scenario | str | Path = "china_2017", rng=None, **params):
        rng = plain_scalar(rng)           # batch_run over np.arange hands over np.int64 seeds
        super().__init__(rng=rng)
        base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        self.config = base.with_overrides(params, source="model parameters")
        p = self.p = self.config.params
        self.streams = make_streams(rng if rng is not None else self.rng, p["random_streams"])
        self.days = p["days"]
        self.day = 0
        self.calendar = Calendar.of(self.config)
        for ev in self.config.after_horizon():
            warnings.warn(f"event {ev.id} ({ev.date.isoformat()}) is after the last simulated "
                          f"day ({self.config.last_day.isoformat()}): it never takes effect",
                          HorizonWarning, stacklevel=2)
        self.directives: dict[str, int] = {}
        self.adaptation = 0.0
        self.intensity = effective_intensity(p["enforcement_intensity"],
                                             self.calendar.multiplier(0), 0.0)
        self.sanctions_total = 0
        self.customers_shut_down_total = 0
        self.entered_total = 0
        self._last_reactive = -10**9

        self.regions = RegionMap(self.config.regions, p, self.streams, p["business_customers"])
        self.social = build_social_layer(p, self.streams.generator("network"),
                                         self.regions.bounds)
        self.users = Users(p, self.social, self.streams, self.regions)
        self.vpn = VPNProviders(p, self.streams.generator("supply:setup"))
        self.firewall = Firewall(p)
        self._schedule_protocol_events()
        self._build_institutions()
        self.customers = BusinessCustomers(p, self.streams.generator("customers:setup"))
        self.customers.region_intensity = self.regions.customer_intensity
        self.customers.choose(self.streams, self.clouds, self.intensity,
                              np.ones(self.customers.n, dtype=bool), day=0, name="initial")
        for cloud in self.foreign_clouds:
            cloud.initial_customers = self.customers.count_on(cloud.index)
        self.services = ServiceMarket(self.config.services, self.users.n, p,
                                      self.social.adjacency, self.users._inv_degree)
        self._initial_state()

        self.recorder = Recorder(self.days)
        self._declare_long()
        # Reporters carry the metrics' names; none is an input's, so Mesa's batch_run keeps
        # the inputs (e.g. the base `enforcement_intensity`) beside the daily values.
        self.datacollector = mesa.DataCollector(
            model_reporters={m: (lambda model, name=m: model.recorder.latest(name))
                             for m in METRIC_NAMES})

    def _initial_state(self) -> None:
        """Day-0 state: services already blocked or banned, users' VPNs and services, the
        first use decision (docs/ODD.md section 5)."""
        p, u, streams = self.p, self.users, self.streams
        u.routes = RouteTable.of(p, self.vpn)
        u.perceived_risk[:] = 1.0 - np.exp(
            -p["risk_sensitivity"] * p["risk_visibility"] * self.intensity * u.region_intensity)
        for ev in self.calendar.before_start:
            s = self.services.index(ev.service)
            (self.services.ban if ev.kind == "ban_service" else self.services.block)(
                s, shock=False)
            if ev.kind == "ban_service" and ev.withdraw_days is not None:
                self.services.withdraw(s)
        self.services.forced[:] = False
        u.search(streams, self.vpn, 0, draw_day=-1, effort=1.0)
        everyone = np.arange(u.n)
        self.services.setup(streams, u.affinity,
                            u.reach_cost(everyone, self.vpn, self.firewall.throttle))
        u.attachment[:] = p["attachment_weight"] * self.services.attachment()
        u.refresh_interest()
        u.search(streams, self.vpn, 0, draw_day=-2, effort=1.0)
        u.decide(streams, self.vpn, self.firewall.throttle, -1)
        u.experience[u.using] = INITIAL_EXPERIENCE * p["learning_days"]
        u.decide(streams, self.vpn, self.firewall.throttle, -1)
        self.initial_use = max(float(u.using.mean()), 1e-9)

    def _schedule_protocol_events(self) -> None:
        for ev, first, last in self.calendar.protocol_periods:
            classes = np.ones(N_PROTOCOLS, dtype=bool) if ev.protocol == "all" else \
                np.arange(N_PROTOCOLS) == PR[ev.protocol]
            if ev.kind == "block_protocol":
                self.firewall.schedule_block(classes, first, last)
            else:
                self.firewall.schedule_throttle(classes, first, last, ev.friction)

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
        self.vpn.assign_hosts(self.streams.generator("supply:hosts"), *self._host_lists())

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
        for ev in self.calendar.ending(self.day):
            self.users.end_encouragement(ev.id)
        for event in self.calendar.due(self.day):
            match event.kind:
                case "directive":
                    self.issue(event.action)
                case "block_service" | "ban_service":
                    self.cut_off_service(event)
                case "encouragement":
                    self.users.encourage(self.streams, event.id, event.share, event.boost,
                                         event.interest_prob)
                case "asset_sale":
                    if event.cloud <= len(self.foreign_clouds):
                        self.foreign_clouds[event.cloud - 1].sell_assets()
        for event in self.calendar.withdrawals(self.day):
            self.services.withdraw(self.services.index(event.service))

    def cut_off_service(self, event) -> None:
        """A sudden block or ban of a consumer service: its users reconsider today, and many
        of them find out how to get over the wall (Hobbs & Roberts 2018)."""
        s = self.services.index(event.service)
        users = (self.services.ban if event.kind == "ban_service" else self.services.block)(s)
        u = self.streams.uniform(f"events:{event.id}:learn", self.day, self.users.n)
        self.users.aware |= users & (u < self.p["block_awareness_prob"])

    def _regulators(self) -> None:
        p = self.p
        if p["adaptation_rate"] > 0 and self.day > 0:
            self.adaptation = adapt(self.adaptation, self.observed_use(),
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
        p, day = self.p, self.day
        moved = migrate(self.streams, self.vpn, day, p["migration_rate"], p["migration_days"])
        if moved.size:
            self._drop_unupdatable(moved)
        u = self.users          # aware users who want a VPN and had none working yesterday
        want = u.aware & u.has_interest
        unmet = float(np.count_nonzero(want & ~u.access) / max(np.count_nonzero(want), 1)) \
            if day > 0 else 0.0
        self.entered_total += enter(self.streams, self.vpn, day, p["entry_rate"], unmet,
                                    self.firewall.in_wave(day), self._host_lists())

    def _drop_unupdatable(self, moved: np.ndarray) -> None:
        """Users of a delisted store app whose provider migrated cannot get the update (unless
        they can update from abroad): the app stops working for them."""
        u, vpn = self.users, self.vpn
        flag = np.zeros(vpn.size, dtype=bool)
        flag[moved] = True
        prov = u.provider
        has = prov >= 0
        stuck = has & flag[np.maximum(prov, 0)] & vpn.is_store()[np.maximum(prov, 0)] \
            & ~vpn.listed[np.maximum(prov, 0)] & ~u._can_update()
        u.provider[stuck] = NO_PROVIDER

    def _users(self) -> None:
        u, s, vpn, day = self.users, self.streams, self.vpn, self.day
        throttle = self.firewall.throttle
        u.go_offline(self.regions, self.calendar.offline(day))
        u.spread(s, self.intensity, day)
        u.keep_up_installs(s, vpn, day)
        u.search(s, vpn, day, closed=self.closed_stores())
        who = self.services.worth_reviewing(self.services.reviewers(s, day), u.aware)
        if who.size and self.services.size:
            can_install = u.access[who] & (u.skill[who] >= self.p["sideload_skill"])
            self.services.review(s, day, who, u.affinity, u.reach_cost(who, vpn, throttle),
                                 can_install)
            u.attachment[who] = self.p["attachment_weight"] * self.services.attachment(who)
            u.refresh_interest(who)
        u.decide(s, vpn, throttle, day)
        u.learn()

    def _customers(self) -> None:
        decay = np.exp(-1.0 / self.p["risk_memory_days"])
        for cloud in self.clouds:
            cloud.event_risk *= decay
        self.customers.review(self.streams, self.clouds, self.intensity, self.day)

    def _metrics(self) -> None:
        self.recorder.record(self.day, self.measure(), self.measure_long())

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

    def observed_use(self) -> float:
        """The VPN use regulators observe: yesterday's."""
        return self.recorder.latest("vpn_use")

    def credibility(self) -> float:
        """How far platforms believe the regulators will sanction: 1 - (1 - c_0) x
        exp(-credibility_gain x sanctions so far), c_0 = `regulator_credibility`."""
        p = self.p
        return 1.0 - (1.0 - p["regulator_credibility"]) * np.exp(
            -p["credibility_gain"] * self.sanctions_total)

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

    def closed_stores(self) -> tuple[int, ...]:
        """Store channels that serve no downloads today: a suspended store (installed apps
        keep working)."""
        return tuple(CH[s.channel] for s in (self.app_store, self.domestic_store)
                     if s.suspended(self.day))

    def findable(self):
        """What a searching user could find today (`model.supply.routes.Findable`)."""
        from .supply.routes import Findable

        return Findable.today(self.vpn, self.day, self.closed_stores())

    @property
    def date(self):
        return self.calendar.date(min(self.day, self.days - 1))

    def foreign_compliance(self) -> float:
        states = [s == COMPLIED for e in self.regulated if e.foreign
                  for s in e.obligations.values()]     # an exit leaves its orders unmet
        return sum(states) / len(states) if states else 1.0

    def measure(self) -> dict[str, float]:
        """Today's value of every outcome metric."""
        vpn, users, day = self.vpn, self.users, self.day
        listed = vpn.listed_counts()
        foreign_flags = np.array([c.foreign and c.operating for c in self.clouds])
        cust_share, rev_share = self.customers.shares(foreign_flags)
        interested = users.has_interest
        n_interested = np.count_nonzero(interested)
        held = self._held()
        market = self.services
        reach = market.reach_share(None, users.using)
        working = vpn.works(day)
        return {
            "effective_intensity": self.intensity,
            "vpn_availability": (np.count_nonzero(users.access & interested) / n_interested
                                 if n_interested else 0.0),
            "vpn_interested": n_interested / users.n,
            "vpn_aware": np.count_nonzero(users.aware) / users.n,
            "vpn_access": np.count_nonzero(users.access) / users.n,
            "vpn_use": np.count_nonzero(users.using) / users.n,
            "vpn_providers_working": int(working.sum()),
            "vpn_listings_foreign_store": int(listed[CH["foreign_store"]]),
            "vpn_listings_domestic_store": int(listed[CH["domestic_store"]]),
            "vpn_domestic_commercial": int((vpn.serving & vpn.channel_mask(
                "domestic_commercial")).sum()),
            "vpn_installed_delisted": float(held[vpn.is_store() & ~vpn.listed].sum()) / users.n,
            "protocol_blocks_active": int(self.firewall.in_wave(day).sum()),
            "service_domestic_share": market.domestic_share() if market.size else float("nan"),
            "blocked_service_reach": reach,
            "foreign_cloud_share": cust_share,
            "domestic_cloud_share": 1.0 - cust_share,
            "foreign_cloud_revenue_share": rev_share,
            "domestic_cloud_revenue_share": 1.0 - rev_share,
            "foreign_compliance": self.foreign_compliance(),
            "foreign_platforms_active": sum(1 for e in (self.app_store, *self.foreign_clouds)
                                            if e.operating and e.foreign),
            "partner_monitoring_effort": (float(np.mean([q.effort for q in self.partners]))
                                          if self.partners else 0.0),
            "foreign_cloud_circumvention": self.circumvention_on(foreign_flags),
            "sanctions_total": self.sanctions_total,
            "users_punished_total": users.punished_total,
            "users_punished_share": users.punished_total / users.n,
            "customers_shut_down_total": self.customers_shut_down_total,
            "mean_perceived_risk": users.perceived_risk.mean(),
        }

    def circumvention_on(self, clouds: np.ndarray) -> int:
        """Circumvention hosted on the flagged clouds: serving VPN servers plus business
        customers still hosting circumvention there."""
        vpn, cust = self.vpn, self.customers
        on = np.flatnonzero(clouds)
        servers = np.count_nonzero(vpn.serving & np.isin(vpn.host, on))
        firms = np.count_nonzero(cust.hosts_circumvention & np.isin(cust.cloud, on))
        return int(servers + firms)

    def _held(self) -> np.ndarray:
        """Users on each provider today (one pass over the users; the rest is per provider).
        Cached for the day: `measure` and `measure_long` both read it."""
        if getattr(self, "_held_day", None) != (self.day, self.vpn.size):
            prov = self.users.provider
            self._held_cache = np.bincount(prov[np.flatnonzero(prov >= 0)],
                                           minlength=self.vpn.size)
            self._held_day = (self.day, self.vpn.size)
        return self._held_cache

    def _declare_long(self) -> None:
        rec, market = self.recorder, self.services
        for sid in market.ids:
            rec.declare("service_share", sid)
        for cat in market.categories:
            rec.declare("category_domestic_share", cat)
        for ev in self.config.events:
            if ev.kind in ("block_service", "ban_service"):
                rec.declare("service_reach", ev.service)
            if ev.kind == "encouragement":
                rec.declare("treated_use", ev.id)
                rec.declare("untreated_use", ev.id)
        if not self.regions.single:
            for rid in self.regions.ids:
                for metric in ("region_vpn_use", "region_vpn_availability", "region_offline"):
                    rec.declare(metric, rid)
        for c in CHANNELS:
            rec.declare("providers_working", f"channel:{c}")
        for q in PROTOCOLS:
            rec.declare("providers_working", f"protocol:{q}")
            rec.declare("protocol_availability", q)
            rec.declare("protocol_block", q)

    def measure_long(self) -> dict[tuple[str, str], float]:
        """Today's value of every series of the long table."""
        vpn, users, market, day = self.vpn, self.users, self.services, self.day
        out: dict[tuple[str, str], float] = {}
        for sid, share in zip(market.ids, market.shares(), strict=True):
            out["service_share", sid] = float(share)
        for k, cat in enumerate(market.categories):
            out["category_domestic_share", cat] = market.domestic_share(k)
        for s in market.former:
            out["service_reach", market.ids[s]] = market.reach_share(s, users.using)
        if not self.regions.single:
            out.update(self._measure_regions())
        works = vpn.works(day)
        by_channel = np.bincount(vpn.channel[works], minlength=len(CHANNELS))
        by_protocol = np.bincount(vpn.protocol[works], minlength=N_PROTOCOLS)
        for c, name in enumerate(CHANNELS):
            out["providers_working", f"channel:{name}"] = float(by_channel[c])
        users_on = self._held()
        held = np.bincount(vpn.protocol, weights=users_on, minlength=N_PROTOCOLS)
        held_ok = np.bincount(vpn.protocol[works], weights=users_on[works],
                              minlength=N_PROTOCOLS)
        active = self.firewall.in_wave(day)
        for q, name in enumerate(PROTOCOLS):
            out["providers_working", f"protocol:{name}"] = float(by_protocol[q])
            out["protocol_availability", name] = (held_ok[q] / held[q] if held[q]
                                                   else float("nan"))
            out["protocol_block", name] = float(active[q])
        for ev_id, treated in users.treatments.items():
            out["treated_use", ev_id] = float(users.using[treated].mean()) \
                if treated.any() else float("nan")
            out["untreated_use", ev_id] = float(users.using[~treated].mean()) \
                if (~treated).any() else float("nan")
        return out

    def _measure_regions(self) -> dict[tuple[str, str], float]:
        """Per region: VPN use, availability (as `vpn_availability`, among the region's
        interested users) and whether it is offline today."""
        u, regions = self.users, self.regions
        interested = u.has_interest
        use = np.bincount(regions.of_user, weights=u.using, minlength=len(regions.ids))
        size = regions.users_per_region
        has = np.bincount(regions.of_user, weights=u.access & interested,
                          minlength=len(regions.ids))
        want = np.bincount(regions.of_user, weights=interested, minlength=len(regions.ids))
        shut = self.calendar.offline(self.day)
        out = {}
        for r, rid in enumerate(regions.ids):
            out["region_vpn_use", rid] = float(use[r] / max(size[r], 1))
            out["region_vpn_availability", rid] = float(has[r] / want[r]) if want[r] else 0.0
            out["region_offline", rid] = float(rid in shut)
        return out

    def long_frame(self):
        """The long table of this run so far (see `model.outcomes.LONG_METRICS`)."""
        return self.recorder.long_frame(self.p["start_date"])
