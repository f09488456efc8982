"""The social layer: small world, scale-free and edge-list networks as sparse arrays."""

import numpy as np
import pytest

from model import PressureModel, ScenarioError
from model.config.parameters import DEFAULTS
from model.network import build_social_layer


def layer(seed=0, **kw):
    p = dict(DEFAULTS)
    p.update(users=3000)
    p.update(kw)
    return build_social_layer(p, np.random.default_rng(seed))


def assert_simple_undirected(s, n):
    a = s.adjacency
    assert a.shape == (n, n)
    assert (a != a.T).nnz == 0                            # symmetric
    assert a.diagonal().sum() == 0                        # no self loops
    assert np.all(a.data == 1.0)                          # a repeated tie is still one tie
    assert np.array_equal(s.degree, np.asarray(a.getnnz(axis=1)))


@pytest.mark.parametrize("kind", ["small_world", "scale_free"])
def test_simple_undirected_graph(kind):
    s = layer(network_kind=kind)
    assert_simple_undirected(s, 3000)
    e = s.edges
    assert e.shape == (s.adjacency.nnz // 2, 2) and np.all(e[:, 0] < e[:, 1])


@pytest.mark.parametrize("k", [4, 5, 7, 10, 13.4, 20])
def test_small_world_mean_degree(k):
    s = layer(network_kind="small_world", mean_degree=k)
    assert s.degree.mean() == pytest.approx(k, rel=0.03)


@pytest.mark.parametrize("p", [0.0, 0.1, 0.5])
def test_small_world_degrees_are_narrow(p):
    s = layer(network_kind="small_world", mean_degree=10, rewire_probability=p)
    assert s.degree.max() <= 30
    if p == 0.0:                                          # an untouched ring lattice
        assert np.all(s.degree == 10)


def test_rewiring_shortens_paths():
    """Rewired shortcuts make some contacts far along the ring (the small-world effect)."""
    ring = layer(network_kind="small_world", rewire_probability=0.0).edges
    rewired = layer(network_kind="small_world", rewire_probability=0.2).edges

    def far(edges):
        gap = np.abs(edges[:, 0] - edges[:, 1])
        return np.minimum(gap, 3000 - gap) > 5
    assert not far(ring).any()
    assert 0.1 < far(rewired).mean() < 0.3


def test_scale_free_mean_degree_close_to_target():
    s = layer(network_kind="scale_free", mean_degree=10)
    assert s.degree.mean() == pytest.approx(10, rel=0.1)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_scale_free_has_a_heavier_tail(seed):
    sw = layer(seed, network_kind="small_world")
    sf = layer(seed, network_kind="scale_free")
    assert sf.degree.max() > 10 * sw.degree.max()
    assert np.percentile(sf.degree, 99) > 2 * np.percentile(sw.degree, 99)
    assert sf.degree.std() > 5 * sw.degree.std()


def test_scale_free_hubs_are_not_at_the_first_indices():
    s = layer(network_kind="scale_free")
    hubs = np.argsort(s.degree)[-10:]
    assert not set(hubs) <= set(range(20))


@pytest.mark.parametrize("kind", ["small_world", "scale_free"])
def test_same_seed_same_graph(kind):
    a, b, c = layer(5, network_kind=kind), layer(5, network_kind=kind), layer(6, network_kind=kind)
    assert (a.adjacency != b.adjacency).nnz == 0
    assert (a.adjacency != c.adjacency).nnz > 0


def test_edge_list_loads(tmp_path):
    f = tmp_path / "edges.csv"
    f.write_text("# a comment\n0,1\n1,2\n2,0\n3,4\n1,0\n5,5\n")
    s = layer(network_kind="edge_list", edge_list_file=str(f), users=8)
    assert_simple_undirected(s, 8)
    assert sorted(map(tuple, s.edges.tolist())) == [(0, 1), (0, 2), (1, 2), (3, 4)]
    assert s.degree.tolist() == [2, 2, 2, 1, 1, 0, 0, 0]


def test_edge_list_drives_the_model(tmp_path):
    f = tmp_path / "ring.csv"
    n = 50
    f.write_text("\n".join(f"{i},{(i + 1) % n}" for i in range(n)))
    m = PressureModel("china_2017", rng=1, users=n, days=5, network_kind="edge_list",
                      edge_list_file=str(f), mean_degree=2)
    assert np.all(m.social.degree == 2)
    for _ in range(5):
        m.step()


@pytest.mark.parametrize("text", ["0,1\n1,99\n", "0,1,2\n", "a,b\n", "0,-1\n"])
def test_bad_edge_list_is_a_scenario_error(tmp_path, text):
    f = tmp_path / "bad.csv"
    f.write_text(text)
    with pytest.raises(ScenarioError):
        layer(network_kind="edge_list", edge_list_file=str(f), users=10)


def test_unknown_kind():
    with pytest.raises(ValueError):
        layer(network_kind="lattice")
