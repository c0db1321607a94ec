"""A forgiving comparison profile for Arabic text, with a map back to the original.

Curators retype quotes, or copy them from another rendering of the article,
and the words come back with a hamza dropped, a diacritic added, a ``ـ``
stretching a letter or ``٢٠٢٤`` for ``2024``. :func:`fold` brings both the
seed and the curator's words to one form so that such quotes are still found,
and keeps, for every folded character, the stretch of the original text it
came from, so that a match is reported as a span of the seed itself.

The profile, character by character (``docs/curation.md`` has the table):

- compatibility forms are decomposed (NFKD), so presentation forms and
  ligatures (``ﻻ``, ``ﷲ``) become plain letters and a precomposed letter
  equals its decomposed spelling;
- Arabic combining marks (category Mn in U+0600–U+08FF: harakat U+064B–U+065F,
  superscript alef U+0670, Quranic marks) are removed. This also removes the
  hamza and madda that NFKD splits off ``أ إ آ ؤ ئ``, so a hamza folds to
  its seat: ``أ إ آ → ا``, ``ؤ → و``, ``ئ → ي``. A bare hamza ``ء`` stays;
- ``ٱ ٲ ٳ → ا``, ``ة → ه``, ``ى → ي``, and the Persian forms ``ی → ي``,
  ``ک → ك``;
- Arabic-Indic (U+0660–U+0669) and Extended Arabic-Indic (U+06F0–U+06F9)
  digits become ASCII digits; ``٫ → .``, ``٬ → ,``, ``٪ → %``;
- Arabic punctuation ``، ؛ ؟ ۔`` becomes ``, ; ? .``, typographic quotation
  marks ``“ ” „ « »`` become ``"``, ``‘ ’ ‚`` become ``'`` and dashes ``–``,
  ``—``, ``−``… become ``-``;
- tatweel ``ـ``, the soft hyphen and invisible format characters (zero-width
  space and joiners, direction marks and controls, the byte order mark) are
  removed;
- a run of white space of any kind (line breaks included) is one space.

Latin letter case is left alone: a quote's capitals are the source's.
"""

from __future__ import annotations

import unicodedata
from array import array
from functools import lru_cache
from itertools import repeat

import attrs

__all__ = ["Folded", "alignment_key", "fold", "fold_char"]

_INVISIBLE = frozenset(
    "\u0640\u00ad\u061c\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Removed outright: tatweel, soft hyphen, zero-width and direction marks, BOM."""

_LETTERS = {
    "\u0671": "\u0627",  # ٱ alef wasla
    "\u0672": "\u0627",  # ٲ alef with wavy hamza above
    "\u0673": "\u0627",  # ٳ alef with wavy hamza below
    "\u0629": "\u0647",  # ة ta marbuta -> ه
    "\u0649": "\u064a",  # ى alef maqsura -> ي
    "\u06cc": "\u064a",  # ی Farsi yeh -> ي
    "\u06a9": "\u0643",  # ک keheh -> ك
    "\u066b": ".",  # ٫ Arabic decimal separator
    "\u066c": ",",  # ٬ Arabic thousands separator
    "\u066a": "%",  # ٪ Arabic percent sign
    "\u060c": ",",  # ، Arabic comma
    "\u061b": ";",  # ؛ Arabic semicolon
    "\u061f": "?",  # ؟ Arabic question mark
    "\u06d4": ".",  # ۔ Arabic full stop
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb", '"'),  # “ ” „ ‟ « »
    **dict.fromkeys("\u2018\u2019\u201a\u201b", "'"),  # ‘ ’ ‚ ‛
    **dict.fromkeys("\u2010\u2012\u2013\u2014\u2015\u2212", "-"),  # ‐ ‒ – — ― −
    **{chr(0x0660 + n): str(n) for n in range(10)},
    **{chr(0x06F0 + n): str(n) for n in range(10)},
}


def _is_arabic_mark(char: str) -> bool:
    return 0x0600 <= ord(char) <= 0x08FF and unicodedata.category(char) == "Mn"


@lru_cache(maxsize=1 << 16)  # bounded: a hostile seed may hold every code point
def fold_char(char: str) -> str:
    """What one non-space character folds to: often itself, sometimes several or none."""
    if char in _INVISIBLE:
        return ""
    # A spacing form of a mark (U+FE70, ¨) decomposes to a space and the mark;
    # the space is no part of the text.
    parts = unicodedata.normalize("NFKD", char).lstrip(" ")
    return "".join(_LETTERS.get(part, part) for part in parts if not _is_arabic_mark(part))


def alignment_key(char: str) -> str:
    """What one character is compared as, when lining up two texts for a diff.

    Its folded form, a space for white space, and itself for a character that
    folds to nothing, so that a mark lines up only with the same mark.
    """
    return " " if char.isspace() else (fold_char(char) or char)


@attrs.frozen
class Folded:
    """Text in folded form, and where each of its characters came from.

    Folded character ``i`` stands for ``original[starts[i]:ends[i]]``: its own
    code point, the marks that follow it, or a whole run of white space.
    Both arrays are non-decreasing.
    """

    text: str
    starts: array[int]
    ends: array[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``text[start:end]`` (``start < end``)."""
        return self.starts[start], self.ends[end - 1]


def fold(text: str) -> Folded:
    """``text`` through the profile, with its map back to ``text``'s code points."""
    out: list[str] = []
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    in_space = False
    for index, char in enumerate(text):
        if char.isspace():
            if in_space:
                ends[-1] = index + 1
            else:
                out.append(" ")
                starts.append(index)
                ends.append(index + 1)
                in_space = True
            continue
        folded = fold_char(char)
        if folded:
            # The cached string itself, not its characters: a long seed costs
            # a reference per character, not a new string.
            out.append(folded)
            starts.extend(repeat(index, len(folded)))
            ends.extend(repeat(index + 1, len(folded)))
            in_space = False
        elif char not in _INVISIBLE and ends:
            # A mark belongs to the character before it: a span never parts them.
            ends[-1] = index + 1
    return Folded("".join(out), starts, ends)
