"""The quote helper: real quotes found where they are recorded, retyped ones through
normalisation with every difference named, and the nearest text when nothing matches."""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kpr_events import (
    DataError,
    Dataset,
    QuoteMatch,
    QuoteSpan,
    Statement,
    find_quote,
    find_quote_in_file,
    load_dataset,
)
from kpr_events._arabic import fold
from kpr_events._resources import data_root
from kpr_events.quote import CONTEXT, DETAIL, MAX_SEED_BYTES, NEAR_MISS, _is_mark
from kpr_events.verify import quote_spans

from .conftest import PROJECT, Result, read_records, write_fixture
from .strategies import SAME_WHEN_FOLDED, foldable_texts, retyped, slices

Run = Callable[..., Result]

SEEDS = data_root() / "seeds"
DATASET = load_dataset()
TEXTS = {p.name: p.read_bytes().decode("utf-8") for p in sorted(SEEDS.glob("*.txt"))}
SPANS = [
    pytest.param(span, id=f"{record.id}{''.join(f'/{p}' for p in path)}")
    for record in DATASET
    for path, span in quote_spans(record)
]


def _quote(statement_id: str) -> QuoteSpan:
    return DATASET.get(statement_id, Statement).quote


def _applied(match: QuoteMatch) -> str:
    """The match's text with each of its differences made: what was given."""
    pieces, at = [], 0
    for difference in match.differences:
        pieces += [match.text[at : difference.index], difference.given]
        at = difference.index + len(difference.seed)
    return "".join([*pieces, match.text[at:]])


def _search(span: QuoteSpan, wanted: str) -> QuoteMatch:
    """The match of ``wanted`` at ``span``'s place in its seed; fails if there is none."""
    search = find_quote(TEXTS[span.seed], wanted, seed=span.seed)
    at = {(m.start, m.end): m for m in search.matches}
    assert (span.start, span.end) in at, search.verdict
    return at[span.start, span.end]


# Every recorded quote --------------------------------------------------------


@pytest.mark.parametrize("span", SPANS)
def test_every_recorded_quote_is_found_at_its_span(span: QuoteSpan) -> None:
    """Each quote of the packaged data is an exact match, its fragment the recorded span."""
    search = find_quote(TEXTS[span.seed], span.text, seed=span.seed)
    assert search.status == "exact"
    assert search.found
    assert all(m.text == span.text and not m.differences for m in search.matches)
    match = _search(span, span.text)
    recorded = span.model_dump(mode="json", exclude_none=True)
    recorded.pop("lang", None)
    assert match.fragment() == recorded
    assert QuoteSpan.model_validate(match.fragment()).text == span.text


def test_a_repeated_quote_lists_every_occurrence() -> None:
    """Seed 001 prints its headline twice: both places are matches, in order."""
    quote = _quote("001-putin-headline-invincible-friendship")
    text = TEXTS[quote.seed]
    search = find_quote(text, quote.text, seed=quote.seed)
    expected = []
    at = text.find(quote.text)
    while at >= 0:
        expected.append(at)
        at = text.find(quote.text, at + 1)
    assert len(expected) == 2
    assert [m.start for m in search.matches] == expected
    assert quote.start in expected


# Retyped quotes --------------------------------------------------------------

_HAMZA = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "و", "ئ": "ي"})
_TA_MARBUTA = str.maketrans({"ة": "ه"})
_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_SUBSTITUTIONS: dict[str, dict[int, Any]] = {
    "hamza": _HAMZA,
    "ta-marbuta": _TA_MARBUTA,
    "digits": _DIGITS,
}
# After these letters a word breaks: no tatweel can stretch them.
_NON_JOINING = "اأإآدذرزوؤءة"


def _is_letter(char: str) -> bool:
    return "\u0621" <= char <= "\u064a" and char != "\u0640"


def _insertion_points(text: str, joining: bool) -> list[int]:
    """After the first letter of each word, where another letter (not a mark) follows."""
    return [
        index + 1
        for index in range(len(text) - 1)
        if (index == 0 or not _is_letter(text[index - 1]))
        and _is_letter(text[index])
        and _is_letter(text[index + 1])
        and not (joining and text[index] in _NON_JOINING)
    ]


_INSERTIONS = {"tatweel": ("\u0640", True), "harakat": ("\u064e", False)}


def _retyped_cases() -> list[Any]:
    cases = []
    for statement in DATASET.statements:
        quote = statement.quote
        for kind in [*_SUBSTITUTIONS, *_INSERTIONS]:
            if kind in _SUBSTITUTIONS:
                points = [
                    i for i, c in enumerate(quote.text) if c.translate(_SUBSTITUTIONS[kind]) != c
                ]
            else:
                points = _insertion_points(quote.text, _INSERTIONS[kind][1])
            if points:
                cases.append(pytest.param(quote, kind, points, id=f"{statement.id}-{kind}"))
    return cases


@pytest.mark.parametrize(("span", "kind", "points"), _retyped_cases())
def test_retyped_quote_is_found_at_its_span(span: QuoteSpan, kind: str, points: list[int]) -> None:
    """A quote retyped without hamzas, with ه for ة, tatweel, harakat or Arabic-Indic digits
    is found at the recorded span, every change named, and the fragment holds the seed's text."""
    if kind in _SUBSTITUTIONS:
        wanted = span.text.translate(_SUBSTITUTIONS[kind])
        expected = [(i, span.text[i], wanted[i]) for i in points]
    else:
        mark = _INSERTIONS[kind][0]
        wanted = "".join(c + mark * (i + 1 in points) for i, c in enumerate(span.text))
        expected = [(i, "", mark) for i in points]
    search = find_quote(TEXTS[span.seed], wanted, seed=span.seed)
    assert search.status == "normalised"
    assert not search.found
    match = _search(span, wanted)
    assert [(d.index, d.seed, d.given) for d in match.differences] == expected
    assert all(d.offset == span.start + d.index for d in match.differences)
    assert match.fragment()["text"] == span.text
    assert _applied(match) == wanted


def test_a_difference_names_both_characters() -> None:
    """The message gives the position, each character and its Unicode name."""
    quote = _quote("000-dprk-announces-troops-under-treaty")
    match = _search(quote, quote.text.translate(_HAMZA))
    assert match.differences[0].message == (
        "character 1: seed has 'أ' (U+0623 ARABIC LETTER ALEF WITH HAMZA ABOVE), "
        "you gave 'ا' (U+0627 ARABIC LETTER ALEF)"
    )


# Near misses -----------------------------------------------------------------


def test_a_misquote_gives_the_nearest_text() -> None:
    """A word changed and a letter dropped: no match, the recorded span is nearest."""
    quote = _quote("000-kcna-article-4-decision")
    wanted = quote.text.replace("الرابعة", "الخامسة").replace("استنتاج", "استنتج", 1)
    search = find_quote(TEXTS[quote.seed], wanted, seed=quote.seed)
    assert search.status == "near-miss"
    [match] = search.matches
    assert (match.start, match.end) == (quote.start, quote.end)
    distance = _levenshtein(fold(quote.text).text, fold(wanted).text)
    assert match.distance == distance > 0
    assert match.similarity == pytest.approx(1 - distance / len(fold(wanted).text))
    assert _applied(match) == wanted
    assert match.fragment()["text"] == quote.text


def test_a_long_differing_stretch_is_one_difference() -> None:
    """Past DETAIL code points a stretch is not aligned letter by letter, and still rebuilds."""
    name = "002_c56f6673e88e0985.txt"
    text = TEXTS[name]
    wanted = text[:200] + "x" * (DETAIL + 100) + text[DETAIL + 300 : DETAIL + 1200]
    search = find_quote(text, wanted, seed=name)
    [match] = search.matches or (search.nearest,)
    assert match is not None
    [replaced] = [d for d in match.differences if "x" in d.given]
    assert "x" * (DETAIL + 100) in replaced.given
    assert len(replaced.seed) > DETAIL
    assert _applied(match) == wanted


def test_an_exact_match_never_parts_a_letter_from_its_mark() -> None:
    """Words that stop before a vowel sign are not verbatim: the span takes the sign and
    the report names it."""
    name = "001_9384911031feb3ac.txt"
    text = TEXTS[name]
    at = next(i for i in range(1, len(text)) if text[i] == "\u064f" and text[i - 1].isalpha())
    wanted = text[at - 8 : at]
    search = find_quote(text, wanted, seed=name)
    assert search.status == "normalised"
    assert any(m.start == at - 8 and m.end == at + 1 for m in search.matches)
    assert all("U+064F" in d.message for m in search.matches for d in m.differences)


def test_unlike_words_are_absent_with_no_quote_offered() -> None:
    """Below the similarity threshold the nearest stretch is information, not a quote."""
    name = "001_9384911031feb3ac.txt"
    search = find_quote(TEXTS[name], "ذهب الرجل إلى السوق في الصباح الباكر", seed=name)
    assert search.status == "absent"
    assert search.matches == ()
    assert search.nearest is not None
    assert search.nearest.similarity < NEAR_MISS
    assert not any("quote:" in line for line in search.report())
    assert search.to_dict()["matches"] == []


def test_nothing_alike_is_absent() -> None:
    search = find_quote(TEXTS["000_b95b3c31ac6a1fe8.txt"], "ЖЖЖ", seed="000_b95b3c31ac6a1fe8.txt")
    assert search.status == "absent"
    assert search.matches == ()


@pytest.mark.parametrize("wanted", ["", " ", "\n\t "])
def test_empty_text_is_an_error(wanted: str) -> None:
    with pytest.raises(DataError) as caught:
        find_quote("نص", wanted, seed="000_x.txt")
    assert caught.value.code == "invalid-value"


def _best_distance(text: str, pattern: str) -> int:
    """The fewest edits from ``pattern`` to any substring of ``text``, the slow way."""
    row = [0] * (len(text) + 1)
    for i, char in enumerate(pattern, start=1):
        new = [i]
        for j, other in enumerate(text, start=1):
            new.append(min(row[j] + 1, new[j - 1] + 1, row[j - 1] + (char != other)))
        row = new
    return min(row)


def _levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, char in enumerate(a, start=1):
        new = [i]
        for j, other in enumerate(b, start=1):
            new.append(min(row[j] + 1, new[j - 1] + 1, row[j - 1] + (char != other)))
        row = new
    return row[-1]


@given(
    text=st.text(alphabet="abcاأة ـ", max_size=40),
    wanted=st.text(alphabet="abcdاهـ", min_size=1, max_size=8),
)
def test_the_near_miss_is_the_nearest_substring(text: str, wanted: str) -> None:
    """The reported distance is the least over all substrings, and the span has it."""
    assume(fold(wanted).text.strip())
    search = find_quote(text, wanted, seed="s.txt")
    folded = fold(wanted).text
    best = _best_distance(fold(text).text, folded)
    if search.status in ("exact", "normalised"):
        assert best == 0
    elif search.status == "near-miss":
        [match] = search.matches
        assert match.distance == best > 0
        assert _levenshtein(fold(match.text).text, folded) == best
        assert match.similarity >= NEAR_MISS
    elif search.nearest is not None:  # absent, though something came within reach
        assert search.nearest.distance == best > 0
        assert search.nearest.similarity < NEAR_MISS
    else:
        assert best >= len(folded)


@given(text=foldable_texts, data=st.data())
def test_differences_rebuild_what_was_given(text: str, data: st.DataObject) -> None:
    """Made in turn on a match's text, the differences give back the words given."""
    wanted = data.draw(st.text(alphabet=text + "xyـً", min_size=1, max_size=20), "wanted")
    assume(wanted.strip())
    for match in find_quote(text, wanted, seed="s.txt").matches:
        assert _applied(match) == wanted


# Normalisation ---------------------------------------------------------------


@given(text=foldable_texts, data=st.data())
def test_the_offset_map_is_monotonic_and_maps_back(text: str, data: st.DataObject) -> None:
    """Every folded stretch comes from a stretch of the original that folds to it."""
    folded = fold(text)
    assert len(folded.starts) == len(folded.ends) == len(folded.text)
    assert list(folded.starts) == sorted(folded.starts)
    assert list(folded.ends) == sorted(folded.ends)
    assert all(s < e <= len(text) for s, e in zip(folded.starts, folded.ends, strict=True))
    assume(folded.text)
    start, end = data.draw(slices(folded.text))
    original = text[slice(*folded.span(start, end))]
    # A ligature folds to several letters; a stretch may take part of one.
    assert folded.text[start:end] in fold(original).text


@given(data=st.data(), text=foldable_texts)
def test_retyping_does_not_change_the_folded_text(data: st.DataObject, text: str) -> None:
    """The classes the docs list as one fold to one form, and removed characters vanish."""
    assert fold(data.draw(retyped(text))).text == fold(text).text


@pytest.mark.parametrize("group", SAME_WHEN_FOLDED)
def test_each_documented_class_folds_to_one_form(group: str) -> None:
    assert len({fold(f"ب{char}ب").text for char in group}) == 1


def test_removed_characters_are_the_documented_ones() -> None:
    """Harakat, Quranic marks, tatweel and invisible marks go; a bare hamza stays."""
    kept = "بءب"
    assert fold(kept).text == kept
    for char in "\u064b\u065f\u0670\u06d6\u06ed\u0610\u0640\u200b\u200f\ufeff":
        assert fold(f"ب{char}ب").text == "بب", unicodedata.name(char)


# Real seeds: any stretch, as given and as retyped -----------------------------

_SEED_NAMES = sorted(TEXTS)


@given(data=st.data())
def test_any_stretch_of_a_seed_is_found_where_it_is(data: st.DataObject) -> None:
    """A substring of a seed that keeps its letters' marks is an exact match at its own span,
    and every match is it."""
    name = data.draw(st.sampled_from(_SEED_NAMES), "seed")
    text = TEXTS[name]
    start, end = data.draw(slices(text), "span")
    wanted = text[start:end]
    assume(wanted.strip())
    assume(not _is_mark(text[start]) and not (end < len(text) and _is_mark(text[end])))
    search = find_quote(text, wanted, seed=name)
    assert search.status == "exact"
    assert (start, end) in {(m.start, m.end) for m in search.matches}
    for match in search.matches:
        assert text[match.start : match.end] == match.text == wanted
        _check_context(text, match)


def _check_context(text: str, match: QuoteMatch) -> None:
    """Prefix and suffix are the text either side, 32 code points, no mark cut off its letter."""
    assert text[match.start - len(match.prefix) : match.start] == match.prefix
    assert text[match.end : match.end + len(match.suffix)] == match.suffix
    window = text[max(0, match.start - CONTEXT) : match.start]
    assert window.endswith(match.prefix)
    assert all(unicodedata.category(c) == "Mn" for c in window[: len(window) - len(match.prefix)])
    assert not match.prefix or unicodedata.category(match.prefix[0]) != "Mn"
    assert match.suffix.startswith(text[match.end : match.end + CONTEXT])
    after = match.end + len(match.suffix)
    assert after == len(text) or unicodedata.category(text[after]) != "Mn"
    assert match.selector() == {
        "type": "TextQuoteSelector",
        "exact": match.text,
        "prefix": match.prefix,
        "suffix": match.suffix,
    }


@given(data=st.data())
def test_a_retyped_stretch_is_found_through_normalisation(data: st.DataObject) -> None:
    """Retyped, a stretch of a seed is found, each match folding to the words given."""
    name = data.draw(st.sampled_from(_SEED_NAMES), "seed")
    text = TEXTS[name]
    start, end = data.draw(slices(text, max_size=80), "span")
    wanted = data.draw(retyped(text[start:end]), "retyped")
    assume(fold(wanted).text.strip())
    search = find_quote(text, wanted, seed=name)
    assert search.status in ("exact", "normalised")
    for match in search.matches:
        assert fold(match.text).text == fold(wanted).text
        assert _applied(match) == wanted
        _check_context(text, match)
    # Verbatim occurrences elsewhere win over this one; failing those, a stretch
    # whose ends are kept by the profile, and that leaves no mark of its last
    # letter outside, is found at its own span.
    following = text[end : end + 1]
    plain = all(fold(c).text.strip() for c in (text[start], text[end - 1])) and not (
        following and unicodedata.category(following) == "Mn"
    )
    if search.status == "normalised" and plain:
        assert (start, end) in {(m.start, m.end) for m in search.matches}


# Files -----------------------------------------------------------------------


def test_a_file_is_cited_by_its_name() -> None:
    path = SEEDS / "000_b95b3c31ac6a1fe8.txt"
    search = find_quote_in_file(path, "كورسك")
    assert search.seed == path.name
    assert {m.fragment()["seed"] for m in search.matches} == {path.name}


def test_a_seed_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "000_big.txt"
    with path.open("wb") as f:
        f.truncate(MAX_SEED_BYTES + 1)
    with pytest.raises(DataError) as caught:
        find_quote_in_file(path, "x")
    assert caught.value.code == "too-large"
    assert caught.value.path == str(path)


def test_a_span_that_cannot_be_cited_says_why(tmp_path: Path) -> None:
    """A seed name a QuoteSpan refuses: the match is reported, its quote is not offered."""
    path = tmp_path / "notes.md"
    path.write_text("قال الرئيس", encoding="utf-8")
    [match] = find_quote_in_file(path, "الرئيس").matches
    with pytest.raises(DataError) as caught:
        match.quote_span()
    assert caught.value.pointer == "/seed"
    assert match.to_dict()["quote"] is None
    assert "notes.md" in str(match.to_dict()["quote_problem"])


# The command line ------------------------------------------------------------

_SEED = SEEDS / "000_b95b3c31ac6a1fe8.txt"


def test_cli_exact_match(run: Run) -> None:
    """Exit 0; the quote line is a QuoteSpan to paste; the verdict goes to stderr."""
    quote = _quote("000-dprk-announces-troops-under-treaty")
    result = run("quote", SEEDS / quote.seed, quote.text)
    assert result.status == 0
    lines = result.out.splitlines()
    assert lines[0] == f"match 1 of 1: {quote.start}..{quote.end}"
    pasted = next(line for line in lines if line.startswith("  quote: "))
    assert QuoteSpan.model_validate(json.loads(pasted.removeprefix("  quote: "))) == quote
    selector = next(line for line in lines if line.startswith("  selector: "))
    assert json.loads(selector.removeprefix("  selector: "))["exact"] == quote.text
    assert result.err == f"{quote.seed}: 1 exact match\n"


def test_cli_numbers_several_matches(run: Run) -> None:
    quote = _quote("001-putin-headline-invincible-friendship")
    result = run("quote", SEEDS / quote.seed, quote.text)
    assert result.status == 0
    headings = [line for line in result.out.splitlines() if line.startswith("match ")]
    assert [h.split(":")[0] for h in headings] == ["match 1 of 2", "match 2 of 2"]
    assert f"{quote.start}..{quote.end}" in "".join(headings)


def test_cli_normalised_match_exits_1_and_names_the_differences(run: Run) -> None:
    quote = _quote("000-dprk-announces-troops-under-treaty")
    result = run("quote", SEEDS / quote.seed, quote.text.translate(_HAMZA))
    assert result.status == 1
    assert f"through normalisation: {quote.start}..{quote.end}" in result.out
    assert "seed has 'أ' (U+0623 ARABIC LETTER ALEF WITH HAMZA ABOVE)" in result.out
    assert "no exact match" in result.err


def test_cli_json(run: Run) -> None:
    """--format json: the status, and each match's quote validates as a QuoteSpan."""
    quote = _quote("000-kcna-article-4-decision")
    wanted = quote.text.replace("الرابعة", "الخامسة")
    result = run("quote", "--format", "json", SEEDS / quote.seed, wanted)
    assert result.status == 1
    assert result.err == ""
    report = json.loads(result.out)
    assert (report["seed"], report["given"], report["status"]) == (quote.seed, wanted, "near-miss")
    [match] = report["matches"]
    assert QuoteSpan.model_validate(match["quote"]) == quote
    assert match["selector"]["type"] == "TextQuoteSelector"
    assert match["distance"] == _levenshtein(quote.text, wanted)
    assert [d["offset"] for d in match["differences"]] == [
        quote.start + i for i, (a, b) in enumerate(zip(quote.text, wanted, strict=True)) if a != b
    ]


def test_cli_json_exact(run: Run) -> None:
    quote = _quote("000-dprk-announces-troops-under-treaty")
    result = run("quote", SEEDS / quote.seed, quote.text, "--format", "json")
    assert result.status == 0
    report = json.loads(result.out)
    assert report["status"] == "exact"
    assert [QuoteSpan.model_validate(m["quote"]) for m in report["matches"]] == [quote]


def _one_line_error(result: Result, *needles: str) -> None:
    assert result.status == 1
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert "Traceback" not in result.err
    for needle in needles:
        assert needle in result.err


def test_cli_refuses_a_seed_that_is_not_utf8(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "000_bad.txt"
    path.write_bytes("قال\n".encode() + b"\xff\xfe")
    result = run("quote", path, "قال")
    _one_line_error(result, str(path), "byte 7 (0xff) is not valid UTF-8", "[not-utf8]", ":2")


def test_cli_reports_a_missing_seed(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "missing.txt"
    _one_line_error(run("quote", path, "قال"), str(path), "[file-unreadable]")


def test_cli_refuses_empty_text(run: Run) -> None:
    _one_line_error(run("quote", _SEED, "  "), "empty", "[invalid-value]")


def test_cli_output_cannot_steer_the_terminal(run: Run, tmp_path: Path) -> None:
    """A bidi override in the seed is shown escaped, and its span is not offered as a quote."""
    path = tmp_path / "000_rlo.txt"
    path.write_text("قال \u202eالرئيس\u202c اليوم", encoding="utf-8")
    result = run("quote", path, "قال الرئيس")
    assert result.status == 1  # found only once the invisible override is folded away
    assert "\u202e" not in result.out + result.err
    assert "\\u202e" in result.out
    assert "quote: none, this span cannot be cited" in result.out


# The curation guide ----------------------------------------------------------

GUIDE = PROJECT / "docs" / "curation.md"
needs_guide = pytest.mark.skipif(not GUIDE.is_file(), reason="needs the source checkout")


def _section(title: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    return text.split(f"\n{title}\n", 1)[1].split("\n#", 1)[0]


def _items(cell: str) -> list[str]:
    """The characters a cell of the profile table names: `code spans` and U+XXXX[–U+YYYY]."""
    items = re.findall(r"`([^`]+)`", cell)
    for first, last in re.findall(r"U\+([0-9A-F]{4})(?:–U\+([0-9A-F]{4}))?", cell):
        items += [chr(c) for c in range(int(first, 16), int(last or first, 16) + 1)]
    return items


def _profile_rows() -> list[tuple[str, str]]:
    """The first two cells of each row of the guide's profile table."""
    if not GUIDE.is_file():
        return []
    rows = []
    for line in _section("### The normalisation profile").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("in the seed", "---"):
            rows.append((cells[0], cells[1]))
    return rows


@needs_guide
@pytest.mark.parametrize(("seed", "matches"), _profile_rows())
def test_the_documented_profile_is_the_profile(seed: str, matches: str) -> None:
    """Each row of the guide's table: the seed's characters fold to what the row says."""
    given, expected = _items(seed), _items(matches)
    assert given
    if matches == "removed":
        expected = [""] * len(given)
    elif len(expected) == 1:
        expected = expected * len(given)
    assert len(expected) == len(given)
    for char, folded in zip(given, expected, strict=True):
        assert fold(f"ب{char}ب").text == f"ب{folded}ب", f"U+{ord(char[0]):04X}"


@needs_guide
def test_the_guide_shows_what_the_helper_prints(run: Run) -> None:
    """Each `$ kpr-events quote` example in the guide prints, today, what the guide shows."""
    blocks = re.findall(r"```console\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 3
    for block in blocks:
        command, shown = block.split("\n", 1)
        args = shlex.split(command.removeprefix("$ kpr-events "))
        args[1] = str(PROJECT / args[1])
        result = run(*args)
        assert result.out + result.err == shown


def test_the_curation_steps_catch_a_wrong_span(
    run: Run, dataset_dir: Path, extension_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/curation.md, followed in a working copy: a seed, its hash, a source, a statement
    pasted from `quote --format json`; `validate .` and `verify --data .` pass it, and catch
    a span one code point off."""
    monkeypatch.chdir(dataset_dir)
    seed = Path("seeds/005_example.txt")
    shutil.copy(extension_dir / "seeds" / "example-001.txt", seed)  # an illustration, not news
    digest = hashlib.sha256(seed.read_bytes()).hexdigest()
    with Path("seeds/SHA256SUMS").open("a", encoding="utf-8") as manifest:
        manifest.write(f"{digest}  {seed.name}\n")
    words = "هذه جملة توضيحية"
    found = json.loads(run("quote", seed, words, "--format", "json").out)
    [span] = [m["quote"] for m in found["matches"]]
    sources = read_records(Path("fixtures/sources.json"))
    source = {"id": "source-005", "type": "Source", "language": "ar"}
    source |= {"published": {"edtf": "2026-11"}, "seed": seed.name, "sha256": digest}
    write_fixture(Path("fixtures/sources.json"), [*sources, source])
    statement = {"id": "005-example", "type": "Statement", "kind": "direct_quote"}
    statement |= {"speaker": "putin", "source": "source-005", "quote": span}
    statement |= {"translation": {"text": "This illustrative sentence."}}
    write_fixture(Path("fixtures/statements-005.json"), [statement])
    assert run("validate", ".").status == 0
    assert run("verify", "--data", ".").status == 0
    statement["quote"] = {**span, "start": span["start"] - 1, "end": span["end"] - 1}
    write_fixture(Path("fixtures/statements-005.json"), [statement])
    assert "[quote-mismatch]" in run("validate", ".").out
    assert run("verify", "--data", ".").status == 1


def test_a_seed_can_be_named_instead_of_found(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dataset: Dataset
) -> None:
    """From any folder, a packaged seed's name is enough; a name no seed has stays an error."""
    monkeypatch.chdir(tmp_path)
    statement = dataset.statements[0]
    found = run("quote", statement.quote.seed, statement.quote.text, "--format", "json")
    assert found.status == 0
    spans = [(m["start"], m["end"]) for m in json.loads(found.out)["matches"]]
    assert (statement.quote.start, statement.quote.end) in spans
    missing = run("quote", "no-such-seed.txt", "x")
    assert missing.status == 1
    assert missing.err.startswith("no-such-seed.txt: cannot read the file")
