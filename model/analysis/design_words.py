"""The experiment's design in words, for the report's header ("a Latin hypercube sample of
enforcement intensity from 0 to 1 and ..."), not in the file's keys."""

from __future__ import annotations

from .tables import fmt

KINDS = {
    "grid": "a full grid (every combination) of",
    "list": "a list of points of",
    "lhs": "a Latin hypercube sample of",
    "morris": "a Morris elementary-effects screening of",
    "sobol": "a Sobol (Saltelli) sample of",
}
SAMPLED = ("lhs", "morris", "sobol")


def design_words(design: dict) -> str:
    params = design.get("parameters") or {}
    kind = design.get("kind", "")
    if not params:
        return "a single point (no parameter varied)"
    parts = []
    for name, values in params.items():
        words = name.replace("_", " ")
        values = list(values)
        if kind in SAMPLED and len(values) == 2:
            parts.append(f"{words} from {fmt(values[0])} to {fmt(values[1])}")
        elif kind == "list":
            parts.append(words)
        else:
            shown = ", ".join(fmt(v) for v in values[:6]) + (", …" if len(values) > 6 else "")
            parts.append(f"{words} ({shown})")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{KINDS.get(kind, kind + ' design of')} {listed}"
