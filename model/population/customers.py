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

    brand_penalty = 0.0     # set by the model when brand restrictions are in force

    def utilities(self, clouds: list, intensity: float, day: int = 0) -> np.ndarray:
        """U[i, j] = -price_sens x price_j + quality_j + foreign_j x (multinational_i x
        cross-border value + brand_j) - risk weight x perceived risk_j + switching cost if j is
        i's current cloud; -inf for a cloud that has closed."""
        p = self.p
        price = np.array([c.price for c in clouds])
        quality = np.array([c.quality for c in clouds])
        foreign = np.array([c.foreign for c in clouds], dtype=float)
        brand = np.array([c.brand for c in clouds]) * (1.0 - self.brand_penalty)
        risk = np.array([c.perceived_risk(intensity, p["foreign_risk_exposure"])
                         for c in clouds])
        base = -p["price_sensitivity"] * price + quality + foreign * brand \
            - p["regulatory_risk_weight"] * risk
        base = np.where([c.operating for c in clouds], base, -np.inf)
        u = base[None, :] + np.outer(self.multinational, foreign * p["cross_border_value"])
        closed_to_new = np.flatnonzero([not c.accepting(day) for c in clouds])
        if closed_to_new.size:                  # suspended: only current customers stay
            block = self.cloud[:, None] != closed_to_new[None, :]
            u[:, closed_to_new] = np.where(block, -np.inf, u[:, closed_to_new])
        return u

    def choose(self, rng: np.random.Generator, clouds: list, intensity: float,
               who: np.ndarray, exclude_current: bool = False, day: int = 0) -> None:
        """Customers in `who` pick the cloud with the highest utility plus Gumbel noise
        (multinomial logit). A customer no cloud will take stays where it is."""
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
        u = u + rng.gumbel(size=u.shape)
        best = np.argmax(u, axis=1)
        open_ = np.isfinite(u[np.arange(idx.size), best])
        self.cloud[idx[open_]] = best[open_]

    def review(self, rng: np.random.Generator, clouds: list, intensity: float,
               day: int) -> None:
        """Customers forced off their cloud move elsewhere; a share of the rest reconsider.
        Those still on a closed cloud (no cloud would take them today) try again tomorrow."""
        forced = self.forced.copy()
        self.forced[:] = False
        self.choose(rng, clouds, intensity, forced, exclude_current=True, day=day)
        self.choose(rng, clouds, intensity,
                    ~forced & (rng.random(self.n) < self.p["customer_review_rate"]), day=day)
        closed = np.array([not c.operating for c in clouds])
        self.forced |= (self.cloud >= 0) & closed[self.cloud]

    def police(self, rng: np.random.Generator, cloud: int, chance: float,
               warning_compliance: float) -> int:
        """Customers of `cloud` hosting circumvention are found with `chance`: a first find
        is a warning (after which most stop), a second a shutdown (the customer must move)."""
        idx = np.flatnonzero((self.cloud == cloud) & self.hosts_circumvention)
        found = idx[rng.random(idx.size) < chance]
        shut = found[self.warned[found]]
        warn = found[~self.warned[found]]
        self.warned[warn] = True
        self.hosts_circumvention[warn[rng.random(warn.size) < warning_compliance]] = False
        self.hosts_circumvention[shut] = False
        self.forced[shut] = True
        return int(shut.size)

    def warn_all(self, rng: np.random.Generator, cloud: int, warning_compliance: float) -> None:
        idx = np.flatnonzero((self.cloud == cloud) & self.hosts_circumvention)
        self.warned[idx] = True
        self.hosts_circumvention[idx[rng.random(idx.size) < warning_compliance]] = False

    def count_on(self, cloud: int) -> int:
        return int(np.count_nonzero(self.cloud == cloud))

    def circumventing_on(self, cloud: int) -> int:
        return int(np.count_nonzero((self.cloud == cloud) & self.hosts_circumvention))

    def shares(self, foreign_flags: np.ndarray) -> tuple[float, float]:
        """(customer share, revenue share) of the clouds flagged foreign."""
        on_foreign = foreign_flags[self.cloud]
        return float(on_foreign.mean()), float(self.size[on_foreign].sum() / self.size.sum())
