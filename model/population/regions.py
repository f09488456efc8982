"""Where users and business customers live (docs/ODD.md 7.24): each belongs to one region of
the scenario, which multiplies the intensity they meet, the chance a VPN user is detected and
the penalty a punished user expects; a region under an `internet_shutdown` is offline.

Users fill the regions in index order (users `bounds[r]:bounds[r+1]` are in region r), so the
network generators can keep ties within regions; an edge list names each user's region in a
`region_file`. Customers draw their region from the shares (a stream of their own). With one
region every multiplier is 1 and nothing else changes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..config.errors import ScenarioError
from ..config.regions import Region
from ..streams import Streams


class RegionMap:
    def __init__(self, regions: tuple[Region, ...], params: dict, streams: Streams,
                 customers: int) -> None:
        self.regions = regions
        self.ids = [r.id for r in regions]
        n = params["users"]
        shares = np.array([r.share for r in regions])
        self.bounds = np.concatenate([[0], np.round(np.cumsum(shares) * n)]).astype(np.int64)
        self.bounds[-1] = n
        if params.get("region_file"):
            self.of_user = _read_regions(params["region_file"], n, self.ids)
        else:
            self.of_user = np.repeat(np.arange(len(regions)), np.diff(self.bounds))
        self.users_per_region = np.bincount(self.of_user, minlength=len(regions))
        u = streams.uniform_at("customers:region", -1, np.arange(customers))
        self.of_customer = np.minimum(np.searchsorted(np.cumsum(shares), u, side="right"),
                                      len(regions) - 1)
        self.single = len(regions) == 1

        def per_user(name: str) -> np.ndarray | float:
            values = np.array([getattr(r, name) for r in regions], dtype=np.float32)
            return 1.0 if self.single else values[self.of_user]

        self.intensity = per_user("intensity")
        self.detection = per_user("detection")
        self.penalty = per_user("penalty")
        self.customer_intensity = 1.0 if self.single else np.array(
            [r.intensity for r in regions])[self.of_customer]

    def index(self, region_id: str) -> int:
        return self.ids.index(region_id)


def _read_regions(path: str, n: int, ids: list[str]) -> np.ndarray:
    """`user,region` lines (one per user) into each user's region index."""
    out = np.full(n, -1, dtype=np.int64)
    where = {rid: k for k, rid in enumerate(ids)}
    for k, line in enumerate(Path(path).read_text().splitlines()):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 2 or not parts[0].isdigit() or not 0 <= int(parts[0]) < n \
                or parts[1] not in where:
            raise ScenarioError(path, "network.region_file",
                                f"lines of user index in [0, {n - 1}] and a region id "
                                f"({', '.join(ids)}); line {k + 1} is not")
        out[int(parts[0])] = where[parts[1]]
    if (out < 0).any():
        raise ScenarioError(path, "network.region_file",
                            f"a region for every user (user {int(np.argmax(out < 0))} has none)")
    return out
