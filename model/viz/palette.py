"""One colour language for the app and the run figure (Okabe-Ito, safe for colour-blind readers).

A colour means one thing everywhere: the five user states own five colours, used for the
network's dots and for the chart lines that count the same users; platform kinds are told apart
by shape and drawn in dark neutrals; events and periods are dark lines and a pale band, so no
event is read as a state. Imported without the app's dependencies (matplotlib only).
"""

from __future__ import annotations

OKABE_ITO = {"black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9",
             "bluish_green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
             "vermillion": "#D55E00", "reddish_purple": "#CC79A7"}

STATE = {"unaware": "#BBBBBB", "aware": OKABE_ITO["sky_blue"],
         "using": OKABE_ITO["bluish_green"], "lost_access": OKABE_ITO["orange"],
         "punished": OKABE_ITO["vermillion"]}
"""Users' states; `vpn_aware`/`vpn_access`/`vpn_use` lines take the matching colour."""

SIDE = {"foreign": OKABE_ITO["blue"], "domestic": OKABE_ITO["reddish_purple"]}
"""Foreign against domestic (clouds, services, sellers): the two colours no state uses."""

KIND = {"regulator": ("s", "#222222"), "foreign": ("D", SIDE["foreign"]),
        "partner": ("p", "#555555"), "domestic": ("h", SIDE["domestic"]),
        "hub": ("^", "#777777")}
"""Institutional agents in the network: (marker, colour); the marker carries the kind."""

PROTOCOL = {"plain": OKABE_ITO["sky_blue"], "obfuscated": OKABE_ITO["yellow"],
            "tor": "#777777"}
"""VPN protocols (their own panel; no state is drawn there)."""

EVENT_LINE = "#333333"
"""Every dated event: a dark numbered line (the number says which, the list says what)."""
PERIOD_BAND = "#F0E442"
"""Sensitive periods: a pale yellow band behind the data."""
INTENSITY = "#000000"
NEUTRAL = "#777777"
