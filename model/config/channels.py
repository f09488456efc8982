"""VPN supply's two dimensions, declared once: the channel through which a provider reaches users
and the protocol class its traffic uses (docs/ODD.md, section 2.9).

A provider has one of each. The channel decides who can find it (device, skill, the store it is
listed in), its price and whether a platform can remove it; the protocol decides how the firewall
finds it (fingerprinting in protocol-wide waves, active probing after a delay) and adds friction.
"""

from __future__ import annotations

from .schema import Param

CHANNELS: tuple[str, ...] = (
    "foreign_store",
    "domestic_store",
    "domestic_commercial",
    "offshore",
    "free_tool",
    "foreign_cloud",
    "domestic_cloud",
    "enterprise",
)
"""How a VPN provider reaches users (the licensed enterprise line last, so adding it left every
other channel's draws as they were)."""

STORE_CHANNELS: tuple[str, ...] = ("foreign_store", "domestic_store")
CLOUD_CHANNELS: tuple[str, ...] = ("foreign_cloud", "domestic_cloud")
LICENSED_CHANNELS: tuple[str, ...] = ("enterprise",)
"""Lines from licensed basic telecom operators (MIIT, January 2017): the firewall leaves them
alone, no store or cloud can remove them, no provider enters; only employees of multinationals
reach them (`enterprise_vpn_user_share`)."""

PROTOCOLS: tuple[str, ...] = ("plain", "obfuscated", "tor")
"""Protocol classes, from easiest to hardest for the firewall to find."""

CHANNEL_TEXT = {
    "foreign_store": "an app listed in the foreign (Apple-like) app store, iOS only",
    "domestic_store": "an app listed in domestic Android app stores",
    "domestic_commercial": "a China-based commercial VPN seller (GreenVPN-like)",
    "offshore": "an offshore commercial service (website, desktop client, sideloaded app)",
    "free_tool": "a free circumvention tool downloaded from abroad (Psiphon-, Lantern-like)",
    "foreign_cloud": "a server run by a customer of a foreign cloud (AWS-, Azure-like)",
    "domestic_cloud": "a server run by a customer of a domestic cloud (Alibaba-like)",
    "enterprise": "a licensed cross-border line through one's employer (a multinational)",
}
PROTOCOL_TEXT = {
    "plain": "plain VPN protocols (OpenVPN, IPsec, WireGuard-like: easy to fingerprint)",
    "obfuscated": "obfuscated proxies (Shadowsocks-, V2Ray-like: found by active probing)",
    "tor": "Tor with bridges (obfs4-like bridges, found by probing after a delay)",
}

# (initial providers, friction, skill, detectability, price factor, search scale,
#  obfuscated share, tor share) per channel
_CHANNEL_DEFAULTS = {
    "foreign_store": (700, 0.10, 0.0, 0.4, 1.0, 5.0, 0.3, 0.0),
    "domestic_store": (150, 0.10, 0.0, 0.8, 1.0, 5.0, 0.2, 0.0),
    "domestic_commercial": (60, 0.15, 0.0, 1.0, 1.0, 10.0, 0.1, 0.0),
    "offshore": (40, 0.45, 0.3, 0.3, 1.0, 10.0, 0.5, 0.0),
    "free_tool": (20, 0.60, 0.3, 0.3, 0.0, 5.0, 0.6, 0.4),
    "foreign_cloud": (40, 0.60, 0.6, 0.5, 0.4, 5.0, 0.9, 0.0),
    "domestic_cloud": (40, 0.60, 0.6, 0.7, 0.4, 5.0, 0.9, 0.0),
    "enterprise": (3, 0.05, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0),
}
_CHANNEL_SOURCES = {
    "foreign_store_providers": "Apple removed 674 VPN apps from its China store in 2017 and "
    "later audits find essentially none (docs/evidence.md, VPN supply)",
    "domestic_commercial_providers": "'dozens' of China-based providers shut in summer 2017 "
    "(docs/evidence.md, VPN supply)",
    "free_tool_price": "Psiphon, Lantern and Tor are free to use (docs/evidence.md)",
    "enterprise_providers": "the three licensed basic telecom operators (China Telecom, China "
    "Unicom, China Mobile) that may sell cross-border lines under MIIT's January 2017 notice "
    "(docs/evidence.md, Markets)",
    "enterprise_price": "the employer pays for the line: free to the employee (assumption)",
    "enterprise_detectability": "a licensed line is lawful: using it carries no risk "
    "(MIIT, January 2017; docs/evidence.md)",
    "enterprise_friction": "assumption: a work VPN set up by the employer's IT department, "
    "small effort",
    "enterprise_skill": "assumption: the employer sets the line up, no skill needed",
    "enterprise_search_scale": "assumption: the IT department hands the line over (3 lines: "
    "found with chance 1 - exp(-3), about 0.95, on a search)",
    "enterprise_obfuscated_share": "assumption: licensed lines run plain VPN protocols "
    "(IPsec-like), which is why firms' traffic is collateral of a plain block",
    "enterprise_tor_share": "assumption: licensed lines run plain VPN protocols",
}

# (friction, skill, detectability, fingerprint, discovery rate, probe delay, collateral)
_PROTOCOL_DEFAULTS = {
    "plain": (0.0, 0.0, 1.0, 0.8, 0.01, 0, 0.5),
    "obfuscated": (0.05, 0.3, 0.5, 0.05, 0.03, 2, 0.2),
    "tor": (0.3, 0.2, 0.5, 0.05, 0.05, 2, 0.02),
}
_PROTOCOL_SOURCES = {
    "plain_fingerprint": "the firewall blocks by protocol fingerprint (deep packet "
    "inspection; docs/evidence.md, the network side of censorship)",
    "obfuscated_probe_delay_days": "Fifield & Tsai (FOCI 2016): new Tor bridges blocked "
    "after 2 to 36 days; active probing (Ensafi et al., IMC 2015)",
    "tor_probe_delay_days": "Fifield & Tsai (FOCI 2016): new Tor bridges blocked after 2 to "
    "36 days",
    "plain_collateral": "blocking is limited by collateral damage to legitimate traffic "
    "(Elahi et al., PoPETs 2016); businesses use plain VPN protocols",
}


def channel_params() -> list[Param]:
    out = []
    for ch in CHANNELS:
        n, friction, skill, detect, price, scale, obf, tor = _CHANNEL_DEFAULTS[ch]
        text = CHANNEL_TEXT[ch]

        def src(name: str) -> str:
            return _CHANNEL_SOURCES.get(name, "")

        out += [
            Param(f"{ch}_providers", "vpn", int, n, "providers",
                  f"Initial number of VPN providers reaching users through {text}.", 0, 100_000,
                  source=src(f"{ch}_providers") or "model quantity; no public count exists"),
            Param(f"{ch}_friction", "vpn", float, friction, "price units/day",
                  f"Daily effort cost of using a VPN found through {ch}, before skill and "
                  "experience.", 0.0, 10.0, source=src(f"{ch}_friction")),
            Param(f"{ch}_skill", "vpn", float, skill, "skill index",
                  f"Technical skill a user needs to find and use a VPN through {ch}.", 0.0, 1.0,
                  source=src(f"{ch}_skill")),
            Param(f"{ch}_detectability", "vpn", float, detect, "multiplier",
                  f"How detectable a user of the {ch} channel is, relative to the most "
                  "detectable channel (times the protocol's detectability).", 0.0, 1.0,
                  source=src(f"{ch}_detectability")),
            Param(f"{ch}_price", "vpn", float, price, "x vpn_price",
                  f"Price of a VPN from the {ch} channel, as a multiple of vpn_price.", 0.0, 10.0,
                  source=src(f"{ch}_price")),
            Param(f"{ch}_search_scale", "vpn", float, scale, "providers",
                  f"Working {ch} providers at which a searching user who can use the channel "
                  "finds one with chance 1 - 1/e; fewer working providers, smaller chance.",
                  0.01, 100_000.0, source=src(f"{ch}_search_scale")),
            Param(f"{ch}_obfuscated_share", "vpn", float, obf, "share",
                  f"Share of {ch} providers (at the start and among entrants) running "
                  "obfuscated proxies.", 0.0, 1.0, source=src(f"{ch}_obfuscated_share")),
            Param(f"{ch}_tor_share", "vpn", float, tor, "share",
                  f"Share of {ch} providers running Tor bridges; the rest run plain VPN "
                  "protocols.", 0.0, 1.0, source=src(f"{ch}_tor_share")),
        ]
    return out


def protocol_params() -> list[Param]:
    out = []
    for pr in PROTOCOLS:
        friction, skill, detect, fingerprint, discovery, delay, collateral = \
            _PROTOCOL_DEFAULTS[pr]
        text = PROTOCOL_TEXT[pr]

        def src(name: str) -> str:
            return _PROTOCOL_SOURCES.get(name, "")

        out += [
            Param(f"{pr}_friction", "protocols", float, friction, "price units/day",
                  f"Friction {text} add to a VPN's use.", 0.0, 10.0),
            Param(f"{pr}_skill", "protocols", float, skill, "skill index",
                  f"Skill a user needs to set up {pr} servers.", 0.0, 1.0),
            Param(f"{pr}_detectability", "protocols", float, detect, "multiplier",
                  f"How detectable a user of a {pr} server is (times the channel's).", 0.0, 1.0),
            Param(f"{pr}_fingerprint", "protocols", float, fingerprint, "1/day",
                  f"Daily chance that a {pr} server is blocked while a protocol-wide block "
                  "(a wave) of its class is in force.", 0.0, 1.0,
                  source=src(f"{pr}_fingerprint")),
            Param(f"{pr}_discovery_rate", "protocols", float, discovery, "1/day",
                  f"Daily chance, at full intensity, that the firewall finds and blocks one "
                  f"{pr} server once its probing delay has passed.", 0.0, 1.0),
            Param(f"{pr}_probe_delay_days", "protocols", int, delay, "days",
                  f"Least time between a {pr} server going live (or moving address) and its "
                  "first block by probing.", 0, 3650, source=src(f"{pr}_probe_delay_days")),
            Param(f"{pr}_collateral", "protocols", float, collateral, "share",
                  f"Share of legitimate traffic that looks like {pr} traffic: what a "
                  "protocol-wide block would also break.", 0.0, 1.0,
                  source=src(f"{pr}_collateral")),
        ]
    return out
