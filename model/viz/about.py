"""The "About this model" panel: what each agent does in a day, where to read more, and what
the server holds (open sessions, models in memory; see `sessions.py`).

A newcomer sees the scenario's full description here and, in a few lines each, the day the
model runs (the ODD's section 3 in plain words), with the ODD and evidence files named: the app
is often used offline, so it points at the files shipped with the project rather than links.
"""

from __future__ import annotations

import solara

from .sessions import describe

DAY = (
    ("Calendar", "Dated directives come into force; services are blocked or banned on their "
     "date; encouragement periods start and end."),
    ("Regulators", "Set the day's effective intensity (base, laws and sensitive periods on a "
     "log-odds scale, plus adaptation to yesterday's VPN use), audit platforms and partners, "
     "sanction, and run their duties."),
    ("Firewall", "Blocks protocol classes by fingerprint (a wave hits every provider on that "
     "protocol at once), probes obfuscated servers with a delay, throttles; licensed enterprise "
     "VPNs are spared."),
    ("Foreign platforms", "The app store and foreign clouds decide whether to comply, exit, "
     "remove VPN apps (installed apps keep working) or police their customers."),
    ("Local partners and domestic platforms", "Monitor hosted circumvention, send warning "
     "letters, comply quickly."),
    ("VPN providers", "Providers caught by a protocol-wide block migrate to another protocol; "
     "new ones enter where demand is unmet."),
    ("Users", "Learn of VPNs from contacts; only the interested look for one; weigh value "
     "against price, friction, risk and attention; reconsider their consumer services (a "
     "blocked service's users go over the wall or to a domestic substitute)."),
    ("Business customers", "Move cloud when forced, or when the risk and costs pile up."),
)
READ_MORE = ("Full description: docs/ODD.md (schedule in section 3, submodels in section 7); "
             "the evidence behind each parameter: docs/evidence.md; every parameter: "
             "docs/parameters.md.")


@solara.component
def About(description: str):
    """The panel (its box has the CSS class `pp-about`)."""
    note = solara.use_reactive(solara.use_memo(describe, []))
    with solara.Column(classes=["pp-about"]), solara.Details("About this model", expand=False):
        solara.Markdown(f"**This scenario.** {' '.join(description.split())}",
                        style={"font-size": "14px"})
        solara.Markdown("**A day in the model**, in order:\n\n" + "\n".join(
            f"{k}. **{name}**: {text}" for k, (name, text) in enumerate(DAY, start=1)),
            style={"font-size": "14px"})
        solara.Markdown(READ_MORE, style={"font-size": "14px"})
        with solara.Row(classes=["pp-server"]):
            solara.Text(note.value, style={"font-size": "13px"})
            solara.Button("Count again", text=True, on_click=lambda: note.set(describe()),
                          classes=["pp-count"])
