"""Keys to what the drawings mark without words: the charts' event lines, sensitive-period bands
and today's line; the network's institution shapes and what their fill and rim mean.

In HTML under each drawing rather than inside the PNG: text in the page stays sharp and
readable at any window size, costs nothing per frame, and a screen reader reads it. Every
swatch is a small inline SVG drawn in `palette`'s colours, so a key matches its drawing.
"""

from __future__ import annotations

import html

from . import palette

_SIZE = 14


def _svg(body: str, width: int = _SIZE) -> str:
    return (f'<svg width="{width}" height="{_SIZE}" viewBox="0 0 {width} {_SIZE}" '
            f'aria-hidden="true" style="vertical-align:middle">{body}</svg>')


def _line(colour: str, dash: str = "", width: float = 1.5) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return _svg(f'<line x1="7" y1="1" x2="7" y2="13" stroke="{colour}" stroke-width="{width}"'
                f"{dashes}/>")


_SHAPES = {   # matplotlib marker -> SVG points in a 14 px box
    "s": "2,2 12,2 12,12 2,12",
    "D": "7,1 13,7 7,13 1,7",
    "p": "7,1 13,5.5 10.7,13 3.3,13 1,5.5",
    "h": "7,1 12.2,4 12.2,10 7,13 1.8,10 1.8,4",
    "^": "7,1.5 13,12.5 1,12.5",
}
_KIND_LABELS = {"regulator": "regulator", "foreign": "foreign platform",
                "partner": "local partner of a foreign cloud", "domestic": "domestic platform",
                "hub": "VPN channel without a platform (sellers, offshore services)"}


def _shape(marker: str, fill: str, edge: str, edge_width: float = 1.0) -> str:
    return _svg(f'<polygon points="{_SHAPES[marker]}" fill="{fill}" stroke="{edge}" '
                f'stroke-width="{edge_width}"/>')


def _items(entries: list[tuple[str, str]], css: str) -> str:
    spans = "".join(f'<span style="white-space:nowrap;margin-right:14px">{swatch} '
                    f"{html.escape(label)}</span> " for swatch, label in entries)
    return (f'<div class="{css}" style="font-size:12px;line-height:1.9;color:#333">'
            f"{spans}</div>")


def chart_key_html() -> str:
    """What the lines and bands behind every chart's data mean."""
    band = _svg(f'<rect x="1" y="1" width="12" height="12" fill="{palette.PERIOD_BAND}" '
                'fill-opacity="0.45"/>')
    return _items([
        (_line(palette.EVENT_LINE), "dated event: directive, law or block (its number is in "
                                    "the list below)"),
        (_line(palette.EVENT_LINE, "3,2"), "marker event"),
        (band, "sensitive period"),
        (_line("#444444", "2,2", 1.0), "today"),
    ], "pp-chart-key")


def network_key_html(drawn: int, total: int) -> str:
    """The institutions' shapes, their fill and rim, and how many users are drawn."""
    entries = [(_shape(marker, colour, colour), _KIND_LABELS[kind])
               for kind, (marker, colour) in palette.KIND.items()]
    entries += [(_shape("D", "white", palette.SIDE["foreign"]), "white: exited"),
                (_shape("D", palette.SIDE["foreign"], palette.STATE["punished"], 2.2),
                 "red rim: suspended or sanctioned"),
                (_svg(f'<line x1="1" y1="7" x2="13" y2="7" stroke="{palette.STATE["using"]}" '
                      'stroke-width="1.5"/>'), "a user's VPN comes from there")]
    note = (f'<div style="font-size:12px;color:#333">{drawn:,} of {total:,} users drawn: a fixed '
            "neighbourhood sample.</div>")
    return note + _items(entries, "pp-network-key")
