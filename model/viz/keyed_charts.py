"""Charts of the long table's series, whose set depends on the scenario: the mechanisms of VPN
supply (availability by protocol class, the firewall's protocol-wide blocks), consumer services'
shares, and, where the scenario declares regions, each region in a small multiple of its own
(VPN availability and use, its shutdowns). They use the main chart's drawing (`build_chart`)
and the app's one colour language."""

from __future__ import annotations

import solara

from ..config.channels import PROTOCOLS
from . import palette
from .cache import per_model
from .charts import WIDTH_IN, ChartImage, Panel, Series, build_chart

_STYLES = ("-", "--", ":", "-.")


def mechanism_panels(model) -> tuple[Panel, ...]:
    """Availability and blocks by protocol class; each consumer service's share of users."""
    market = model.services
    services = tuple(
        Series("service_share", sid, palette.SIDE["foreign" if market.foreign[k] else "domestic"],
               _STYLES[k % len(_STYLES)], 1.4, key=sid)
        for k, sid in enumerate(market.ids) if not sid.startswith("_"))
    panels = [
        Panel("VPN availability\nby protocol", tuple(
            Series("protocol_availability", q, palette.PROTOCOL[q], key=q) for q in PROTOCOLS)),
        Panel("protocol-wide\nblock in force", tuple(
            Series("protocol_block", q, palette.PROTOCOL[q], "-", 2.0, key=q)
            for q in PROTOCOLS)),
    ]
    if services:
        panels.append(Panel("consumer services\n(share of users)", services))
    return tuple(panels)


def region_panels(model) -> tuple[Panel, ...]:
    """One small multiple per region: availability, use and whether it is offline."""
    return tuple(
        Panel(region.label, (
            Series("region_vpn_availability", "availability", palette.INTENSITY,
                   key=region.id),
            Series("region_vpn_use", "use", palette.STATE["using"], "-", 2.0, key=region.id),
            Series("region_offline", "internet shut down", palette.NEUTRAL, ":", 1.4,
                   key=region.id),
        ))
        for region in model.regions.regions)


def mechanisms_chart(model):
    return per_model(model, "mechanisms_chart", lambda m: build_chart(
        m, mechanism_panels(m), figsize=(WIDTH_IN, 6.0), columns=1, legends=True))


def regions_chart(model):
    panels = region_panels(model)
    columns = min(2, len(panels))
    return per_model(model, "regions_chart", lambda m: build_chart(
        m, panels, figsize=(WIDTH_IN, 0.6 + 2.0 * -(-len(panels) // columns)), columns=columns,
        legends=False))


@solara.component
def Mechanisms(model_ref, day: int):
    """Supply by protocol, the firewall's waves and the services' shares (while its tab is
    open)."""
    ChartImage(mechanisms_chart, model_ref, day, "pp-mechanisms")


@solara.component
def Regions(model_ref, day: int):
    """Each region's availability, use and shutdowns, in small multiples."""
    ChartImage(regions_chart, model_ref, day, "pp-regions")
