"""The whole multilayer network as a networkx graph, built on request (never in the daily loop).

Layers (edge attribute `layer`): `social` (user-user), `uses` (user-app store by device),
`hosts` (VPN provider-the platform that lists or hosts it), `operates` (partner-foreign cloud),
`oversees` (regulator-entity it can order), `customer_of` (business customer-cloud).
Node keys are tuples: ("user", i), ("customer", i), ("vpn", k), ("agent", unique_id); every node
has a `kind` attribute.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from ..config.parameters import CHANNELS


def multilayer_graph(model) -> nx.MultiGraph:
    g = nx.MultiGraph()
    users = model.users
    g.add_nodes_from((("user", i), {"kind": "user", "ios": bool(users.ios[i]),
                                    "party": bool(users.party[i])}) for i in range(users.n))
    g.add_edges_from((("user", int(a)), ("user", int(b)), {"layer": "social"})
                     for a, b in model.social.edges)

    for agent in model.agents:
        g.add_node(("agent", agent.unique_id), kind=type(agent).__name__,
                   name=getattr(agent, "name", ""))
    store, domestic_store = ("agent", model.app_store.unique_id), \
        ("agent", model.domestic_store.unique_id)
    g.add_edges_from((("user", int(i)), store if users.ios[i] else domestic_store,
                      {"layer": "uses"}) for i in range(users.n))

    vpn = model.vpn
    cloud_node = {c.index: ("agent", c.unique_id) for c in model.clouds}
    for k in np.flatnonzero(vpn.serving):
        channel = CHANNELS[vpn.channel[k]]
        g.add_node(("vpn", int(k)), kind="vpn_provider", channel=channel)
        host = {"foreign_store": store, "domestic_store": domestic_store}.get(
            channel, cloud_node.get(int(vpn.host[k])))
        if host is not None:
            g.add_edge(("vpn", int(k)), host, layer="hosts")

    for partner in model.partners:
        g.add_edge(("agent", partner.unique_id), ("agent", partner.cloud.unique_id),
                   layer="operates")
    for regulator in model.regulators:
        for entity in model.regulated:
            if regulator.jurisdiction & (entity.addressed_by | set(entity.obligations)):
                g.add_edge(("agent", regulator.unique_id), ("agent", entity.unique_id),
                           layer="oversees")

    customers = model.customers
    for i in range(customers.n):
        g.add_node(("customer", i), kind="business_customer",
                   multinational=bool(customers.multinational[i]))
        if customers.cloud[i] >= 0:
            g.add_edge(("customer", i), cloud_node[int(customers.cloud[i])], layer="customer_of")
    return g
