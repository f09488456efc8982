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

from .channels import CHANNELS, PROTOCOLS, channel_params, protocol_params
from .schema import Param

__all__ = ["BY_NAME", "CHANNELS", "DEFAULTS", "PARAMETERS", "PROTOCOLS", "SECTIONS"]

PARAMETERS: tuple[Param, ...] = (
    # --- run --------------------------------------------------------------------------------
    Param("users", "", int, 10_000, "users", "Number of simulated individual internet users.",
          10, 10_000_000),
    Param("days", "", int, 365, "days", "Simulated horizon: one step is one day.", 1, 3650),
    Param("start_date", "", dt.date, dt.date(2017, 1, 1), "date", "Date of the first simulated day."),
    Param("end_date", "", dt.date, None, "date",
          "Last simulated day, when given: it sets the horizon (days is then derived from it).",
          optional=True),
    Param("random_streams", "", str, "per_decision", "-",
          "Where random numbers come from: one stream per decision (a change to one mechanism "
          "leaves the others' draws as they were) or one shared stream (the first model's "
          "way, kept to measure the difference).", choices=("per_decision", "shared")),
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
    Param("region_tie_share", "network", float, 0.9, "share",
          "With more than one region: share of the ties a generator draws at random (the "
          "small world's rewired ends, every scale-free tie) that it draws again inside the "
          "region of the tie's first user; the small world's ring is within regions.", 0.0, 1.0,
          source="assumption: most social ties are local (in the Facebook Social Connectedness "
          "Index most friendships are within a short distance; Bailey et al., JEP 2018)"),
    Param("region_file", "network", str, "", "path",
          "Edge list with regions: CSV of `user,region` (one line per user, region ids of "
          "[[regions]]), relative to the scenario file; without it users fill the regions in "
          "index order."),
    # --- population ---------------------------------------------------------------------------
    Param("ios_share", "population", float, 0.2, "share",
          "Share of users on iOS (the rest on Android).", 0.0, 1.0,
          source="Kantar: iOS 13 to 24 percent of urban smartphone sales in China during 2017"),
    Param("party_member_share", "population", float, 0.1, "share",
          "Share of users who are Communist Party members.", 0.0, 1.0,
          source="about 89 million members (2017-08-01 rules) against about 829 million "
          "internet users"),
    Param("interest_share", "population", float, 0.15, "share",
          "Share of users with some interest in information behind the firewall at the start "
          "(the hurdle: the others value it at nothing).", 0.0, 1.0,
          source="assumption inside the documented range: at most about 3 percent of users ran "
          "circumvention tools (Berkman 2010), 29 percent reported VPN use (GlobalWebIndex "
          "2016); fewer than 5 percent of students given free access read foreign news "
          "(Chen & Yang, AER 2019)"),
    Param("demand_median", "population", float, 0.5, "price units/day",
          "Median daily value an interested user puts on information behind the firewall "
          "(lognormal).", 0.0, 10.0,
          source="Chen & Yang (AER 2019): demand for uncensored information is low for most"),
    Param("demand_sigma", "population", float, 1.2, "log units",
          "Spread (sigma of the log) of users' demand: a long right tail of heavy users.",
          0.0, 4.0, source="Chen & Yang (AER 2019)"),
    Param("skill_mean", "population", float, 0.35, "skill index",
          "Mean technical skill (beta distributed, concentration 4).", 0.01, 0.99),
    Param("risk_aversion_mean", "population", float, 0.5, "index",
          "Mean risk aversion (beta distributed, concentration 4).", 0.01, 0.99),
    Param("ties_mean", "population", float, 0.2, "index",
          "Mean international ties (family, study or work abroad; beta distributed).", 0.01,
          0.99, source="assumption"),
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
    Param("choice_noise", "behaviour", float, 0.3, "price units",
          "Scale of the daily logistic noise in the use decision of interested users.", 0.001,
          5.0),
    Param("attention_cost", "behaviour", float, 0.3, "price units/day",
          "Daily cost in attention of going over the wall at all (before experience).", 0.0,
          10.0, source="assumption; Chen & Yang (AER 2019): free access alone does not lead "
          "most to use it"),
    Param("learning_max", "behaviour", float, 0.5, "share",
          "Share of friction and attention cost a fully experienced user no longer bears "
          "(learning by using).", 0.0, 1.0,
          source="assumption; Chen & Yang (AER 2019): encouraged use persists after the "
          "incentive ends"),
    Param("learning_days", "behaviour", float, 30.0, "days of use",
          "Days of use after which 63 percent of the learning is done; experience never "
          "decays.", 0.1, 3650.0, source="assumption"),
    Param("interest_transmission", "behaviour", float, 5e-05, "probability/contact/day",
          "Chance a day that a user with no interest gains it from one using contact.", 0.0,
          1.0, source="assumption; Chen & Yang (AER 2019): social transmission is significant "
          "but small (a treated student's roommate about 13 percent more likely to know the "
          "same events)"),
    Param("foreign_affinity", "behaviour", float, 1.0, "utility",
          "Taste for foreign services per unit of a user's index of interest, skill and "
          "international ties (standardized).", 0.0, 20.0, source="assumption"),
    Param("network_weight", "behaviour", float, 2.0, "utility",
          "Value of a service per unit share of one's contacts on it (network effects).",
          0.0, 50.0, source="assumption"),
    Param("attachment_weight", "behaviour", float, 1.0, "share",
          "Share of what a user would lose without a blocked service (its surplus over the best "
          "open option) that counts as value of a VPN; 0 cuts the link between consumer "
          "services and VPN use.", 0.0, 1.0,
          source="Hobbs & Roberts (APSR 2018): a block sends a service's users over the wall"),
    Param("service_review_rate", "behaviour", float, 0.033, "1/day",
          "Daily chance a user reconsiders its consumer services (those of a service cut off "
          "reconsider at once).", 0.0, 1.0, source="assumption: about monthly"),
    Param("sideload_skill", "behaviour", float, 0.4, "skill index",
          "Skill needed to install a banned app (switch the store's region or sideload).",
          0.0, 1.0, source="assumption"),
    Param("search_rate", "behaviour", float, 0.3, "1/day",
          "Daily chance that a user who wants a VPN and has none working looks for one today "
          "(finding, paying for and setting up another takes days).", 0.0, 1.0,
          source="assumption: about three days to replace a VPN"),
    Param("enterprise_vpn_user_share", "behaviour", float, 0.02, "share",
          "Share of users employed by a multinational or foreign-funded firm, who can reach "
          "foreign services over their employer's licensed line (the enterprise channel).",
          0.0, 1.0, source="China Statistical Yearbook 2009, tables 4-1 and 4-8: 15.5 million "
          "staff in foreign- and Hong Kong, Macao and Taiwan-funded units of 755.6 million "
          "employed in 2008 (0.021); that all of them have a work VPN is an assumption"),
    Param("region_switch_skill", "behaviour", float, 0.4, "skill index",
          "Skill needed to switch the store account's region, to install and update apps the "
          "local store has removed.", 0.0, 1.0,
          source="providers advised switching the store region in 2017 and 2024 "
          "(docs/evidence.md); the skill is an assumption"),
    Param("region_switch_effort", "behaviour", float, 4.0, "multiplier",
          "How much harder it is to find a VPN in another region's store than in one's own "
          "(multiplies the store's search scale).", 1.0, 1000.0, source="assumption"),
    Param("installed_decay_rate", "behaviour", float, 0.0055, "1/day",
          "Daily chance that an installed app the local store has removed stops working "
          "(no updates), for users who cannot update it from abroad.", 0.0, 1.0,
          source="removed apps kept working but got no updates (Russia 2024, docs/evidence.md); "
          "half-life of about four months is an assumption"),
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
    Param("block_awareness_prob", "behaviour", float, 0.5, "probability",
          "Chance that a user of a suddenly blocked service learns how to get a VPN.", 0.0, 1.0,
          source="Hobbs & Roberts (APSR 2018): VPN use jumped the day Instagram was blocked"),
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
    Param("block_recovery_rate", "regulators", float, 0.07, "1/day",
          "Daily chance a provider whose address was blocked moves to a new one.", 0.0, 1.0),
    Param("wave_rate", "regulators", float, 0.2, "1/day",
          "Daily chance the firewall starts a protocol-wide block per unit by which what it "
          "would catch (intensity x sensitive factor x share of VPN users on the protocol) "
          "exceeds its collateral cost.", 0.0, 1.0,
          source="blocking waves against WireGuard, OpenVPN and IPsec (Russia, Aug-Sep 2023); "
          "the rate is an assumption"),
    Param("collateral_weight", "regulators", float, 1.0, "-",
          "Weight the firewall gives to the legitimate traffic a protocol-wide block breaks.",
          0.0, 100.0, source="Elahi et al. (PoPETs 2016): blocking is limited by collateral "
          "damage; the weight is an assumption"),
    Param("enterprise_traffic_share", "regulators", float, 0.5, "share",
          "Share of the legitimate traffic that looks like plain VPN traffic which is firms' "
          "cross-border VPNs; the part carried over licensed lines is whitelisted, so it is no "
          "collateral of a block.", 0.0, 1.0,
          source="assumption; MIIT (January 2017) carved out licensed lines for foreign-trade "
          "firms and multinationals (docs/evidence.md, Markets)"),
    Param("wave_days", "regulators", float, 14.0, "days",
          "Mean length of a protocol-wide block the firewall starts itself.", 1.0, 3650.0,
          source="assumption: waves of weeks (Russia 2023; China around the 2017 Congress)"),
    Param("throttle_friction", "regulators", float, 0.3, "price units/day",
          "Friction added to every circumvention protocol in sensitive periods at full "
          "intensity (throttling without blocking).", 0.0, 10.0,
          source="slowdowns around sensitive dates; a 60-day slowdown of 47 to 70 percent in "
          "2024 (docs/evidence.md); the size is an assumption"),
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
    Param("regulator_credibility", "foreign_platforms", float, 0.7, "share",
          "How far platforms believe, before any sanction of the run, that the regulators will "
          "sanction what they find (discounts expected sanctions).", 0.0, 1.0,
          source="assumption; Russia 2019: one of ten VPNs ordered to join the registry "
          "complied (a regulator believed less)"),
    Param("credibility_gain", "foreign_platforms", float, 0.5, "1/sanction",
          "How fast each sanction the regulators apply closes the gap to full credibility.",
          0.0, 100.0, source="assumption"),
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
    Param("monitoring_pass_through", "partners", float, 0.3, "share",
          "Share of an operator's monitoring cost (`monitoring_cost` x effort^2) passed on in a "
          "foreign cloud's price.", 0.0, 1.0,
          source="assumption (as partner_cost_pass_through)"),
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
    Param("enterprise_vpn_price", "market", float, 0.3, "price index",
          "Price of a licensed enterprise VPN line (cross-border access for a firm on a "
          "domestic cloud), in units of a cloud's price.", 0.0, 10.0,
          source="MIIT (January 2017): foreign-trade firms and multinationals may use VPNs from "
          "approved, licensed operators; the price is an assumption"),
    Param("data_localization_cost", "market", float, 0.1, "share of price",
          "Rise in a foreign cloud's price once it (or its partner) stores data in China under "
          "`data_localization`.", 0.0, 10.0, source="assumption"),
    Param("security_review_rate", "market", float, 0.01, "1/day",
          "Daily chance, at full intensity, that a business customer of a foreign cloud is "
          "reviewed once `security_reviews` are ordered.", 0.0, 1.0,
          source="Cybersecurity Law (in force 2017-06-01): security reviews of network products "
          "and cross-border data (Art. 35, 37); the rate is an assumption"),
    Param("security_review_risk", "market", float, 0.5, "risk index",
          "Regulatory risk a security review adds, for the reviewed firm, to staying on a "
          "foreign cloud (decays with risk_memory_days).", 0.0, 10.0,
          source="assumption (as sanction_risk)"),
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
    Param("entry_rate", "vpn", float, 0.02, "1/day",
          "New providers a day per initial provider of a channel when no interested user has "
          "a working VPN (scales with the unmet share: cat and mouse).", 0.0, 1.0,
          source="assumption (the first model's relaunch rate)"),
    Param("migration_rate", "vpn", float, 0.1, "1/day",
          "Daily chance a provider caught by a protocol-wide block moves to a harder protocol.",
          0.0, 1.0, source="assumption; providers moved to obfuscated protocols after the "
          "2023 waves in Russia (docs/evidence.md)"),
    Param("migration_days", "vpn", int, 3, "days",
          "Days a migrating provider is down.", 1, 365, source="assumption"),
    *channel_params(),
    *protocol_params(),
)

BY_NAME: dict[str, Param] = {p.name: p for p in PARAMETERS}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(p.section for p in PARAMETERS if p.section))
DEFAULTS: dict[str, object] = {p.name: p.default for p in PARAMETERS}

assert len(BY_NAME) == len(PARAMETERS), "parameter names must be unique"
