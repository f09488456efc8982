"""Business customers as arrays: each picks a cloud by price, quality, brand and regulatory
risk, with switching costs. Their choices are the cloud market shares."""

from __future__ import annotations

import numpy as np


class BusinessCustomers:
    def __init__(self, params: dict, rng: np.random.Generator) -> None:
        """`rng`: the stream of the customers' set-up draws."""
        n = params["business_customers"]
        self.p, self.n = params, n
        self.multinational = rng.random(n) < params["multinational_share"]
        self.size = rng.lognormal(0.0, params["customer_size_sigma"], n) * np.where(
            self.multinational, params["multinational_size_factor"], 1.0)
        self.hosts_circumvention = rng.random(n) < params["circumvention_customer_share"]
        self.warned = np.zeros(n, dtype=bool)
        self.cloud = np.full(n, -1, dtype=np.int64)
        self.forced = np.zeros(n, dtype=bool)    # shut down or cloud closed: must move today
        self.review_risk = np.zeros(n)           # risk a security review left with the firm
        self.reviewed = np.zeros(n, dtype=bool)  # reviewed today: reconsiders its cloud
        self.reviews_total = 0

    brand_penalty = 0.0     # set by the model when brand restrictions are in force
    region_intensity: np.ndarray | float = 1.0   # each firm's region's intensity multiplier

    def utilities(self, clouds: list, intensity: float, day: int = 0) -> np.ndarray:
        """U[i, j] = -price_sens x price_j + quality_j + foreign_j x brand_j
        + multinational_i x cross-border value on j - risk weight x event risk_j
        + switching cost if j is i's current cloud; -inf for a cloud that has closed.

        Enforcement reaches customers only through what they meet (`event_risk`: warning
        letters, shutdowns, sanctions and the licence uncertainty they signal) and prices (a
        partner's cut, data-localisation costs): no term of utility is intensity itself.
        Cross-border value: a foreign cloud's own network, or on a domestic cloud a licensed
        enterprise VPN line at `enterprise_vpn_price`, if it is worth its price.
        (`intensity` is kept in the signature for callers; it enters no utility.)"""
        p = self.p
        price = np.array([c.price for c in clouds])
        quality = np.array([c.quality for c in clouds])
        foreign = np.array([c.foreign for c in clouds], dtype=float)
        brand = np.array([c.brand for c in clouds]) * (1.0 - self.brand_penalty)
        risk = np.array([c.perceived_risk() for c in clouds])
        base = -p["price_sensitivity"] * price + quality + foreign * brand \
            - p["regulatory_risk_weight"] * risk
        base = np.where([c.operating for c in clouds], base, -np.inf)
        licensed = max(0.0, p["cross_border_value"]
                       - p["price_sensitivity"] * p["enterprise_vpn_price"])
        cross_border = np.where(foreign > 0, p["cross_border_value"], licensed)
        u = base[None, :] + np.outer(self.multinational, cross_border) \
            - p["regulatory_risk_weight"] * np.outer(self.review_risk, foreign)
        closed_to_new = np.flatnonzero([not c.accepting(day) for c in clouds])
        if closed_to_new.size:                  # suspended: only current customers stay
            block = self.cloud[:, None] != closed_to_new[None, :]
            u[:, closed_to_new] = np.where(block, -np.inf, u[:, closed_to_new])
        return u

    def choose(self, streams, clouds: list, intensity: float, who: np.ndarray,
               exclude_current: bool = False, day: int = 0, name: str = "review") -> None:
        """Customers in `who` pick the cloud with the highest utility plus Gumbel noise
        (multinomial logit); the shocks are keyed by (day, customer, cloud), so a change
        elsewhere leaves each customer's draws as they were. A customer no cloud will take
        stays where it is."""
        idx = np.flatnonzero(who)
        if idx.size == 0:
            return
        u = self.utilities(clouds, intensity, day)[idx]
        current = self.cloud[idx]
        has = current >= 0
        if exclude_current:
            u[has, current[has]] = -np.inf
        else:
            u[has, current[has]] += self.p["switching_cost"]
        shocks = streams.uniform_columns([f"customers:{name}:{j}" for j in range(len(clouds))],
                                         day, idx)
        u = u - np.log(-np.log(shocks))
        best = np.argmax(u, axis=1)
        open_ = np.isfinite(u[np.arange(idx.size), best])
        self.cloud[idx[open_]] = best[open_]

    def review(self, streams, clouds: list, intensity: float, day: int) -> None:
        """Customers forced off their cloud move elsewhere; a share of the rest reconsider.
        Those still on a closed cloud (no cloud would take them today) try again tomorrow."""
        forced = self.forced.copy()
        self.forced[:] = False
        self.choose(streams, clouds, intensity, forced, exclude_current=True, day=day,
                    name="forced")
        due = streams.uniform("customers:review_due", day, self.n) < self.p[
            "customer_review_rate"]
        self.choose(streams, clouds, intensity, ~forced & (due | self.reviewed), day=day)
        self.reviewed[:] = False
        self.review_risk *= np.exp(-1.0 / self.p["risk_memory_days"])
        closed = np.array([not c.operating for c in clouds])
        self.forced |= (self.cloud >= 0) & closed[self.cloud]

    def security_review(self, streams, day: int, foreign: np.ndarray, chance: float) -> int:
        """Customers on a foreign cloud are reviewed with `chance`: a review adds
        `security_review_risk` to what the firm sees in staying on a foreign cloud (it decays
        with the firm's memory), and the firm reconsiders its cloud today."""
        idx = np.flatnonzero(foreign[np.maximum(self.cloud, 0)] & (self.cloud >= 0))
        if not np.isscalar(self.region_intensity):
            chance = chance * self.region_intensity[idx]
        hit = idx[streams.uniform_at("customers:security_review", day, idx) < chance]
        self.review_risk[hit] += self.p["security_review_risk"]
        self.reviewed[hit] = True
        self.reviews_total += hit.size
        return int(hit.size)

    def police(self, streams, day: int, cloud: int, chance: float,
               warning_compliance: float) -> int:
        """Customers of `cloud` hosting circumvention are found with `chance`: a first find
        is a warning (after which most stop), a second a shutdown (the customer must move)."""
        idx = np.flatnonzero((self.cloud == cloud) & self.hosts_circumvention)
        found = idx[streams.uniform_at(f"customers:found:{cloud}", day, idx) < chance]
        shut = found[self.warned[found]]
        warn = found[~self.warned[found]]
        self.warned[warn] = True
        stop = streams.uniform_at("customers:stop", day, warn) < warning_compliance
        self.hosts_circumvention[warn[stop]] = False
        self.hosts_circumvention[shut] = False
        self.forced[shut] = True
        return int(shut.size)

    def warn_all(self, streams, day: int, cloud: int, warning_compliance: float) -> None:
        idx = np.flatnonzero((self.cloud == cloud) & self.hosts_circumvention)
        self.warned[idx] = True
        stop = streams.uniform_at("customers:stop", day, idx) < warning_compliance
        self.hosts_circumvention[idx[stop]] = False

    def licensed_share(self, clouds: list) -> float:
        """Share of multinationals whose cross-border traffic runs on a licensed line: those on
        a domestic cloud, when the line is worth its price (what the firewall can whitelist)."""
        p = self.p
        if p["cross_border_value"] <= p["price_sensitivity"] * p["enterprise_vpn_price"] \
                or not self.multinational.any():
            return 0.0
        foreign = np.array([c.foreign for c in clouds], dtype=bool)
        on_domestic = (self.cloud >= 0) & ~foreign[np.maximum(self.cloud, 0)]
        return float(np.count_nonzero(on_domestic & self.multinational)
                     / np.count_nonzero(self.multinational))

    def count_on(self, cloud: int) -> int:
        return int(np.count_nonzero(self.cloud == cloud))

    def circumventing_on(self, cloud: int) -> int:
        return int(np.count_nonzero((self.cloud == cloud) & self.hosts_circumvention))

    def shares(self, foreign_flags: np.ndarray) -> tuple[float, float]:
        """(customer share, revenue share) of the clouds flagged foreign."""
        on_foreign = foreign_flags[self.cloud]
        return float(on_foreign.mean()), float(self.size[on_foreign].sum() / self.size.sum())
