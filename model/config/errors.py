"""The one error bad input raises: it names the file, the key and what was expected."""

from __future__ import annotations


class ScenarioError(ValueError):
    """Bad scenario or experiment input. `str()` is the one-line message the CLI prints."""

    def __init__(self, source: str, key: str | None, expected: str, got: object = ...) -> None:
        self.source, self.key, self.expected, self.got = str(source), key, expected, got
        where = f"{self.source}: {key}" if key else self.source
        tail = "" if got is ... else f", got {_show(got)}"
        message = f"{where}: expected {expected}{tail}"
        # one line whatever the input: escape newlines and other control characters
        super().__init__("".join(c if c.isprintable() else repr(c)[1:-1] for c in message))


def _show(value: object) -> str:
    text = repr(value)                  # long values keep both ends (a path keeps its file)
    return text if len(text) <= 60 else text[:28] + "..." + text[-29:]
