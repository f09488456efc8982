"""Which users the network view draws, and where: chosen and laid out once per model.

A population of thousands cannot be drawn legibly (nor quickly, every day), so the view shows a
neighbourhood sample: a few seed users and their social neighbourhoods, grown breadth-first up to
`SAMPLE_SIZE` users, so the local structure through which awareness and fear spread stays
visible. The sample and its layout are computed the first time a model is drawn and cached for
that model, so the same users sit in the same places every day and only their colours change.

Every draw comes from a generator derived from the model's seed sequence (a child key of its
own), never from `model.rng` itself: drawing must not change the run, so a run watched in the
browser is the run `pressure run` gives with the same seed. Mesa's default spring layout of the
whole graph is never computed; the spring layout here runs on the few hundred sampled users.
"""

from __future__ import annotations

import copy
from collections import deque
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from .cache import per_model

SAMPLE_SIZE = 300
USER_DISC = 0.85          # radius the users fill, inside the institutions around them
SEED_USERS = 4
_VIZ_KEY = 0x76697A     # "viz": the spawn-key branch the drawing draws from

# Where each group of institutional agents sits around the users (inside the unit disc): a row
# above (regulators), a column left (foreign platforms, their partners just inside), a column
# right (domestic platforms), a row below (VPN channels without a platform).
RING = 1.3
_PLACES = {"regulator": ((-1.1, RING), (1.1, RING)), "foreign": ((-RING, 0.9), (-RING, -0.9)),
           "domestic": ((RING, 0.9), (RING, -0.9)), "hub": ((-0.6, -RING), (0.6, -RING))}
PARTNER_INSET = 0.3


@dataclass
class Node:
    """An institutional agent (or a VPN channel without a platform) placed around the users."""

    key: str                 # "agent:<unique_id>" or "hub:<channel>"
    group: str               # regulator, foreign, domestic, hub
    xy: tuple[float, float]
    agent: object = None     # the Mesa agent, if any


@dataclass
class NetworkSample:
    """The users drawn, their positions and ties, and the institutional nodes and links."""

    users: np.ndarray                    # population indices of the sampled users (sorted)
    user_xy: np.ndarray                  # (k, 2) positions, inside the unit disc
    edges: np.ndarray                    # (m, 2) social ties, as positions into `users`
    nodes: dict[str, Node] = field(default_factory=dict)
    links: list[tuple[str, str, str]] = field(default_factory=list)   # (node, node, layer)


def sample_of(model) -> NetworkSample:
    """The model's sample, computed on first use and then always the same object."""
    return per_model(model, "network_sample", build_sample)


def drawing_rng(model) -> np.random.Generator:
    """A generator seeded from the model's seed sequence that leaves `model.rng` untouched."""
    seq = getattr(model.rng.bit_generator, "seed_seq", None)
    if isinstance(seq, np.random.SeedSequence):
        return np.random.default_rng(np.random.SeedSequence(
            seq.entropy, spawn_key=(*seq.spawn_key, _VIZ_KEY), pool_size=seq.pool_size))
    return copy.deepcopy(model.rng)


def build_sample(model, size: int = SAMPLE_SIZE) -> NetworkSample:
    rng = drawing_rng(model)
    adjacency = model.social.adjacency
    users = neighbourhood_sample(adjacency, size, SEED_USERS, rng)
    sub = adjacency[users][:, users].tocoo()
    keep = sub.row < sub.col
    edges = np.column_stack([sub.row[keep], sub.col[keep]]).astype(np.int64)
    user_xy = _user_layout(len(users), edges, rng)
    nodes, links = institutions(model)
    return NetworkSample(users=users, user_xy=user_xy, edges=edges, nodes=nodes, links=links)


def neighbourhood_sample(adjacency, size: int, seeds: int,
                         rng: np.random.Generator) -> np.ndarray:
    """Up to `size` users: `seeds` random users and their neighbourhoods, grown breadth-first
    in turns (one user's new contacts from each seed's frontier per turn). A neighbourhood that
    runs out (a small component) is replaced by a new random seed."""
    n = adjacency.shape[0]
    if n <= size:
        return np.arange(n)
    indptr, indices = adjacency.indptr, adjacency.indices
    chosen = np.zeros(n, dtype=bool)
    count = 0
    queues: list[deque] = []

    def new_seed() -> None:
        nonlocal count
        free = np.flatnonzero(~chosen)
        start = int(free[rng.integers(free.size)])
        chosen[start] = True
        count += 1
        queues.append(deque([start]))

    for _ in range(min(seeds, size)):
        new_seed()
    while count < size:
        if not any(queues):
            new_seed()
            continue
        for queue in queues:
            if not queue or count >= size:
                continue
            v = queue.popleft()
            contacts = indices[indptr[v]:indptr[v + 1]]
            fresh = rng.permutation(contacts[~chosen[contacts]])[:size - count]
            chosen[fresh] = True
            count += fresh.size
            queue.extend(int(u) for u in fresh)
    return np.flatnonzero(chosen)


def _user_layout(k: int, edges: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A seeded spring layout of the sampled users only, scaled into a disc of radius USER_DISC."""
    if k == 0:
        return np.zeros((0, 2))
    g = nx.Graph()
    g.add_nodes_from(range(k))
    g.add_edges_from(map(tuple, edges))
    start = {i: tuple(p) for i, p in enumerate(rng.uniform(-1, 1, (k, 2)))}
    pos = nx.spring_layout(g, pos=start, k=2.5 / np.sqrt(k), seed=int(rng.integers(2**31)),
                           iterations=60)
    xy = np.array([pos[i] for i in range(k)], dtype=float)
    xy -= np.median(xy, axis=0)
    r = np.hypot(xy[:, 0], xy[:, 1])
    scale = np.quantile(r, 0.97)
    if scale <= 0:
        return xy
    xy *= USER_DISC / scale
    r = np.maximum(r * USER_DISC / scale, 1e-12)
    return xy * np.minimum(1.0, (USER_DISC + 0.03) / r)[:, None]   # far-flung users: the rim


def roster(model) -> tuple[int, ...]:
    """The institutional agents now in the model (partners can appear mid-run)."""
    return tuple(a.unique_id for a in (*model.regulators, model.app_store, model.domestic_store,
                                       *model.clouds, *model.partners))


def institutions(model) -> tuple[dict[str, Node], list[tuple[str, str, str]]]:
    """Ring positions for the institutional agents, and who is linked to whom: regulators to
    what they may order (`oversees`), partners to the cloud they operate (`operates`)."""
    groups: dict[str, list[tuple[str, object]]] = {g: [] for g in _PLACES}
    for r in model.regulators:
        groups["regulator"].append((f"agent:{r.unique_id}", r))
    foreign = [model.app_store, *[c for c in model.clouds if c.foreign]]
    domestic = [model.domestic_store, *[c for c in model.clouds if not c.foreign]]
    groups["foreign"] = [(f"agent:{a.unique_id}", a) for a in foreign]
    groups["domestic"] = [(f"agent:{a.unique_id}", a) for a in domestic]
    groups["hub"] = [("hub:domestic_commercial", None), ("hub:offshore", None)]

    nodes: dict[str, Node] = {}
    for group, members in groups.items():
        (x0, y0), (x1, y1) = _PLACES[group]
        for (key, agent), t in zip(members, _spread(len(members)), strict=True):
            nodes[key] = Node(key, group, (x0 + t * (x1 - x0), y0 + t * (y1 - y0)), agent)

    links: list[tuple[str, str, str]] = []
    for partner in model.partners:
        cloud = nodes[f"agent:{partner.cloud.unique_id}"]
        key = f"agent:{partner.unique_id}"
        nodes[key] = Node(key, "foreign", (cloud.xy[0] + PARTNER_INSET, cloud.xy[1]), partner)
        links.append((key, cloud.key, "operates"))
    for r in model.regulators:
        for entity in model.regulated:
            if r.jurisdiction & entity.addressed_by:
                links.append((f"agent:{r.unique_id}", f"agent:{entity.unique_id}", "oversees"))
    return nodes, links


def _spread(k: int) -> np.ndarray:
    """Fractions along a row or column at which to put `k` nodes, evenly, centred."""
    return np.array([0.5]) if k == 1 else np.linspace(0.0, 1.0, k)
