"""The whole multilayer network is available as a networkx graph."""

from collections import Counter

from model.simulation import PressureModel


def test_multilayer_graph_has_every_layer_and_matches_the_arrays():
    m = PressureModel("china_2017", rng=2, users=300, days=10, business_customers=50)
    g = m.network_graph()
    layers = Counter(d["layer"] for _, _, d in g.edges(data=True))
    assert set(layers) == {"social", "uses", "hosts", "operates", "oversees", "customer_of"}
    assert layers["social"] == m.social.adjacency.nnz // 2
    assert layers["uses"] == 300
    assert layers["customer_of"] == 50
    assert layers["operates"] == len(m.partners) == m.p["foreign_clouds"]
    kinds = Counter(d["kind"] for _, d in g.nodes(data=True))
    assert kinds["user"] == 300 and kinds["business_customer"] == 50
    assert kinds["Regulator"] == m.p["regulators"]


def test_no_partner_layer_without_the_partner_requirement():
    m = PressureModel("no_partner_requirement", rng=2, users=100, days=5)
    g = m.network_graph()
    assert not any(d["layer"] == "operates" for _, _, d in g.edges(data=True))
