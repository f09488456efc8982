"""The network view: sampled users coloured by state, the institutions around them, their links.

Drawn with matplotlib into a PNG (Mesa's matplotlib backend idea; Altair fetches its front end
from a CDN and fails offline). Users sit in the middle where the seeded layout put them; the
regulators (top), foreign platforms and their local partners (left), domestic platforms (right)
and the VPN channels that have no platform (domestic sellers, offshore services; bottom) sit on a
ring around them. Thin green lines join each sampled user who uses a VPN today to where the VPN
comes from, so app-store removals and cloud shutdowns show as links disappearing.
"""

from __future__ import annotations

import numpy as np
import solara
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from ..config.parameters import CHANNELS
from ..population.users import STATES
from . import palette
from .cache import per_model
from .legends import network_key_html
from .live_figure import LiveFigure
from .sample import RING, NetworkSample, institutions, roster, sample_of

STATE_COLOURS: dict[str, str] = dict(palette.STATE)
STATE_LABELS: dict[str, str] = {
    "unaware": "unaware of VPNs",
    "aware": "aware, not using",
    "using": "using a VPN",
    "lost_access": "lost access",
    "punished": "punished (recently)",
}
_GROUP_STYLE = palette.KIND    # marker, colour
_HUB_NAMES = {"domestic_commercial": "Domestic sellers", "offshore": "Offshore VPNs"}
FIGSIZE = (4.0, 2.4)       # drawn about as wide as shown at 1280x800 (see charts.py)
X_HALF = RING + 2.3        # room for the side labels at a legible size
Y_LOW, Y_HIGH = -RING - 0.6, RING + 1.05
DPI = 100
FONT = 9.0                   # status lines 8.5 pt: 11.1 px as shown at 1280x800


def current_states(model) -> np.ndarray:
    """Every user's state code on the last simulated day (the initial state before a step)."""
    return model.users.states(max(model.day - 1, 0))


def user_colours(states: np.ndarray) -> np.ndarray:
    """RGBA colour of each state code."""
    palette = np.array([to_rgba(STATE_COLOURS[s]) for s in STATES])
    return palette[states]


class NetworkFigure(LiveFigure):
    """The network view of one model. The social ties, the institutional links, the names and
    the legend are the static background; users' colours, the VPN links and the institutions'
    markers and status lines move. (Text is what costs: a moving legend and two-line labels
    took 80 ms a frame; the state counts are shown beside the image instead.)"""

    def __init__(self, model) -> None:
        self.model = model
        self.sample = sample = sample_of(model)
        fig = Figure(figsize=FIGSIZE, dpi=DPI)
        ax = self.ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        ax.set_axis_off()
        ax.set_xlim(-X_HALF, X_HALF)
        ax.set_ylim(Y_LOW, Y_HIGH)
        ax.set_aspect("equal", adjustable="box")
        xy = sample.user_xy
        ax.add_collection(LineCollection(xy[sample.edges], colors="#9a9a9a", linewidths=0.35,
                                         alpha=0.45, zorder=1), autolim=False)
        self.links = LineCollection([], zorder=2)
        ax.add_collection(self.links, autolim=False)
        self.vpn_links = LineCollection([], colors=STATE_COLOURS["using"], linewidths=0.45,
                                        alpha=0.35, zorder=1)
        ax.add_collection(self.vpn_links, autolim=False)
        self.users = ax.scatter(xy[:, 0], xy[:, 1], s=34, edgecolors="white", linewidths=0.3,
                                zorder=3)
        self.institutions: dict[str, tuple] = {}
        self._roster: tuple = ()
        self._operating: tuple | None = None
        super().__init__(fig, [self.vpn_links, self.users], self._update)
        self._place_institutions()

    def _place_institutions(self) -> None:
        """(Re)draw the institutional nodes: at the start, and when one appears mid-run (a
        directive that requires local partners creates them)."""
        model, ax = self.model, self.ax
        for marker, name, status in self.institutions.values():
            for artist in (marker, name, status):
                artist.remove()
        self.sample.nodes, self.sample.links = institutions(model)
        self.institutions = {key: _institution_artists(ax, node, describe(node, model)[0])
                             for key, node in self.sample.nodes.items()}
        self.links.set_segments([(self.sample.nodes[a].xy, self.sample.nodes[b].xy)
                                 for a, b, _ in self.sample.links])
        self._roster = roster(model)
        self._operating = None
        self.moving = [self.vpn_links, self.users]
        for marker, _, status in self.institutions.values():
            marker.set_animated(True)
            status.set_animated(True)
            self.moving += [marker, status]

    def _update(self) -> bool:
        model, sample = self.model, self.sample
        changed = roster(model) != self._roster
        if changed:
            self._place_institutions()
        states = current_states(model)
        self.users.set_facecolors(user_colours(states[sample.users]))
        self.vpn_links.set_segments(_vpn_segments(sample, model, states))
        for key, (marker, _, label) in self.institutions.items():
            node = sample.nodes[key]
            _, status, alert = describe(node, model)
            colour = marker.get_color()
            marker.set_markerfacecolor(colour if _operating(node.agent) else "white")
            marker.set_markeredgecolor(palette.STATE["punished"] if alert else colour)
            marker.set_markeredgewidth(2.2 if alert else 1.0)
            label.set_text(status)
            label.set_color("#444444" if _operating(node.agent) else "#8a8a8a")
        return self._restyle_links() or changed

    def _restyle_links(self) -> bool:
        """Links of a platform that left fade; True when that changed (a background redraw)."""
        sample = self.sample
        operating = tuple(_operating(n.agent) for n in sample.nodes.values())
        if operating == self._operating:
            return False
        self._operating = operating
        colours, widths = [], []
        for a, b, layer in sample.links:
            live = _operating(sample.nodes[a].agent) and _operating(sample.nodes[b].agent)
            if layer == "operates":
                colours.append(to_rgba(palette.KIND["partner"][1], 0.9 if live else 0.25))
                widths.append(1.8)
            else:
                colours.append(to_rgba("#333333", 0.22 if live else 0.07))
                widths.append(0.6)
        self.links.set_colors(colours)
        self.links.set_linewidths(widths)
        return True


def network_figure(model) -> NetworkFigure:
    """The model's network figure (built on first use, then updated in place)."""
    return per_model(model, "network_figure", NetworkFigure)


def render_png(model) -> bytes:
    """The network view of `model` today, as PNG bytes."""
    return network_figure(model).png()


def _vpn_segments(sample: NetworkSample, model, states: np.ndarray) -> list:
    """From each sampled user using a VPN to the platform or channel it gets it from; users of
    a cloud-hosted VPN are spread over the operating clouds of that kind."""
    ch = {name: k for k, name in enumerate(CHANNELS)}
    using = STATES.index("using")
    target: dict[int, list[tuple[float, float]]] = {
        ch["foreign_store"]: [sample.nodes[f"agent:{model.app_store.unique_id}"].xy],
        ch["domestic_store"]: [sample.nodes[f"agent:{model.domestic_store.unique_id}"].xy],
        ch["domestic_commercial"]: [sample.nodes["hub:domestic_commercial"].xy],
        ch["offshore"]: [sample.nodes["hub:offshore"].xy],
        ch["free_tool"]: [sample.nodes["hub:offshore"].xy],     # tools from abroad
    }
    for channel, foreign in (("foreign_cloud", True), ("domestic_cloud", False)):
        target[ch[channel]] = [sample.nodes[k].xy for k, node in sample.nodes.items()
                               if node.group == ("foreign" if foreign else "domestic")
                               and getattr(node.agent, "index", None) is not None
                               and node.agent.operating]
    channels = model.users.channels(model.vpn)[sample.users]
    segs = []
    for pos, (user, c) in enumerate(zip(sample.users, channels, strict=True)):
        ends = target.get(int(c))
        if states[user] == using and ends:
            segs.append((sample.user_xy[pos], ends[int(user) % len(ends)]))
    return segs


def _operating(agent) -> bool:
    return agent is None or getattr(agent, "operating", True)


def _institution_artists(ax, node, name: str):
    """The marker, the name and the status line of one institutional node. The name stays in
    the background; the marker and the status line are restyled every frame."""
    group = "partner" if hasattr(node.agent, "cloud") else node.group
    style, colour = _GROUP_STYLE[group]
    (marker,) = ax.plot([node.xy[0]], [node.xy[1]], ls="", marker=style, color=colour,
                        markersize=11 if group != "hub" else 9, zorder=4)
    x, y = node.xy
    if group == "partner":      # under its marker, between its cloud and the users
        tx, ty, ha, va = x, y - 0.09, "center", "top"
    elif group == "hub":        # beside its marker, away from the other hub
        tx, ty, ha, va = x + (0.12 if x > 0 else -0.12), y, "left" if x > 0 else "right", "top"
    elif group == "regulator":  # the middle one a line pair higher: names never collide
        tx, ty, ha, va = x, y + 0.12 + (2 * _LINE if abs(x) < 0.3 else 0.0), "center", "bottom"
    else:
        tx, ty, ha, va = x + (0.12 if x > 0 else -0.12), y, "left" if x > 0 else "right", "center"
    line = _LINE
    above = va == "bottom"
    name = name if len(name) <= NAME_CHARS else name[:NAME_CHARS - 1] + "…"
    name = ax.text(tx, ty + (line if above else 0.0), name, fontsize=FONT, ha=ha,
                   va="bottom" if above else ("top" if va == "top" else "bottom"), zorder=5,
                   color="#222222")
    status = ax.text(tx, ty - (line if va == "top" else 0.0), "", fontsize=FONT - 0.5, ha=ha,
                     va="bottom" if above else "top", zorder=5, color="#444444")
    return marker, name, status


NAME_CHARS = 16
"""Longer names are cut (the full name is in the scenario): they would run off the figure."""
_LINE = FONT / 72 * 1.2 * 2 * X_HALF / FIGSIZE[0]
"""One line of text in data units at this figure's scale."""


def describe(node, model) -> tuple[str, str, bool]:
    """A node's label, its status line, and whether it is in trouble (suspended, sanctioned)."""
    vpn, day = model.vpn, max(model.day - 1, 0)
    if node.group == "hub":
        channel = node.key.split(":", 1)[1]
        working = int(vpn.working_counts(day)[CHANNELS.index(channel)])
        return _HUB_NAMES[channel], f"{working} working", False
    agent = node.agent
    if getattr(agent, "taken_over_by", None) is not None:
        return agent.name, f"taken over by {agent.taken_over_by.name}", False
    if hasattr(agent, "jurisdiction"):
        return agent.name.replace("_", " "), f"{agent.audits} audits", False
    if not agent.operating:
        return agent.name, "exited", False
    if agent.suspended(day):
        return agent.name, "suspended", True
    if hasattr(agent, "cloud"):
        detail = f"monitoring {agent.effort:.0%}"
    elif agent is model.app_store:
        detail = f"{int(vpn.listed_counts()[CHANNELS.index('foreign_store')])} VPN apps"
    elif agent is model.domestic_store:
        detail = f"{int(vpn.listed_counts()[CHANNELS.index('domestic_store')])} VPN apps"
    else:
        hosted = int((vpn.serving & (vpn.host == agent.index)).sum())
        share = model.customers.count_on(agent.index) / max(model.customers.n, 1)
        detail = f"{share:.0%} firms · {hosted} VPNs"
    if agent.sanctions:
        detail += f" · {agent.sanctions} sanction{'s' if agent.sanctions > 1 else ''}"
    return agent.name, detail, agent.sanctions > 0


@solara.component
def NetworkView(model_ref, day: int):
    """The network as an image, redrawn when the day (or the model, after a reset) changes
    (`model_ref`: a weak reference, see `app.Live`)."""
    png = solara.use_memo(lambda: render_png(model_ref()) if model_ref() else b"",
                          [model_ref, day])
    model = model_ref()
    if model is None:
        return
    solara.Image(png, width="100%", classes=["pp-network"])
    solara.HTML(tag="div", unsafe_innerHTML=state_counts_html(model), classes=["pp-states"])
    drawn = len(network_figure(model).sample.users)
    solara.HTML(tag="div", unsafe_innerHTML=network_key_html(drawn, model.users.n),
                classes=["pp-network-legend"])


def state_counts(model) -> dict[str, int]:
    """How many of all users are in each state today."""
    counts = np.bincount(current_states(model), minlength=len(STATES))
    return {state: int(c) for state, c in zip(STATES, counts, strict=True)}


def state_counts_html(model) -> str:
    counts = state_counts(model)
    total = max(sum(counts.values()), 1)
    items = [f'<span style="white-space:nowrap;margin-right:14px">'
             f'<span style="color:{STATE_COLOURS[s]};font-size:16px">&#9679;</span> '
             f"{STATE_LABELS[s]}: <b>{c:,}</b> ({c / total:.1%})</span>"
             for s, c in counts.items()]
    return (f'<div style="font-size:12px;line-height:1.8">All {total:,} users: '
            + " ".join(items) + "</div>")
