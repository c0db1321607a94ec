"""A small SVG writer: elements through ElementTree, which escapes all text.

What ElementTree does not do: replace the characters XML 1.0 cannot hold at
all, write numbers the same way every time, and indent without touching text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
LINE_HEIGHT = 12.0
"""The height of a line of text, for text that takes several."""
# Characters XML 1.0 cannot carry at all, escaped or not.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def clean(text: str) -> str:
    """``text`` with what XML cannot hold replaced; ElementTree escapes the rest."""
    return _NOT_XML.sub("\ufffd", text)


def wrap(text: str, width: int, lines: int) -> list[str]:
    """At most ``lines`` lines of at most ``width`` characters; an ellipsis where it is cut."""
    words: list[str] = []
    for word in clean(text).split():
        words += [word[i : i + width] for i in range(0, len(word), width)]
    out: list[str] = []
    for word in words:
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    out = out or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return out


def indent(element: ET.Element, level: int = 0) -> None:
    """Indent the markup for readable diffs, but never inside text, where space shows."""
    if element.tag in ("text", "title", "desc") or not len(element):
        return
    element.text = "\n" + " " * (level + 1)
    for child in element:
        indent(child, level + 1)
        child.tail = "\n" + " " * (level + 1)
    element[-1].tail = "\n" + " " * level


class Canvas:
    """An SVG document under construction; attribute names are written Python-style."""

    def __init__(self, **attributes: str) -> None:
        self.root = ET.Element("svg", {"xmlns": SVG_NAMESPACE})
        for key, value in attributes.items():
            self.root.set(key.rstrip("_").replace("_", "-"), value)

    def add(self, parent: ET.Element | None, tag: str, **attributes: str | float) -> ET.Element:
        attrib = {
            key.rstrip("_").replace("_", "-"): num(value) if isinstance(value, float) else value
            for key, value in attributes.items()
        }
        return ET.SubElement(self.root if parent is None else parent, tag, attrib)

    def text(
        self, parent: ET.Element | None, x: float, y: float, lines: Sequence[str], **style: str
    ) -> ET.Element:
        node = self.add(parent, "text", x=x, y=y, **style)
        if len(lines) == 1:
            node.text = lines[0]
        else:
            for index, line in enumerate(lines):
                self.add(node, "tspan", x=x, dy="0" if index == 0 else num(LINE_HEIGHT)).text = line
        return node

    def title(self, parent: ET.Element, text: str) -> None:
        node = ET.Element("title")
        node.text = clean(text)
        parent.insert(0, node)
