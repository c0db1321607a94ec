"""N-Triples and N-Quads terms and lines, written as text, one record at a time.

The export of a large dataset spends most of its time making terms; building
rdflib objects only to print them again costs several times what writing the
line does. Terms here are the strings that appear in the file.
"""

from __future__ import annotations

from functools import lru_cache

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _quoted(text: str) -> str:
    # The four characters N-Triples must escape in a string; everything else is UTF-8 as is.
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        text = text.translate(_ESCAPES)
    return f'"{text}"'


@lru_cache(maxsize=1024)
def _predicate(text: str) -> str:
    return f"<{text}>"  # a few hundred predicates, used again and again


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    if lang:
        return f"{_quoted(text)}@{lang}"
    if datatype:
        return f"{_quoted(text)}^^{_predicate(datatype)}"
    return _quoted(text)


class LineSink:
    """Collects a record's triples as lines, ending each with ``suffix`` (`` .`` or a graph)."""

    __slots__ = ("graph", "lines")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.graph = " .\n"

    def in_graph(self, name: str | None) -> None:
        """Write the following lines into the named graph ``name`` (N-Quads), or none."""
        self.graph = f" <{name}> .\n" if name else " .\n"

    def iri(self, text: str) -> str:
        return f"<{text}>"

    def literal(self, text: str, lang: str | None = None, datatype: str | None = None) -> str:
        return literal(text, lang, datatype)

    def bnode(self, label: str) -> str:
        return f"_:{label}"

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.lines.append(f"{subject} {_predicate(predicate)} {obj}{self.graph}")

    def take(self) -> tuple[str, int]:
        """The distinct lines collected so far, as one string, and how many; then start afresh.

        A graph holds a triple once, and one record can say a thing twice (an
        actor in two roles is a participant twice). No two records make the
        same triple, so a record's own lines are all that need comparing.
        """
        distinct = dict.fromkeys(self.lines)
        self.lines.clear()
        return "".join(distinct), len(distinct)
