"""Finding a curator's words in a seed: the span to cite, or what stands in the way.

A statement cites its seed by code point offsets, and counting them by hand
is where curation goes wrong. :func:`find_quote` looks for the words in a
seed's text and answers in one of four ways (:attr:`QuoteSearch.status`):

``exact``
    the words occur verbatim: every occurrence, each with its span, a W3C
    ``TextQuoteSelector`` and a ready :class:`~kpr_events.values.QuoteSpan`;
``normalised``
    they occur once both texts go through the Arabic profile of
    :mod:`kpr_events._arabic` (a hamza, a diacritic, a digit form apart): the
    seed's own words at that span, and each character that differs;
``near-miss``
    they do not occur even so: the stretch of the seed nearest to them (fewest
    edits after normalisation) and what differs;
``absent``
    nothing in the seed comes near.

The nearest stretch is found with Myers' bit-parallel edit distance, one pass
over the seed whatever the length of the words, so a long seed costs
milliseconds per kilobyte rather than a comparison of every window.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path
from typing import Literal

import attrs
import pydantic

from kpr_events._arabic import alignment_key, fold
from kpr_events._jsonio import read_text
from kpr_events._problems import from_pydantic
from kpr_events.errors import DataError, Problem
from kpr_events.values import QuoteSpan

__all__ = [
    "MAX_SEED_BYTES",
    "QuoteDifference",
    "QuoteMatch",
    "QuoteSearch",
    "find_quote",
    "find_quote_in_file",
]

MAX_SEED_BYTES = 16 * 1024 * 1024
"""The largest seed searched: a news article is kilobytes; this is a long book."""

CONTEXT = 32
"""Code points of context either side of a match, as the W3C selector's prefix and suffix."""

Status = Literal["exact", "normalised", "near-miss", "absent"]

_CONTROL_NAMES = {"\t": "CHARACTER TABULATION", "\n": "LINE FEED", "\r": "CARRIAGE RETURN"}


def _named(char: str) -> str:
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "")
    return f"U+{ord(char):04X} {name}".rstrip()


def _described(chars: str) -> str:
    """``'أ' (U+0623 ARABIC LETTER ALEF WITH HAMZA ABOVE)``; a long run by its length."""
    if not chars:
        return "nothing"
    if len(chars) <= 4:
        return f"{chars!r} ({', '.join(map(_named, chars))})"
    shown = chars if len(chars) <= 40 else chars[:39] + "…"
    return f"{shown!r} ({len(chars)} characters)"


@attrs.frozen
class QuoteDifference:
    """One place where the seed's text and the words given part.

    ``index`` counts code points from the start of the match; ``seed`` and
    ``given`` are what each has there, either possibly empty.
    """

    index: int
    offset: int
    seed: str
    given: str

    @property
    def message(self) -> str:
        where = self.index + 1
        if not self.seed:
            place = f"before character {where}" if self.index else "before the first character"
        elif len(self.seed) == 1:
            place = f"character {where}"
        else:
            place = f"characters {where}–{self.index + len(self.seed)}"
        return f"{place}: seed has {_described(self.seed)}, you gave {_described(self.given)}"

    def to_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "offset": self.offset,
            "seed": self.seed,
            "given": self.given,
            "message": self.message,
        }


NEAR_MISS = 0.8
"""The least similarity at which the nearest stretch is offered as the words meant;
below it, the words are reported absent and no quote is offered."""

DETAIL = 2000
"""The longest differing stretch compared character by character; a longer one is one difference."""

_WORD = re.compile(r"^\s+|\S+\s*")


def _in_detail(found: str, given: str, index: int, start: int) -> list[QuoteDifference]:
    """The differences within one stretch, ``found`` standing at ``index`` of the match.

    The two are aligned by their folded characters, so that ``٢٠٢٤`` lines up
    with ``2024`` digit by digit, and then compared code point by code point.
    """
    if len(found) > DETAIL or len(given) > DETAIL:
        return [QuoteDifference(index, start + index, found, given)]
    matcher = difflib.SequenceMatcher(
        None, [alignment_key(c) for c in found], [alignment_key(c) for c in given], autojunk=False
    )
    differences = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("equal", "replace") and i2 - i1 == j2 - j1:
            # Side by side: one difference per character, as a curator reads them.
            pairs = ((index + i, found[i], given[j1 + i - i1]) for i in range(i1, i2))
            differences += [QuoteDifference(i, start + i, a, b) for i, a, b in pairs if a != b]
        else:
            at = index + i1
            differences.append(QuoteDifference(at, start + at, found[i1:i2], given[j1:j2]))
    return differences


def _differences(found: str, given: str, start: int) -> tuple[QuoteDifference, ...]:
    """Where ``given`` departs from ``found``, the seed's text at ``start``.

    Words are lined up first and characters only within words that differ:
    aligning thousands of characters of a few dozen letters at once would take
    time quadratic in their number.
    """
    found_words, given_words = _WORD.findall(found), _WORD.findall(given)
    found_at = [0, *accumulate(map(len, found_words))]
    given_at = [0, *accumulate(map(len, given_words))]

    def key(word: str) -> str:
        return "".join(map(alignment_key, word))

    words = difflib.SequenceMatcher(None, list(map(key, found_words)), list(map(key, given_words)))
    differences = []
    for op, i1, i2, j1, j2 in words.get_opcodes():
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                if found_words[i] != given_words[j]:
                    differences += _in_detail(found_words[i], given_words[j], found_at[i], start)
        else:
            stretch = found[found_at[i1] : found_at[i2]]
            differences += _in_detail(
                stretch, given[given_at[j1] : given_at[j2]], found_at[i1], start
            )
    return tuple(differences)


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Me")


@attrs.frozen
class QuoteMatch:
    """A span of the seed: where the words are, or where they come nearest.

    ``distance`` counts the edits between the words and ``text`` after
    normalisation (0 for exact and normalised matches); ``similarity`` is the
    share of the words that needs none.
    """

    seed: str
    start: int
    end: int
    text: str
    prefix: str
    suffix: str
    differences: tuple[QuoteDifference, ...] = ()
    distance: int = 0
    similarity: float = 1.0

    def selector(self) -> dict[str, str]:
        """The match as a W3C Web Annotation ``TextQuoteSelector``."""
        return {
            "type": "TextQuoteSelector",
            "exact": self.text,
            "prefix": self.prefix,
            "suffix": self.suffix,
        }

    def quote_span(self) -> QuoteSpan:
        """The match as a quote for a record; a :class:`DataError` if it cannot be one.

        A seed named other than a seed may be, or a span holding a control
        character, cannot be cited.
        """
        data = {"seed": self.seed, "start": self.start, "end": self.end, "text": self.text}
        try:
            return QuoteSpan.model_validate(data)
        except pydantic.ValidationError as exc:
            raise DataError(from_pydantic(exc, self.seed)) from None

    def fragment(self) -> dict[str, object]:
        """The JSON of :meth:`quote_span`, to paste into a fixture's ``quote``."""
        return self.quote_span().model_dump(mode="json", exclude_none=True)

    def to_dict(self) -> dict[str, object]:
        try:
            fragment: dict[str, object] | None = self.fragment()
            problem = None
        except DataError as exc:
            fragment, problem = None, "; ".join(p.message for p in exc.problems)
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "distance": self.distance,
            "similarity": round(self.similarity, 4),
            "selector": self.selector(),
            "quote": fragment,
            "quote_problem": problem,
            "differences": [d.to_dict() for d in self.differences],
        }


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _match_lines(match: QuoteMatch, heading: str) -> Iterator[str]:
    yield heading
    for difference in match.differences:
        yield f"  {difference.message}"
    yield f"  selector: {_json(match.selector())}"
    try:
        yield f"  quote: {_json(match.fragment())}"
    except DataError as exc:
        yield f"  quote: none, this span cannot be cited ({exc.problems[0].message})"


def _match(
    seed_text: str, seed: str, start: int, end: int, given: str, distance: int, length: int
) -> QuoteMatch:
    """The match at ``start:end``, with context that never parts a letter from its marks."""
    before = max(0, start - CONTEXT)
    while before < start and _is_mark(seed_text[before]):
        before += 1
    after = min(len(seed_text), end + CONTEXT)
    while after < len(seed_text) and _is_mark(seed_text[after]):
        after += 1
    text = seed_text[start:end]
    return QuoteMatch(
        seed=seed,
        start=start,
        end=end,
        text=text,
        prefix=seed_text[before:start],
        suffix=seed_text[end:after],
        differences=() if text == given else _differences(text, given, start),
        distance=distance,
        similarity=1 - distance / length if length else 1.0,
    )


@attrs.frozen
class QuoteSearch:
    """What :func:`find_quote` found for ``given`` in ``seed``.

    ``matches`` holds every occurrence for ``exact`` and ``normalised``, the
    nearest stretch alone for ``near-miss``, and nothing for ``absent``;
    ``nearest`` is the least unlike stretch of an ``absent`` search, for
    information only: it is too unlike the words to be offered as their quote.
    """

    seed: str
    given: str
    status: Status
    matches: tuple[QuoteMatch, ...]
    nearest: QuoteMatch | None = None

    @property
    def found(self) -> bool:
        """Whether the words occur verbatim."""
        return self.status == "exact"

    def to_dict(self) -> dict[str, object]:
        return {
            "seed": self.seed,
            "given": self.given,
            "status": self.status,
            "matches": [m.to_dict() for m in self.matches],
            "nearest": None
            if self.nearest is None
            else {
                "start": self.nearest.start,
                "end": self.nearest.end,
                "similarity": round(self.nearest.similarity, 4),
            },
        }

    def report(self) -> list[str]:
        """The matches as lines for a terminal, each with its selector and quote in JSON."""
        lines: list[str] = []
        for number, match in enumerate(self.matches, start=1):
            span = f"{match.start}..{match.end}"
            if self.status == "near-miss":
                heading = f"nearest: {span} (similarity {match.similarity:.2f})"
            elif self.status == "normalised":
                heading = f"match {number} of {len(self.matches)} through normalisation: {span}"
            else:
                heading = f"match {number} of {len(self.matches)}: {span}"
            lines += _match_lines(match, heading)
        if self.nearest is not None:
            lines.append(
                f"least unlike: {self.nearest.start}..{self.nearest.end} (similarity "
                f"{self.nearest.similarity:.2f}, under {NEAR_MISS}): no quote offered"
            )
        return lines

    @property
    def verdict(self) -> str:
        """One line saying what was found."""
        count = len(self.matches)
        plural = "es" if count > 1 else ""
        if self.status == "exact":
            return f"{self.seed}: {count} exact match{plural}"
        if self.status == "normalised":
            return f"{self.seed}: no exact match; {count} match{plural} through normalisation"
        if self.status == "near-miss":
            nearest = self.matches[0]
            return (
                f"{self.seed}: no match, not even through normalisation; nearest is "
                f"{nearest.start}..{nearest.end}, similarity {nearest.similarity:.2f} "
                f"({nearest.distance} edit{'s' if nearest.distance != 1 else ''})"
            )
        return f"{self.seed}: no match, and nothing in the seed comes near"


def _occurrences(text: str, wanted: str) -> list[int]:
    """Every offset where ``wanted`` starts in ``text``, overlapping ones included."""
    found, at = [], text.find(wanted)
    while at >= 0:
        found.append(at)
        at = text.find(wanted, at + 1)
    return found


def _edit_scores(text: str, pattern: str, *, anchored: bool) -> Iterator[int]:
    """Edit distance from ``pattern`` to text ending at each position, by bit vectors.

    Myers (1999): one column of the edit-distance table per character of
    ``text``, held as bit vectors, so the cost is linear in ``len(text)``.
    Unanchored, the match may start anywhere (the best substring ending
    there); anchored, it starts at ``text[0]`` (a prefix of ``text``).
    """
    length = len(pattern)
    mask, top = (1 << length) - 1, 1 << (length - 1)
    equal: dict[str, int] = {}
    for bit, char in enumerate(pattern):
        equal[char] = equal.get(char, 0) | (1 << bit)
    plus, minus, score, carry = mask, 0, length, int(anchored)
    for char in text:
        eq = equal.get(char, 0)
        vertical = eq | minus
        horizontal = ((((eq & plus) + plus) & mask) ^ plus) | eq
        h_plus = minus | (mask ^ (horizontal | plus))
        h_minus = plus & horizontal
        if h_plus & top:
            score += 1
        elif h_minus & top:
            score -= 1
        h_plus = ((h_plus << 1) | carry) & mask
        h_minus = (h_minus << 1) & mask
        plus = h_minus | (mask ^ (vertical | h_plus))
        minus = h_plus & vertical
        yield score


def _nearest(seed: str, wanted: str) -> tuple[int, int, int] | None:
    """The span of ``seed`` nearest to ``wanted``, and its edit distance.

    None if the best stretch shares nothing with ``wanted``. Of equally near
    stretches, the first to end wins, and of those the shortest.
    """
    distance, end = len(wanted), 0
    for position, score in enumerate(_edit_scores(seed, wanted, anchored=False), start=1):
        if score < distance:
            distance, end = score, position
    if distance >= len(wanted):
        return None
    # Backwards from that end, the shortest stretch at the same distance gives
    # the start; a stretch that needs d edits is at most len(wanted) + d long.
    window = seed[max(0, end - len(wanted) - distance) : end][::-1]
    back = _edit_scores(window, wanted[::-1], anchored=True)
    length = next(n for n, score in enumerate(back, start=1) if score == distance)
    return end - length, end, distance


def find_quote(text_of_seed: str, wanted: str, *, seed: str) -> QuoteSearch:
    """Look for ``wanted`` in ``text_of_seed``, the text of the seed file named ``seed``.

    Raises :class:`DataError` (``invalid-value``) if ``wanted`` is empty or
    only white space.
    """
    if not wanted.strip():
        message = "the text to find is empty or only white space (expected the words to quote)"
        raise DataError([Problem("invalid-value", message, path=seed)])
    size = len(wanted)
    # A match that starts on a mark, or stops before one, parts a letter from its vowel
    # sign or hamza: not a quote, though the code points match.
    exact = [
        at
        for at in _occurrences(text_of_seed, wanted)
        if not _is_mark(text_of_seed[at])
        and not (at + size < len(text_of_seed) and _is_mark(text_of_seed[at + size]))
    ]
    if exact:
        matches = [_match(text_of_seed, seed, at, at + size, wanted, 0, size) for at in exact]
        return QuoteSearch(seed, wanted, "exact", tuple(matches))
    folded_wanted = fold(wanted).text
    if not folded_wanted.strip():
        return QuoteSearch(seed, wanted, "absent", ())
    folded = fold(text_of_seed)
    length = len(folded_wanted)
    spans = dict.fromkeys(
        folded.span(at, at + length) for at in _occurrences(folded.text, folded_wanted)
    )
    if spans:
        matches = [_match(text_of_seed, seed, s, e, wanted, 0, length) for s, e in spans]
        return QuoteSearch(seed, wanted, "normalised", tuple(matches))
    nearest = _nearest(folded.text, folded_wanted)
    if nearest is None:
        return QuoteSearch(seed, wanted, "absent", ())
    start, end = folded.span(nearest[0], nearest[1])
    match = _match(text_of_seed, seed, start, end, wanted, nearest[2], length)
    if match.similarity < NEAR_MISS:
        return QuoteSearch(seed, wanted, "absent", (), nearest=match)
    return QuoteSearch(seed, wanted, "near-miss", (match,))


def find_quote_in_file(path: str | Path, wanted: str) -> QuoteSearch:
    """:func:`find_quote` in the seed file at ``path``, cited by its file name."""
    path = Path(path)
    return find_quote(read_text(path, MAX_SEED_BYTES), wanted, seed=path.name)
