"""The user-to-user layer, generated straight into sparse arrays (no networkx in the hot path)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..config.errors import ScenarioError


@dataclass
class SocialLayer:
    """Symmetric 0/1 adjacency (CSR) and each user's degree."""

    adjacency: sp.csr_matrix
    degree: np.ndarray

    @property
    def edges(self) -> np.ndarray:
        """Each undirected edge once, as an (E, 2) array with i < j."""
        upper = sp.triu(self.adjacency, k=1).tocoo()
        return np.column_stack([upper.row, upper.col])


def neighbours(adjacency: sp.csr_matrix, who: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(position in `who`, contact) for every contact of the users `who`, read straight from
    the CSR arrays (no sparse matrix is built, as `adjacency[who]` would)."""
    indptr, indices = adjacency.indptr, adjacency.indices
    starts = indptr[who]
    lengths = indptr[np.asarray(who) + 1] - starts
    row = np.repeat(np.arange(lengths.size), lengths)
    first = np.cumsum(lengths) - lengths
    return row, indices[np.repeat(starts - first, lengths) + np.arange(int(lengths.sum()))]


def build_social_layer(params: dict, rng: np.random.Generator,
                       region_bounds: np.ndarray | None = None) -> SocialLayer:
    """`region_bounds`: users `bounds[r]:bounds[r+1]` live in region r (more than one region:
    the generators keep a share `region_tie_share` of the ties they draw at random inside the
    region; the ring of the small world is within regions but where two regions meet)."""
    n = params["users"]
    regional = region_bounds is not None and len(region_bounds) > 2
    local = params["region_tie_share"] if regional else 0.0
    match params["network_kind"]:
        case "small_world":
            i, j, rewired = _small_world(n, params["mean_degree"],
                                         params["rewire_probability"], rng)
            if regional:                            # only rewired ends were random draws
                _localise(i, j, rewired, region_bounds, local, np.ones(n), rng)
        case "scale_free":
            i, j, weights = _chung_lu(n, params["mean_degree"], params["degree_exponent"], rng)
            if regional:
                _localise(i, j, np.ones(i.size, dtype=bool), region_bounds, local, weights, rng)
        case "edge_list":
            i, j = _read_edges(params["edge_list_file"], n)
        case other:
            raise ValueError(f"unknown network kind {other!r}")
    return _symmetric(n, i, j)


def _small_world(n: int, mean_degree: float, p: float, rng: np.random.Generator):
    """Watts-Strogatz: a ring where each user links to k/2 neighbours on each side; each edge's
    far end is rewired to a uniformly random user with probability p. When k/2 is not whole, a
    random share (its fraction) of users adds one more tie, at distance floor(k/2) + 1, so
    that the mean degree is k."""
    half_exact = max(1.0, mean_degree / 2)
    half = int(half_exact)
    src = np.repeat(np.arange(n, dtype=np.int64), half)
    dst = (src + np.tile(np.arange(1, half + 1, dtype=np.int64), n)) % n
    if half_exact > half:
        more = np.flatnonzero(rng.random(n) < half_exact - half)
        src = np.concatenate([src, more])
        dst = np.concatenate([dst, (more + half + 1) % n])
    rewire = rng.random(src.size) < p
    dst[rewire] = rng.integers(0, n, int(rewire.sum()))
    return src, dst, rewire


def _chung_lu(n: int, mean_degree: float, exponent: float, rng: np.random.Generator):
    """Chung-Lu: expected degrees follow a power law; edges drawn with chance proportional to
    the product of their ends' weights (a fast stand-in for preferential attachment)."""
    ranks = np.arange(1, n + 1, dtype=np.float64)
    weights = ranks ** (-1.0 / (exponent - 1.0))
    weights *= mean_degree * n / weights.sum()
    m = int(round(mean_degree * n / 2))
    prob = weights / weights.sum()
    src = rng.choice(n, size=m, p=prob)
    dst = rng.choice(n, size=m, p=prob)
    perm = rng.permutation(n)              # hubs at random indices, not at 0, 1, 2, ...
    by_user = np.empty(n)
    by_user[perm] = weights
    return perm[src], perm[dst], by_user


def _localise(src: np.ndarray, dst: np.ndarray, drawn: np.ndarray, bounds: np.ndarray,
              local: float, weights: np.ndarray, rng: np.random.Generator) -> None:
    """Of the edges whose far end was a random draw (`drawn`), a share `local` get a far end
    drawn again inside the region of their near end, in proportion to `weights` (in place)."""
    region = np.searchsorted(bounds, src, side="right") - 1
    redo = drawn & (rng.random(src.size) < local)
    for r in range(len(bounds) - 1):
        sel = np.flatnonzero(redo & (region == r))
        lo, hi = int(bounds[r]), int(bounds[r + 1])
        if sel.size and hi > lo:
            w = weights[lo:hi]
            dst[sel] = lo + rng.choice(hi - lo, size=sel.size, p=w / w.sum())


def _read_edges(path: str, n: int):
    try:
        data = np.loadtxt(path, delimiter=",", dtype=np.int64, ndmin=2, comments="#")
    except ValueError:               # the reader's message quotes the file: never show it
        raise ScenarioError(path, "network.edge_list_file",
                            "two integer columns of user indices") from None
    if data.size == 0 or data.shape[1] != 2:
        raise ScenarioError(path, "network.edge_list_file", "two integer columns of user indices")
    if data.min() < 0 or data.max() >= n:
        raise ScenarioError(path, "network.edge_list_file",
                            f"user indices in [0, {n - 1}] (users = {n})",
                            int(data.max() if data.max() >= n else data.min()))
    return data[:, 0], data[:, 1]


def _symmetric(n: int, i: np.ndarray, j: np.ndarray) -> SocialLayer:
    keep = i != j
    i, j = i[keep], j[keep]
    rows = np.concatenate([i, j])
    cols = np.concatenate([j, i])
    adj = sp.csr_matrix((np.ones(rows.size, dtype=np.float32), (rows, cols)), shape=(n, n))
    adj.sum_duplicates()
    adj.data[:] = 1.0                         # a repeated edge is still one tie
    return SocialLayer(adjacency=adj, degree=np.asarray(adj.getnnz(axis=1), dtype=np.float64))
