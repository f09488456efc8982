"""Consumer services: users choose, within each category, a service or none (docs/ODD.md 7.20).

Utility of service s in category k for user i at a review:

    u_is = delta_s + network_weight x m_is + affinity_i x foreign_s - reach_i x blocked_s + e_is

m_is is the share of i's contacts on s (network effects), affinity_i the user's taste for foreign
services (correlated with interest, skill and international ties), reach_i what it costs i to
reach a blocked service (0 when using a VPN already, the expected VPN cost when aware, infinite
when not), e_is the user's own Gumbel taste for s, drawn once (tastes persist; choices change
when conditions do); the outside option "none" has utility e_i0. A withdrawn service, or a banned one the user does not have and cannot install,
is not available.

delta_s is set at the start so that the declared shares are the choice model's shares given the
population (the inversion of Berry 1994 for logit demand): a market without shocks stays where
the scenario put it. After a review, the value a user draws from holding a blocked service is
its attachment, u_is + reach_i - max over open options (none included): what the user would lose
without a VPN. It enters the VPN decision as value.
"""

from __future__ import annotations

import numpy as np

from ..config.services import Service
from ..network import neighbours
from ..streams import Streams

NONE = -1
INVERSION_SAMPLE = 50_000
"""Users the share inversion averages over (all of them in smaller populations)."""


class ServiceMarket:
    def __init__(self, services: tuple[Service, ...], n: int, params: dict, adjacency,
                 inv_degree: np.ndarray) -> None:
        self.services = services
        self.p, self.n = params, n
        self.adjacency, self.inv_degree = adjacency, inv_degree
        self.ids = [s.id for s in services]
        self.categories: list[str] = list(dict.fromkeys(s.category for s in services))
        self.category_of = np.array([self.categories.index(s.category) for s in services],
                                    dtype=np.int64)
        self.foreign = np.array([s.foreign for s in services], dtype=bool)
        self.target = np.array([s.share for s in services])
        S, K = len(services), len(self.categories)
        self.members = [np.flatnonzero(self.category_of == k) for k in range(K)]
        # each service's slot (1, 2, ...) within its category; slot 0 is "none"
        self._slot = np.zeros(S, dtype=np.int64)
        for members in self.members:
            self._slot[members] = np.arange(1, members.size + 1)
        self._width = 1 + max((mm.size for mm in self.members), default=0)
        self._service_at = np.full((K, self._width), NONE, dtype=np.int16)
        for k, members in enumerate(self.members):
            self._service_at[k, 1:members.size + 1] = members
        self.blocked = np.zeros(S, dtype=bool)
        self.banned = np.zeros(S, dtype=bool)
        self.withdrawn = np.zeros(S, dtype=bool)
        self.delta = np.zeros(S)
        self.choice = np.full((n, K), NONE, dtype=np.int16)
        self.counts = np.zeros(S, dtype=np.int64)          # users on each service
        self.contacts = np.zeros((n, S), dtype=np.int16)   # each user's contacts on each
        self.attach = np.zeros((n, K), dtype=np.float32)
        self.forced = np.zeros(n, dtype=bool)
        self.next_review = np.full(n, -1, dtype=np.int32)   # each user's next review day
        # True when something a review reads may have changed since the user's last review
        # (a contact switched, a service was cut off); see `worth_reviewing`
        self.changed = np.ones(n, dtype=bool)
        self.former: dict[int, np.ndarray] = {}     # users of a service when it was cut off

    @property
    def size(self) -> int:
        return len(self.services)

    # --- set-up ---------------------------------------------------------------------------------
    def setup(self, streams: Streams, affinity: np.ndarray, reach: np.ndarray, rounds: int = 2,
              iterations: int = 40) -> None:
        """Invert the declared shares into qualities, then draw every user's choice; the
        network term uses the declared shares first, then the drawn choices."""
        if not self.size:
            return
        everyone = np.arange(self.n)
        self.next_review = (streams.geometric_at("services:next_review", -1, everyone,
                                                 self.p["service_review_rate"]) - 1
                            ).astype(np.int32)
        m = np.broadcast_to(self.target, (self.n, self.size))
        # the predicted shares are population means: a systematic sample of users estimates
        # them to within about 0.002, at a fixed cost however large the population
        sample = everyone[::max(1, self.n // INVERSION_SAMPLE)]
        for r in range(rounds):
            self._invert(m[sample], affinity[sample], reach[sample], iterations)
            gumbel = self._gumbel(streams, everyone)
            self._choose(everyone, m, affinity, reach, gumbel, holding=None, track=False)
            self.contacts[:] = self._count_contacts(everyone)
            m = self.contact_shares(everyone)

    def _invert(self, m, affinity, reach, iterations: int) -> None:
        fixed = self.p["network_weight"] * m + affinity[:, None] * self.foreign[None, :]
        reachable = self._reach_penalty(reach)
        with np.errstate(divide="ignore"):
            log_target = np.log(self.target)
        self.delta = np.where(self.target > 0, np.log(np.maximum(self.target, 1e-12)), -np.inf)
        for _ in range(iterations):
            v = self.delta[None, :] + fixed - reachable
            pred = np.zeros(self.size)
            for members in self.members:
                ev = np.exp(np.minimum(v[:, members], 50.0))
                pred[members] = (ev / (1.0 + ev.sum(axis=1, keepdims=True))).mean(axis=0)
            ok = (self.target > 0) & (pred > 1e-12)
            step = np.where(ok, log_target - np.log(np.maximum(pred, 1e-300)), 0.0)
            self.delta = np.where(self.target > 0, np.clip(self.delta + step, -30.0, 30.0),
                                  -np.inf)
            if np.abs(step).max(initial=0.0) < 1e-6:
                break

    # --- daily ----------------------------------------------------------------------------------
    def reviewers(self, streams: Streams, day: int) -> np.ndarray:
        """Users who reconsider their services today: those whose review is due (a daily
        chance service_review_rate, drawn as waiting times), and those whose service was cut
        off. Each gets its next review day."""
        if not self.size:
            return np.zeros(0, dtype=np.int64)
        who = np.flatnonzero((self.next_review == day) | self.forced)
        self.forced[:] = False
        self.next_review[who] = day + streams.geometric_at(
            "services:next_review", day, who, self.p["service_review_rate"])
        return who

    def worth_reviewing(self, who: np.ndarray, aware: np.ndarray) -> np.ndarray:
        """Those of `who` whose review could change something: a user who does not know how to
        get a VPN (every blocked service out of reach, so reach costs nothing to compute)
        and whose contacts and services are as at its last review would choose exactly what it
        has (its tastes persist): skipping it changes no outcome, only saves the work."""
        return who[aware[who] | self.changed[who]]

    def review(self, streams: Streams, day: int, who: np.ndarray, affinity: np.ndarray,
               reach: np.ndarray, can_install: np.ndarray) -> None:
        """Users `who` choose again in every category (reach and can_install are theirs)."""
        if not self.size or not who.size:
            return
        self.changed[who] = False
        m = self.contact_shares(who)
        gumbel = self._gumbel(streams, who)
        self._choose(who, m, affinity[who], reach, gumbel,
                     holding=self.choice[who], can_install=can_install)

    def contact_shares(self, who: np.ndarray) -> np.ndarray:
        """m[i, s]: share of each user's contacts on service s (kept up to date as users
        switch, so a review reads it instead of recounting)."""
        return self.contacts[who] * self.inv_degree[who, None]

    def _neighbours(self, who: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return neighbours(self.adjacency, who)

    def _count_contacts(self, who: np.ndarray) -> np.ndarray:
        """Contacts on each service of the users `who`, counted from scratch: one gather of
        every contact's choices in all categories and a single bincount."""
        row, contacts = self._neighbours(who)
        width = self.size + 1                       # column 0 counts "no service"
        flat = self.choice[contacts].astype(np.int64) + (row * width + 1)[:, None]
        counts = np.bincount(flat.ravel(), minlength=who.size * width)
        return counts.reshape(who.size, width)[:, 1:]

    def _gumbel(self, streams: Streams, who: np.ndarray) -> np.ndarray:
        """Each user's own taste for each option: a Gumbel shock drawn once for the run (the
        same at every review: tastes persist, choices change when conditions do). Each service
        and each category's "none" has its own stream, so adding a service leaves the others'
        draws as they were."""
        names = [f"services:taste:{sid}" for sid in self.ids] + \
            [f"services:taste:none:{cat}" for cat in self.categories]
        return -np.log(-np.log(streams.uniform_columns(names, -1, who)))

    def _reach_penalty(self, reach: np.ndarray) -> np.ndarray:
        """reach_i for blocked services (0 elsewhere), broadcast to (users, services)."""
        r = np.where(self.blocked[None, :], reach[:, None], 0.0)
        return np.where(self.withdrawn[None, :], np.inf, r)

    def _choose(self, who, m, affinity, reach, gumbel, holding, can_install=None,
                track: bool = True) -> None:
        """Every user in `who` picks, in every category at once, the option of highest
        utility; a padded (users, categories, 1 + services) table holds "none" in slot 0."""
        p = self.p
        base = self.delta[None, :] + p["network_weight"] * m \
            + affinity[:, None] * self.foreign[None, :] + gumbel[:, :self.size]
        u = base - self._reach_penalty(reach)
        if holding is not None and self.banned.any():
            held = holding[:, self.category_of] == np.arange(self.size)[None, :]
            u = np.where(self.banned[None, :] & ~held & ~can_install[:, None], -np.inf, u)
        R, K = who.size, len(self.categories)
        table = np.full((self._width, R, K), -np.inf)         # slot-major: fast slices
        table[0] = gumbel[:, self.size:]
        table[self._slot, :, self.category_of] = u.T
        best = np.zeros((R, K), dtype=np.int64)                # slot 0 is none
        best_u = table[0].copy()
        best_open = table[0].copy()
        open_slot = np.ones((self._width, K), dtype=bool)
        open_slot[self._slot[self.blocked], self.category_of[self.blocked]] = False
        for w in range(1, self._width):       # a handful of slots: pairwise, not reduce
            row = table[w]
            better = row > best_u
            best[better] = w
            np.maximum(best_u, row, out=best_u)
            np.maximum(best_open, np.where(open_slot[w][None, :], row, -np.inf),
                       out=best_open)
        pick = self._service_at[np.arange(K)[None, :], best]    # NONE for slot 0
        no_reach = np.full((self._width, R, K), -np.inf)
        no_reach[self._slot, :, self.category_of] = base.T
        value = np.take_along_axis(no_reach, best[None, :, :], axis=0)[0] - best_open
        chosen_blocked = (pick >= 0) & self.blocked[np.maximum(pick, 0)]
        self._assign(who, pick, np.where(chosen_blocked, np.maximum(value, 0.0), 0.0), track)

    def _assign(self, who: np.ndarray, pick: np.ndarray, attach: np.ndarray,
                track: bool) -> None:
        old = self.choice[who]
        self.counts += np.bincount(pick[pick >= 0], minlength=self.size) \
            - np.bincount(old[old >= 0], minlength=self.size)
        self.choice[who] = pick
        self.attach[who] = attach
        if not track:
            return
        moved_user, moved_k = np.nonzero(old != pick)      # the switchers' contacts see it
        if moved_user.size:
            row, contacts = self._neighbours(who[moved_user])
            self.changed[contacts] = True
            was, now = old[moved_user, moved_k][row], pick[moved_user, moved_k][row]
            np.subtract.at(self.contacts, (contacts[was >= 0], was[was >= 0]), 1)
            np.add.at(self.contacts, (contacts[now >= 0], now[now >= 0]), 1)

    def attachment(self, who: np.ndarray | None = None) -> np.ndarray:
        return self.attach.sum(axis=1) if who is None else self.attach[who].sum(axis=1)

    # --- events ---------------------------------------------------------------------------------
    def index(self, service_id: str) -> int:
        return self.ids.index(service_id)

    def users_of(self, s: int) -> np.ndarray:
        return self.choice[:, self.category_of[s]] == s

    def cut_off(self, s: int, shock: bool) -> np.ndarray:
        """The service can no longer be reached directly; its users reconsider today (a
        sudden block) or at their next review (a block already in force at the start).
        Returns its users."""
        users = self.users_of(s)
        self.changed[:] = True               # every user's options changed
        if shock:
            self.former.setdefault(s, users.copy())
            self.forced |= users
        return users

    def block(self, s: int, shock: bool = True) -> np.ndarray:
        self.blocked[s] = True
        return self.cut_off(s, shock)

    def ban(self, s: int, shock: bool = True) -> np.ndarray:
        """A ban blocks the service and removes its app from the stores: new users cannot
        install it without the skill to sideload or switch region."""
        self.banned[s] = True
        return self.block(s, shock)

    def withdraw(self, s: int) -> np.ndarray:
        """The service itself stops serving the country's users: not even a VPN reaches it."""
        self.withdrawn[s] = True
        users = self.users_of(s)
        self.changed[:] = True
        self.forced |= users
        return users

    # --- read-outs ------------------------------------------------------------------------------
    def shares(self) -> np.ndarray:
        """Share of all users on each service."""
        return self.counts / max(self.n, 1)

    def domestic_share(self, k: int | None = None) -> float:
        """Domestic services' share of the users of category k (all categories pooled when
        None); NaN when nobody uses any."""
        cols = slice(None) if k is None else self.members[k]
        total = self.counts[cols].sum()
        if not total:
            return float("nan")
        return float(self.counts[cols][~self.foreign[cols]].sum() / total)

    def reach_share(self, s: int | None, using: np.ndarray) -> float:
        """Share of a cut-off service's former users who still reach it today (all cut-off
        services pooled when `s` is None); NaN when it had none."""
        cut = list(self.former) if s is None else [s]
        n = sum(int(self.former[k].sum()) for k in cut)
        if not n:
            return float("nan")
        still = sum(int((self.former[k] & self.users_of(k) & using).sum())
                    for k in cut if not self.withdrawn[k])
        return still / n
