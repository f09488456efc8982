"""Every parameter of the model, declared once.

Units used throughout:
- *price units*: one unit is the daily price of a commercial VPN (about 100 yuan a month in 2014,
  docs/evidence.md "VPN demand and use"). Users' demand, friction and risk costs are in these units.
- *revenue shares*: a platform's costs and sanctions are fractions of its annual global revenue,
  or of its China revenue where the meaning says so.
- rates are per day; intensities and probabilities are in [0, 1].
"""

from __future__ import annotations

import datetime as dt

from .schema import Param

CHANNELS: tuple[str, ...] = (
    "foreign_store",
    "domestic_store",
    "domestic_commercial",
    "offshore",
    "foreign_cloud",
    "domestic_cloud",
)
"""How a VPN provider reaches users (docs/ODD.md, section 2)."""

_CHANNEL_TEXT = {
    "foreign_store": "an app listed in the foreign (Apple-like) app store, iOS only",
    "domestic_store": "an app listed in domestic Android app stores",
    "domestic_commercial": "a China-based commercial VPN seller (GreenVPN-like)",
    "offshore": "an offshore commercial service reached by sideloading or a foreign account",
    "foreign_cloud": "a server run by a customer of a foreign cloud (AWS-, Azure-like)",
    "domestic_cloud": "a server run by a customer of a domestic cloud (Alibaba-like)",
}

# (initial providers, friction, skill needed, detectability, blockability) per channel.
_CHANNEL_DEFAULTS = {
    "foreign_store": (700, 0.10, 0.0, 0.4, 0.5),
    "domestic_store": (150, 0.10, 0.0, 0.8, 0.5),
    "domestic_commercial": (60, 0.15, 0.0, 1.0, 0.2),
    "offshore": (40, 0.45, 0.3, 0.3, 1.0),
    "foreign_cloud": (40, 0.60, 0.6, 0.5, 0.6),
    "domestic_cloud": (40, 0.60, 0.6, 0.7, 0.3),
}
_CHANNEL_SOURCES = {
    "foreign_store": "Apple removed 674 VPN apps from its China store in 2017 and later audits "
    "find essentially none (docs/evidence.md, VPN supply)",
    "domestic_commercial": "'dozens' of China-based providers shut in summer 2017 "
    "(docs/evidence.md, VPN supply)",
}


def _channel_params() -> list[Param]:
    out = []
    for ch in CHANNELS:
        n, friction, skill, detect, block = _CHANNEL_DEFAULTS[ch]
        text = _CHANNEL_TEXT[ch]
        out += [
            Param(f"{ch}_providers", "vpn", int, n, "providers",
                  f"Initial number of VPN providers reaching users through {text}.", 0, 100_000,
                  source=_CHANNEL_SOURCES.get(ch, "model quantity; no public count exists")),
            Param(f"{ch}_friction", "vpn", float, friction, "price units/day",
                  f"Daily cost in effort of using a VPN through {ch} when its supply is intact.",
                  0.0, 10.0),
            Param(f"{ch}_skill", "vpn", float, skill, "skill index",
                  f"Technical skill a user needs to use the {ch} channel.", 0.0, 1.0),
            Param(f"{ch}_detectability", "vpn", float, detect, "multiplier",
                  f"How detectable a user of the {ch} channel is, relative to the most "
                  "detectable channel.", 0.0, 1.0),
            Param(f"{ch}_blockability", "vpn", float, block, "multiplier",
                  f"How exposed {ch} providers are to network-level blocking.", 0.0, 1.0),
        ]
    return out


PARAMETERS: tuple[Param, ...] = (
    # --- run --------------------------------------------------------------------------------
    Param("users", "", int, 10_000, "users", "Number of simulated individual internet users.",
          10, 10_000_000),
    Param("days", "", int, 365, "days", "Simulated horizon: one step is one day.", 1, 3650),
    Param("start_date", "", dt.date, dt.date(2017, 1, 1), "date", "Date of the first simulated day."),
    Param("enforcement_intensity", "", float, 0.5, "index [0, 1]",
          "Base enforcement intensity of the regulators before laws in force and sensitive "
          "periods raise it: the lever experiments sweep.", 0.0, 1.0),
    # --- network ----------------------------------------------------------------------------
    Param("network_kind", "network", str, "small_world", "-",
          "Social layer: Watts-Strogatz small world, Chung-Lu scale-free, or an edge-list file.",
          choices=("small_world", "scale_free", "edge_list")),
    Param("mean_degree", "network", float, 10.0, "contacts", "Mean number of social contacts.",
          2.0, 200.0),
    Param("rewire_probability", "network", float, 0.1, "probability",
          "Small world: probability that a lattice edge is rewired to a random user.", 0.0, 1.0),
    Param("degree_exponent", "network", float, 2.5, "-",
          "Scale-free: exponent of the power-law degree distribution.", 2.01, 5.0),
    Param("edge_list_file", "network", str, "", "path",
          "Edge list: CSV of user index pairs (one edge a line), relative to the scenario file."),
    # --- population ---------------------------------------------------------------------------
    Param("ios_share", "population", float, 0.2, "share",
          "Share of users on iOS (the rest on Android).", 0.0, 1.0,
          source="Kantar: iOS 13 to 24 percent of urban smartphone sales in China during 2017"),
    Param("party_member_share", "population", float, 0.1, "share",
          "Share of users who are Communist Party members.", 0.0, 1.0,
          source="about 89 million members (2017-08-01 rules) against about 829 million "
          "internet users"),
    Param("demand_median", "population", float, 0.5, "price units/day",
          "Median daily value a user puts on content behind the firewall (lognormal).", 0.0, 10.0,
          source="Chen & Yang (AER 2019): demand for uncensored information is low for most"),
    Param("demand_sigma", "population", float, 1.2, "log units",
          "Spread (sigma of the log) of users' demand: a long right tail of heavy users.",
          0.0, 4.0, source="Chen & Yang (AER 2019)"),
    Param("skill_mean", "population", float, 0.35, "skill index",
          "Mean technical skill (beta distributed, concentration 4).", 0.01, 0.99),
    Param("risk_aversion_mean", "population", float, 0.5, "index",
          "Mean risk aversion (beta distributed, concentration 4).", 0.01, 0.99),
    Param("trait_concentration", "population", float, 4.0, "-",
          "Concentration (a + b) of the beta distributions of skill and risk aversion: "
          "higher means users are more alike.", 0.1, 1000.0),
    Param("initial_awareness", "population", float, 0.3, "share",
          "Share of users who know how to get a VPN on day one.", 0.0, 1.0,
          source="GlobalWebIndex: 29 percent of internet users aged 16-64 reported VPN use (2016)"),
    # --- behaviour (users) --------------------------------------------------------------------
    Param("vpn_price", "behaviour", float, 1.0, "price units/day",
          "Price of a VPN: 1 by definition of the unit.", 0.0, 10.0,
          source="about 100 yuan a month (2014)"),
    Param("habit_weight", "behaviour", float, 0.6, "multiplier",
          "How much a formed habit raises the value of using a VPN.", 0.0, 5.0,
          source="Chen & Yang (AER 2019): consumption persists once a habit forms"),
    Param("habit_rate", "behaviour", float, 0.05, "1/day",
          "Speed at which habit follows use (exponential smoothing).", 0.0, 1.0),
    Param("choice_noise", "behaviour", float, 0.3, "price units",
          "Scale of the daily logistic noise in the use decision.", 0.001, 5.0),
    Param("friction_scarcity", "behaviour", float, 1.5, "price units/day",
          "Extra friction of a channel when all of its initial providers are gone (linear).",
          0.0, 20.0, source="Roberts, Censored (2018): censorship works mostly as a tax"),
    Param("skill_friction_discount", "behaviour", float, 0.6, "share",
          "Share of friction a user of full skill avoids.", 0.0, 1.0),
    Param("awareness_transmission", "behaviour", float, 0.0005, "probability/contact/day",
          "Chance a day that an unaware user learns how to get a VPN from one using contact.",
          0.0, 1.0),
    Param("awareness_media_rate", "behaviour", float, 0.0002, "1/day",
          "Daily chance of learning about VPNs from outside the network.", 0.0, 1.0),
    Param("risk_sensitivity", "behaviour", float, 2.3, "-",
          "k in perceived risk = 1 - exp(-k x (visible enforcement + fear)).", 0.0, 20.0,
          source="Epstein (2002) civil violence: k = 2.3"),
    Param("risk_visibility", "behaviour", float, 0.3, "-",
          "How much of the effective enforcement intensity users perceive directly.", 0.0, 5.0),
    Param("fear_weight", "behaviour", float, 3.0, "-",
          "Weight of the share of recently punished contacts in perceived risk (chilling).",
          0.0, 50.0, source="Epstein (2002): perceived risk from what an agent sees locally"),
    Param("fear_memory_days", "behaviour", int, 60, "days",
          "How long a punishment stays visible to a user's contacts.", 1, 3650),
    Param("risk_learning_rate", "behaviour", float, 0.1, "1/day",
          "Speed at which perceived risk follows what a user sees.", 0.0, 1.0),
    Param("user_penalty", "behaviour", float, 1.0, "price units/day",
          "Cost a user weighs per unit of perceived risk (scaled by 0.5 + risk aversion).",
          0.0, 100.0, source="1,000 yuan fine for a user (Guangdong 2018); punishment of users is rare"),
    Param("block_demand_boost", "behaviour", float, 0.6, "price units/day",
          "Demand added to users of a popular service when it is suddenly blocked.", 0.0, 10.0,
          source="Hobbs & Roberts (APSR 2018): sudden blocks push people over the wall"),
    Param("block_awareness_prob", "behaviour", float, 0.5, "probability",
          "Chance that a user of a blocked service learns how to get a VPN.", 0.0, 1.0,
          source="Hobbs & Roberts (APSR 2018)"),
    # --- regulators ---------------------------------------------------------------------------
    Param("regulators", "regulators", int, 3, "agents",
          "Regulators (cyberspace, telecom, public security); audit capacity is per regulator.",
          1, 10),
    Param("law_multiplier", "regulators", float, 1.15, "multiplier",
          "Default factor by which a law in force raises effective intensity.", 1.0, 5.0),
    Param("sensitive_multiplier", "regulators", float, 1.5, "multiplier",
          "Default factor by which a sensitive period raises effective intensity.", 1.0, 5.0,
          source="VPN disruption reported around the Two Sessions and 2017-10-18"),
    Param("adaptation_rate", "regulators", float, 0.0, "1/day",
          "Adaptive regulators: daily change of intensity per unit of observed use above target "
          "(0 = no adaptation).", 0.0, 1.0, source="Lorentzen (2014): regimes tune openness"),
    Param("adaptation_target_use", "regulators", float, 0.05, "share",
          "VPN use share adaptive regulators tolerate.", 0.0, 1.0),
    Param("audit_capacity", "regulators", float, 0.3, "audits/day",
          "Audits one regulator makes a day at full intensity (capacity grows with intensity).",
          0.0, 100.0),
    Param("audit_detection_prob", "regulators", float, 0.6, "probability",
          "Chance an audit of a non-compliant target detects it.", 0.0, 1.0),
    Param("fine_severity", "regulators", float, 0.05, "share of China revenue",
          "Cost of a fine (second rung of the sanction ladder).", 0.0, 1.0),
    Param("suspension_severity", "regulators", float, 0.25, "share of China revenue",
          "Cost of a suspension (third rung).", 0.0, 1.0),
    Param("suspension_days", "regulators", int, 30, "days",
          "Length of a suspension.", 1, 365),
    Param("user_detection_rate", "regulators", float, 0.0005, "1/day",
          "Daily chance of detecting a user of the most detectable channel at full intensity.",
          0.0, 1.0, source="punishment of ordinary users is rare (docs/evidence.md)"),
    Param("party_penalty_multiplier", "regulators", float, 4.0, "multiplier",
          "Party members' penalty relative to others once Party-member rules are in force.",
          1.0, 100.0, source="2017-08-01 rules: Party members punishable for illegal sites"),
    Param("seller_shutdown_rate", "regulators", float, 0.06, "1/day",
          "Daily chance a domestic commercial VPN is shut at full intensity once shutdowns "
          "are ordered.", 0.0, 1.0, source="GreenVPN and dozens more shut from 2017-07"),
    Param("block_rate", "regulators", float, 0.01, "1/day",
          "Daily chance a fully blockable provider is blocked at full intensity; a sensitive "
          "period multiplies it again by its factor (campaigns concentrate there).", 0.0, 1.0,
          source="disruption around sensitive dates (docs/evidence.md)"),
    Param("block_recovery_rate", "regulators", float, 0.07, "1/day",
          "Daily chance a blocked provider gets through again (new servers, protocols).",
          0.0, 1.0),
    Param("reactive_directives", "regulators", bool, False, "-",
          "Regulators issue directives not on the calendar when they observe too much use."),
    Param("reactive_interval_days", "regulators", int, 30, "days",
          "Least time between two reactive directives.", 1, 3650),
    Param("reactive_use_threshold", "regulators", float, 0.08, "share",
          "Observed VPN use above which reactive regulators issue directives.", 0.0, 1.0),
    Param("reactive_min_intensity", "regulators", float, 0.5, "index",
          "Effective intensity needed before reactive directives are issued.", 0.0, 1.0),
    # --- foreign platforms ----------------------------------------------------------------------
    Param("foreign_clouds", "foreign_platforms", int, 2, "agents",
          "Foreign cloud platforms (AWS-, Azure-like).", 0, 5),
    Param("foreign_cloud_visibility", "foreign_platforms", float, 0.5, "relative size",
          "Political visibility of a foreign cloud (and its partner) in audits, relative to "
          "the app stores and the largest domestic cloud (1); smaller domestic clouds 0.5.",
          0.0, 10.0, source="political cost of non-compliance grows with platform size"),
    Param("store_china_revenue_share", "foreign_platforms", float, 0.195, "share",
          "Share of the app-store owner's revenue earned in China.", 0.0, 1.0,
          source="Apple: Greater China 19.5 percent of fiscal 2017 revenue"),
    Param("cloud_china_revenue_share", "foreign_platforms", float, 0.02, "share",
          "Share of a foreign cloud's revenue earned in China.", 0.0, 1.0,
          source="'China is not a major market for Amazon' (NYT, 2017-08-01)"),
    Param("compliance_user_loss", "foreign_platforms", float, 0.02, "share of China revenue",
          "China revenue lost by complying with a directive (users who leave).", 0.0, 1.0),
    Param("reputation_cost", "foreign_platforms", float, 0.004, "share of global revenue",
          "Median reputational cost at home of complying with one directive.", 0.0, 10.0),
    Param("reputation_spread", "foreign_platforms", float, 0.5, "log units",
          "Heterogeneity of reputational cost between firms (sigma of the log).", 0.0, 3.0),
    Param("planning_horizon_days", "foreign_platforms", int, 90, "days",
          "Horizon over which a platform weighs the chance of being sanctioned.", 1, 3650),
    Param("compliance_speed", "foreign_platforms", float, 0.6, "1/day",
          "Largest daily chance of complying when sanctions clearly outweigh the cost.",
          0.0, 1.0),
    Param("compliance_noise", "foreign_platforms", float, 0.3, "log units",
          "Spread of the comply-or-not judgement around break-even.", 0.01, 10.0),
    Param("peer_compliance_weight", "foreign_platforms", float, 0.5, "share",
          "How much peers' compliance lowers a platform's cost of complying.", 0.0, 1.0,
          source="firms give in when competitors do (docs/evidence.md, Platform compliance)"),
    Param("store_removal_rate", "foreign_platforms", float, 0.15, "1/day",
          "Daily chance a complying app store removes each remaining VPN listing.", 0.0, 1.0,
          source="Apple removed 674 VPN apps in 2017; set so that over 80 percent of listings are gone "
          "two weeks after 2017-07-29 (first press counts, about 60 in days, were lower)"),
    Param("profit_margin", "foreign_platforms", float, 0.2, "share",
          "Operating margin on China revenue, used in the decision to exit.", 0.0, 1.0),
    Param("business_value_years", "foreign_platforms", float, 3.0, "years",
          "Years of China profit a platform counts as the value of its China business when it "
          "weighs leaving.", 0.0, 100.0),
    Param("exit_rate", "foreign_platforms", float, 0.02, "1/day",
          "Daily chance a platform whose China business no longer pays exits.", 0.0, 1.0),
    # --- local partners -----------------------------------------------------------------------
    Param("foreign_ownership_cap", "partners", float, 0.49, "share",
          "Largest foreign stake allowed in a licensed cloud operator; below 0.5 a foreign "
          "cloud must operate through a local partner.", 0.0, 1.0,
          source="licences only to firms with under 50 percent foreign investment"),
    Param("partner_revenue_share", "partners", float, 0.5, "share",
          "Share of a foreign cloud's China revenue the local partner takes.", 0.0, 1.0),
    Param("partner_cost_pass_through", "partners", float, 0.3, "share",
          "Share of the partner's cut a foreign cloud passes on to customers in its price.",
          0.0, 1.0),
    Param("licence_value", "partners", float, 1.0, "years of revenue",
          "What a partner loses if its licence is revoked.", 0.0, 100.0),
    Param("monitoring_cost", "partners", float, 0.5, "years of revenue",
          "Cost scale of monitoring effort (quadratic: lost customers and staff).", 0.001, 100.0),
    Param("partner_detection_rate", "partners", float, 0.15, "1/day",
          "Daily chance that full monitoring finds each circumvention host.", 0.0, 1.0,
          source="Sinnet: 'operators check routinely' (NYT, 2017-08-01)"),
    Param("takeover_probability", "partners", float, 0.8, "probability",
          "Chance the partner takes over a foreign cloud's assets and customers when it exits.",
          0.0, 1.0, source="AWS sold its Beijing infrastructure to Sinnet (2017-11-10)"),
    # --- domestic platforms ---------------------------------------------------------------------
    Param("domestic_clouds", "domestic", int, 3, "agents",
          "Domestic clouds: one giant (Alibaba-like) and smaller rivals.", 1, 10),
    Param("domestic_compliance_speed", "domestic", float, 0.9, "1/day",
          "Daily chance a domestic platform complies with a directive addressed to it.",
          0.0, 1.0, source="domestic platforms comply quickly (design assumption)"),
    Param("domestic_removal_rate", "domestic", float, 0.3, "1/day",
          "Daily chance a domestic platform removes each VPN it hosts once ordered to.",
          0.0, 1.0, source="domestic platforms comply quickly (design assumption)"),
    # --- cloud market (business customers) ------------------------------------------------------
    Param("business_customers", "market", int, 2_000, "firms",
          "Business customers choosing a cloud.", 10, 1_000_000),
    Param("customer_review_rate", "market", float, 0.02, "1/day",
          "Daily chance a customer reconsiders its cloud.", 0.0, 1.0),
    Param("switching_cost", "market", float, 1.0, "utility",
          "Utility of staying with the current cloud.", 0.0, 20.0),
    Param("multinational_share", "market", float, 0.1, "share",
          "Share of customers that need cross-border service.", 0.0, 1.0),
    Param("cross_border_value", "market", float, 1.0, "utility",
          "Value of a foreign cloud's global network to a multinational customer.", 0.0, 20.0),
    Param("foreign_price", "market", float, 1.05, "price index",
          "Price of a foreign cloud operating on its own (a local partner's cut raises it).",
          0.0, 10.0),
    Param("domestic_price", "market", float, 0.8, "price index",
          "Price of a domestic cloud: domestic giants compete on price.", 0.0, 10.0),
    Param("customer_size_sigma", "market", float, 1.0, "log units",
          "Spread of customers' cloud spend (lognormal, median 1).", 0.0, 5.0),
    Param("multinational_size_factor", "market", float, 3.0, "multiplier",
          "How much more a multinational customer spends than a local one.", 0.01, 100.0),
    Param("price_sensitivity", "market", float, 3.0, "utility/price index",
          "Utility a customer loses per unit of price.", 0.0, 50.0),
    Param("giant_scale_advantage", "market", float, 1.4, "utility",
          "Quality advantage of the largest domestic cloud (scale, ecosystem).", 0.0, 20.0,
          source="IDC 2016: Alibaba above 40 percent of China IaaS"),
    Param("foreign_brand_value", "market", float, 0.5, "utility",
          "Value of a foreign cloud's own brand.", 0.0, 20.0),
    Param("brand_restriction_penalty", "market", float, 0.8, "share",
          "Share of brand value lost when foreign clouds may not use their own brand.", 0.0, 1.0,
          source="proposed rules restrict use of own brand (NYT, 2017-08-01)"),
    Param("regulatory_risk_weight", "market", float, 3.0, "utility",
          "Utility lost per unit of perceived regulatory risk of a cloud.", 0.0, 50.0),
    Param("foreign_risk_exposure", "market", float, 0.4, "risk index",
          "Regulatory risk customers see in a foreign cloud per unit of effective intensity.",
          0.0, 10.0),
    Param("warning_risk", "market", float, 0.3, "risk index",
          "Risk a warning letter from the operator adds for customers of that cloud.", 0.0, 10.0,
          source="Sinnet's letters to customers, 2017-07-28/31"),
    Param("shutdown_risk", "market", float, 0.05, "risk index",
          "Risk added to a cloud for each percent of its customers shut down.", 0.0, 10.0),
    Param("sanction_risk", "market", float, 0.5, "risk index",
          "Risk one sanction on a cloud (or its partner) adds for its customers.", 0.0, 10.0),
    Param("circumvention_customer_share", "market", float, 0.05, "share",
          "Share of business customers that host circumvention (private VPN lines for staff).",
          0.0, 1.0),
    Param("warning_compliance", "market", float, 0.7, "probability",
          "Chance a customer caught hosting circumvention stops after a warning; the rest are "
          "shut down when caught again.", 0.0, 1.0,
          source="Sinnet: 'if users don't comply ... services can be shut down' (NYT, 2017-08-01)"),
    Param("risk_memory_days", "market", int, 90, "days",
          "Time constant over which customers forget warnings and shutdowns.", 1, 3650),
    # --- VPN providers --------------------------------------------------------------------------
    Param("provider_saturation", "vpn", float, 0.2, "share",
          "Share of a channel's initial providers that still reaches every user; below it the "
          "share of users who can find one falls in proportion.", 0.001, 1.0),
    Param("relaunch_rate", "vpn", float, 0.02, "1/day",
          "Daily chance a removed provider relaunches when all use has been lost (scales with "
          "unmet demand: cat and mouse).", 0.0, 1.0),
    *_channel_params(),
)

BY_NAME: dict[str, Param] = {p.name: p for p in PARAMETERS}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(p.section for p in PARAMETERS if p.section))
DEFAULTS: dict[str, object] = {p.name: p.default for p in PARAMETERS}

assert len(BY_NAME) == len(PARAMETERS), "parameter names must be unique"
