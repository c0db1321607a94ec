"""Hypothesis strategies for kpr-events data, shared by every property test.

Record strategies draw JSON-ready dicts that the model accepts (their
references need not resolve); :func:`mutations` breaks them in random ways.
"""

from __future__ import annotations

import calendar
import copy
import string
from typing import Any

from hypothesis import strategies as st

from kpr_events._fields import MAX_ID_LENGTH

# ---------------------------------------------------------------------------
# Scalars

slugs = (
    st.lists(
        st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=10),
        min_size=1,
        max_size=4,
    )
    .map("-".join)
    .filter(lambda s: len(s) <= MAX_ID_LENGTH)
)

lang_tags = st.sampled_from(["en", "ar", "ru", "ko", "uk", "en-GB", "ar-Latn", "zh-Hans"])

# What Text refuses: control characters (but tab and line breaks), bidi
# embedding/override/isolate controls, and the noncharacters U+FFFE/U+FFFF.
_REFUSED = "".join(
    map(
        chr,
        [
            *range(0x09),
            0x0B,
            0x0C,
            *range(0x0E, 0x20),
            *range(0x7F, 0xA0),
            *range(0x202A, 0x202F),
            *range(0x2066, 0x206A),
            0xFFFE,
            0xFFFF,
        ],
    )
)
texts = st.one_of(
    st.text(
        alphabet=st.characters(exclude_categories=("Cs",), exclude_characters=_REFUSED),
        min_size=1,
        max_size=40,
    ),
    # Arabic with diacritics and punctuation, as the seeds have.
    st.text(alphabet="ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإئؤةى ًٌٍَُِّْ،؛؟«»\"'", min_size=1, max_size=40),
)

# Labels (names, titles): one line, no space at either end.
labels = texts.map(lambda text: " ".join(text.split())).filter(bool)

qids = st.integers(min_value=1, max_value=10**9).map(lambda n: f"Q{n}")
seed_names = st.from_regex(r"\A[0-9]{3}_[0-9a-f]{16}\.txt\Z")
sha256s = st.from_regex(r"\A[0-9a-f]{64}\Z")
numbers = st.one_of(
    st.integers(min_value=0, max_value=10**7),
    st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False),
)

# ---------------------------------------------------------------------------
# Dates


@st.composite
def edtf_dates(draw: st.DrawFn, qualified: bool = True, precision: str | None = None) -> str:
    """A valid single EDTF date at year, month or day precision."""
    year = draw(st.integers(min_value=1, max_value=9999))
    precision = precision or draw(st.sampled_from(["year", "month", "day"]))
    text = f"{year:04d}"
    if precision != "year":
        month = draw(st.integers(min_value=1, max_value=12))
        text += f"-{month:02d}"
        if precision == "day":
            day = draw(st.integers(min_value=1, max_value=calendar.monthrange(year, month)[1]))
            text += f"-{day:02d}"
    if qualified:
        text += draw(st.sampled_from(["", "", "?", "~", "%"]))
    return text


@st.composite
def edtf_values(draw: st.DrawFn) -> str:
    """A valid EDTF date or interval (with ordered ends)."""
    from kpr_events.dates import parse_edtf

    form = draw(st.sampled_from(["date", "date", "interval", "set"]))
    if form == "date":
        return draw(edtf_dates())
    if form == "set":
        members = []
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            first = draw(edtf_dates(qualified=False))
            # A run's ends share a precision.
            second = draw(edtf_dates(qualified=False, precision=parse_edtf(first).precision))
            pair = sorted([first, second], key=lambda d: parse_edtf(d).earliest)
            members.append(f"{pair[0]}..{pair[1]}" if draw(st.booleans()) else pair[0])
        if len(members) == 1 and ".." not in members[0]:
            members.append(members[0])  # a set has two members, or a run
        return f"[{','.join(members)}]"
    # Ordered by first day, the second cannot end before the first starts.
    start, end = sorted(
        [draw(edtf_dates()), draw(edtf_dates())], key=lambda d: parse_edtf(d).earliest
    )
    shape = draw(st.sampled_from(["closed", "open_end", "unknown_end", "unknown_start"]))
    return {
        "closed": f"{start}/{end}",
        "open_end": f"{start}/..",
        "unknown_end": f"{start}/",
        "unknown_start": f"/{end}",
    }[shape]


def _optional(draw: st.DrawFn, data: dict[str, Any], key: str, strategy: Any) -> None:
    if draw(st.booleans()):
        data[key] = draw(strategy)


@st.composite
def date_values(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {"edtf": draw(edtf_values())}
    _optional(draw, data, "said_as", texts)
    _optional(draw, data, "relative_to", slugs)
    _optional(draw, data, "inferred_from", texts)
    if data["edtf"].startswith("["):
        # Each member of a set is a reading within it.
        members = data["edtf"][1:-1].split(",")
        chosen = draw(st.lists(st.sampled_from(members), max_size=2, unique=True))
        if chosen:
            data["readings"] = [
                {"edtf": m.replace("..", "/"), "rests_on": draw(texts)} for m in chosen
            ]
    return data


# ---------------------------------------------------------------------------
# Values

names = st.builds(
    lambda en, others: {"en": en, **others},
    labels,
    st.dictionaries(lang_tags.filter(lambda t: t != "en"), labels, max_size=2),
)
aliases = st.dictionaries(
    lang_tags, st.lists(labels, min_size=1, max_size=2, unique=True), max_size=2
)
wikidata = st.builds(
    lambda qid, certainty: {"qid": qid, **certainty},
    qids,
    st.sampled_from([{}, {"certainty": "checked"}, {"certainty": "uncertain"}]),
)


@st.composite
def quote_spans(draw: st.DrawFn) -> dict[str, Any]:
    text = draw(texts)
    start = draw(st.integers(min_value=0, max_value=10**6))
    return {"seed": draw(seed_names), "start": start, "end": start + len(text), "text": text}


@st.composite
def figures(draw: st.DrawFn, quote: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "measure": draw(st.sampled_from(["troops_sent", "troops_fighting", "deaths", "other"])),
        "counts": draw(texts),
        "unit": draw(st.sampled_from(["person", "km2", "visit"])),
    }
    if draw(st.booleans()):
        data["value"] = draw(numbers)
    else:
        bounds = sorted(draw(st.lists(numbers, min_size=1, max_size=3)))
        keys = draw(
            st.sampled_from([("low", "best", "high"), ("low", "high"), ("low",), ("high",)])
        )
        for key, number in zip(keys, bounds, strict=False):
            data[key] = number
    data["qualifier"] = draw(st.sampled_from(["exact", "about", "more_than", "at_least"]))
    if quote:
        start = draw(st.integers(min_value=0, max_value=len(quote) - 1))
        end = draw(st.integers(min_value=start + 1, max_value=len(quote)))
        data["text"] = quote[start:end]
    return data


@st.composite
def roles(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(
        st.fixed_dictionaries(
            {"title": names},
            optional={"of": slugs, "position": qids, "according_to": st.lists(slugs, max_size=2)},
        )
    )
    # A role ends only if it is former, and not before it starts.
    start, end = sorted(draw(st.lists(edtf_dates(qualified=False), min_size=2, max_size=2)))
    if draw(st.booleans()):
        data["start"] = {"edtf": start}
    if draw(st.booleans()):
        data["status"] = "former"
        if draw(st.booleans()):
            data["end"] = {"edtf": end}
    return data


participants = st.fixed_dictionaries(
    {"actor": slugs, "role": st.sampled_from(["attacker", "defender", "sender", "host"])},
    optional={"side": slugs},
)
legal_bases = st.fixed_dictionaries(
    {"invokes": slugs, "invoked_by": st.lists(slugs, min_size=1, max_size=2)}
)
stances = st.fixed_dictionaries(
    {"statement": slugs, "relation": st.sampled_from(["answers", "disputes", "denies"])}
)
notes = st.lists(texts, max_size=2)

# ---------------------------------------------------------------------------
# Records


def _record(kind: str, required: dict[str, Any], optional: dict[str, Any]) -> Any:
    return st.fixed_dictionaries(
        {"id": slugs, "type": st.just(kind), **required}, optional={"notes": notes, **optional}
    )


@st.composite
def actors(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["person", "state", "organization", "group"]))
    optional: dict[str, Any] = {"aliases": aliases, "description": texts, "wikidata": wikidata}
    if kind != "state":
        optional["country"] = slugs
    if kind == "person":
        optional["roles"] = st.lists(roles(), max_size=2)
        optional["deceased"] = st.booleans()
    if kind in ("organization", "group"):
        optional["subkind"] = st.sampled_from(["ministry", "news_agency", "party_body"])
        optional["parent"] = slugs
    return draw(_record("Actor", {"kind": st.just(kind), "name": names}, optional))


places = _record(
    "Place",
    {"kind": st.sampled_from(["city", "region", "site"]), "name": names},
    {"aliases": aliases, "wikidata": wikidata, "within": slugs},
)


@st.composite
def treaties(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(
        _record(
            "Treaty",
            {"kind": st.sampled_from(["treaty", "agreement"]), "name": names},
            {
                "aliases": aliases,
                "wikidata": wikidata,
                "parties": st.lists(slugs, max_size=3),
                "signed_at": slugs,
                "signed_during": slugs,
                "in_force_how": texts,
                "sources": st.lists(slugs, max_size=2),
            },
        )
    )
    # Signed, then in force: zero-padded EDTF dates sort as text in date order.
    signed, in_force = sorted(draw(st.lists(edtf_dates(qualified=False), min_size=2, max_size=2)))
    if draw(st.booleans()):
        data["signed"] = {"edtf": signed}
    if draw(st.booleans()):
        data["in_force"] = {"edtf": in_force}
    return data


articles = _record(
    "Article",
    {
        "treaty": slugs,
        "number": st.from_regex(r"\A[1-9][0-9]{0,2}[a-z]?\Z"),
        "summary": texts,
    },
    {"text": st.lists(quote_spans(), max_size=2)},
)

_EVENT_OPTIONAL = {
    "wikidata": wikidata,
    "places": st.lists(slugs, max_size=2),
    "participants": st.lists(participants, max_size=3),
    "summary": texts,
    "part_of": slugs,
    "evidence": st.lists(quote_spans(), max_size=2),
}
military_events = _record(
    "MilitaryEvent",
    {
        "event_type": st.sampled_from(["deployment", "incursion", "recapture"]),
        "name": names,
        "date": date_values(),
        "sources": st.lists(slugs, min_size=1, max_size=2),
    },
    {**_EVENT_OPTIONAL, "legal_basis": st.lists(legal_bases, max_size=2)},
)
diplomatic_events = _record(
    "PoliticalEvent",
    {
        "event_type": st.sampled_from(["state_visit", "meeting", "signing", "reception"]),
        "name": names,
        "date": date_values(),
        "sources": st.lists(slugs, min_size=1, max_size=2),
    },
    _EVENT_OPTIONAL,
)


@st.composite
def statements(draw: st.DrawFn) -> dict[str, Any]:
    quote = draw(quote_spans())
    return draw(
        _record(
            "Statement",
            {
                "kind": st.sampled_from(["direct_quote", "reported_speech", "estimate", "denial"]),
                "speaker": slugs,
                "source": slugs,
                "quote": st.just(quote),
                "translation": st.fixed_dictionaries(
                    {"text": texts}, optional={"lang": lang_tags, "by": st.just("curator")}
                ),
            },
            {
                "relayed_by": st.lists(slugs, max_size=2),
                "date": date_values(),
                "medium": texts,
                "made_at": slugs,
                "refers_to": st.lists(slugs, max_size=3),
                "figures": st.lists(figures(quote["text"]), max_size=2),
                "responds_to": st.lists(stances, max_size=2),
            },
        )
    )


sources = _record(
    "Source",
    {
        "language": lang_tags,
        "published": date_values(),
        "seed": seed_names,
        "sha256": sha256s,
    },
    {
        "publisher": slugs,
        "title": texts,
        "publisher_as_shown": texts,
        "relays": st.lists(slugs, max_size=2),
    },
)

records = st.one_of(
    actors(),
    places,
    treaties(),
    articles,
    military_events,
    diplomatic_events,
    statements(),
    sources,
)

fixture_documents = st.fixed_dictionaries(
    {
        "schema_version": st.from_regex(r"\A1\.[0-9]{1,2}\Z"),
        "records": st.lists(records, max_size=3),
    },
    optional={"description": texts},
)

# ---------------------------------------------------------------------------
# Breaking things

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=5,
)


def _containers(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if isinstance(node, (dict, list)) else []
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    for key, child in children:
        found += _containers(child, (*path, key))
    return found


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


@st.composite
def mutations(draw: st.DrawFn, document: Any) -> Any:
    """``document`` with one random change: a value replaced, a key removed or added."""
    doc = copy.deepcopy(document)
    target = _at(doc, draw(st.sampled_from(_containers(doc))))
    action = draw(st.sampled_from(["replace", "remove", "add", "retype"]))
    if isinstance(target, dict) and target and action == "remove":
        del target[draw(st.sampled_from(sorted(target)))]
    elif isinstance(target, dict) and action == "add":
        target[draw(st.text(min_size=1, max_size=8))] = draw(json_values)
    elif target and action in ("replace", "retype"):
        keys = sorted(target) if isinstance(target, dict) else list(range(len(target)))
        key = draw(st.sampled_from(keys))
        old = target[key]
        if action == "retype" and isinstance(old, str):
            target[key] = draw(
                st.sampled_from(
                    [
                        old + "/",
                        old.upper() + "!",
                        "",
                        old + "\x01",
                        old + "\n",
                        " " + old,
                        "\u202e",
                    ]
                )
            )
        elif action == "retype" and isinstance(old, (int, float)) and not isinstance(old, bool):
            target[key] = draw(st.sampled_from([-old - 1, old * 1e20, 1.5, float(old), str(old)]))
        else:
            target[key] = draw(json_values)
    return doc


# ---------------------------------------------------------------------------
# Whole datasets, whose references resolve


@st.composite
def datasets(draw: st.DrawFn) -> Any:
    """A small valid Dataset: generated records, their references pointed at each other."""
    import pydantic

    from kpr_events import Dataset
    from kpr_events._refs import iter_refs
    from kpr_events.errors import ValidationError
    from kpr_events.models import RECORD_ADAPTER

    core = [
        draw(actors().filter(lambda a: a["kind"] == "state")),
        draw(actors().filter(lambda a: a["kind"] == "person")),
        draw(places),
        draw(treaties()),
        draw(articles),
        draw(sources),
        draw(military_events),
        draw(diplomatic_events),
        draw(statements()),
    ]
    extra = draw(st.lists(records, max_size=4))
    raw: dict[str, dict[str, Any]] = {}
    for data in core + extra:
        raw.setdefault(data["id"], copy.deepcopy(data))
    for data in raw.values():
        for field in ("parent", "within", "part_of"):  # no chains, so no cycles
            data.pop(field, None)
        if data["type"] == "Statement":
            data.pop("date", None)  # a statement may not postdate its source
    try:
        models = {i: RECORD_ADAPTER.validate_python(d) for i, d in raw.items()}
    except pydantic.ValidationError:  # pragma: no cover - the strategies make valid records
        raise
    by_type: dict[str, list[Any]] = {}
    for model in models.values():
        by_type.setdefault(model.type, []).append(model)

    def pick(rule: Any, own: str) -> str | None:
        pool = [
            m
            for kind in rule.kinds
            for m in by_type.get(kind, [])
            if m.id != own
            and (m.type != "Actor" or not rule.actor_kinds or m.kind in rule.actor_kinds)
        ]
        return draw(st.sampled_from(sorted(m.id for m in pool))) if pool else None

    for record_id, model in models.items():
        data = raw[record_id]
        for ref in iter_refs(model):
            target = pick(ref.rule, record_id)
            parent = _at(data, ref.path[:-1])
            key = ref.path[-1]
            if target is None:
                if isinstance(parent, list):
                    parent[key] = None
                else:
                    parent.pop(key)
            else:
                parent[key] = target
    for data in raw.values():
        _drop_nones_and_repeats(data)
    seed_of = {d["id"]: d["seed"] for d in raw.values() if d["type"] == "Source"}
    from hypothesis import reject

    for data in raw.values():
        if data["type"] == "Statement":
            if data.get("source") not in seed_of:
                reject()
            data["quote"]["seed"] = seed_of[data["source"]]
        if data["type"] in ("MilitaryEvent", "PoliticalEvent"):
            if not data.get("sources") or data["sources"][0] not in seed_of:
                reject()
            for span in data.get("evidence", []):
                span["seed"] = seed_of[data["sources"][0]]
    try:
        return Dataset(RECORD_ADAPTER.validate_python(d) for d in raw.values())
    except (pydantic.ValidationError, ValidationError):
        reject()


def _drop_nones_and_repeats(node: Any) -> None:
    """Remove references that found no target, and repeated ones, throughout a record."""
    if isinstance(node, dict):
        for key in list(node):
            value = node[key]
            if isinstance(value, list) and value and all(isinstance(v, str | None) for v in value):
                kept = [v for v in dict.fromkeys(value) if v is not None]
                if kept or key not in ("sources", "invoked_by"):
                    node[key] = kept
            _drop_nones_and_repeats(node[key])
    elif isinstance(node, list):
        for item in node:
            _drop_nones_and_repeats(item)


# ---------------------------------------------------------------------------
# Arabic as curators retype it (kpr_events.quote)

# Classes of characters that the quote helper's normalisation profile takes as
# one: each member may stand for any other. Written from the profile's table
# in docs/curation.md, not from the code, so that a test can hold them to it.
SAME_WHEN_FOLDED = [
    "اأإآٱ",
    "وؤ",
    "يىئی",
    "هة",
    "كک",
    *("".join(digits) for digits in zip("0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", strict=True)),
    ",،٬",
    ";؛",
    "?؟",
    '"“”«»„',
    "'‘’",
    "-–—−",
    " \n\t\u00a0",
]
_ALTERNATIVES = {char: group for group in SAME_WHEN_FOLDED for char in group}
# Characters the profile removes: harakat, superscript alef, Quranic marks,
# tatweel and invisible format characters.
ARABIC_MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u06e1\u0615"
REMOVED = ARABIC_MARKS + "\u0640\u200c\u200d\u200f\u061c\ufeff"

foldable_texts = st.text(
    alphabet="".join(SAME_WHEN_FOLDED)
    + REMOVED
    + "بتثجحخدذرسشصضطظعغفقلمنء"
    + "ﻻﻷﷲ\ufe70"  # presentation forms and ligatures
    + "abcXYZ.()",
    max_size=60,
)
"""Text in which the normalisation profile has work to do everywhere."""


@st.composite
def retyped(draw: st.DrawFn, text: str) -> str:
    """``text`` as a curator might retype it: the same words once normalised.

    Characters are swapped for others of their class, and marks, tatweel or
    invisible characters put after letters or dropped where they were.
    """
    out = []
    for char in text:
        if char in REMOVED and draw(st.booleans()):
            continue
        out.append(draw(st.sampled_from(_ALTERNATIVES[char])) if char in _ALTERNATIVES else char)
        if char.isalpha() and draw(st.integers(min_value=0, max_value=4)) == 0:
            out.append(draw(st.sampled_from(REMOVED)))
    return "".join(out)


@st.composite
def slices(draw: st.DrawFn, text: str, max_size: int = 300) -> tuple[int, int]:
    """A non-empty ``start, end`` span of ``text``, at most ``max_size`` code points long."""
    start = draw(st.integers(min_value=0, max_value=len(text) - 1))
    end = draw(st.integers(min_value=start + 1, max_value=min(len(text), start + max_size)))
    return start, end


# ---------------------------------------------------------------------------
# Datasets to draw

# Fragments that mean something to XML, SVG or a template, to hide in names.
_MARKUP = ("<", ">", "&", "&amp;", '"', "'", "]]>", "<!--", "-->", "</text>", "<script>", "%s")

hostile_labels = (
    st.lists(st.one_of(labels, st.sampled_from(_MARKUP)), min_size=1, max_size=4)
    .map(lambda parts: " ".join(" ".join(parts).split()))
    .filter(bool)
)
"""Labels the model accepts that would break markup built by pasting strings."""


def _placed(date: dict[str, Any]) -> dict[str, Any]:
    """A drawn date without ``relative_to``, whose id would not resolve in a drawn dataset."""
    return {k: v for k, v in date.items() if k != "relative_to"}


@st.composite
def timeline_records(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A small dataset whose references resolve: a source, speakers, events and statements.

    Names are hostile, dates any the model accepts, and some statements undated.
    """
    seed = "000_0123456789abcdef.txt"
    records: list[dict[str, Any]] = [
        {
            "id": "source-a",
            "type": "Source",
            "language": "ar",
            "published": {"edtf": "9999"},  # after any statement
            "seed": seed,
            "sha256": "0" * 64,
        }
    ]
    speakers = [f"speaker-{i}" for i in range(draw(st.integers(min_value=1, max_value=3)))]
    for speaker in speakers:
        name = {"en": draw(hostile_labels)}
        records.append({"id": speaker, "type": "Actor", "kind": "person", "name": name})
    for index in range(draw(st.integers(min_value=0, max_value=5))):
        kind, event_type = draw(
            st.sampled_from([("MilitaryEvent", "deployment"), ("PoliticalEvent", "meeting")])
        )
        records.append(
            {
                "id": f"event-{index}",
                "type": kind,
                "event_type": event_type,
                "name": {"en": draw(hostile_labels)},
                "date": _placed(draw(date_values())),
                "sources": ["source-a"],
            }
        )
    for index in range(draw(st.integers(min_value=0, max_value=5))):
        statement: dict[str, Any] = {
            "id": f"statement-{index}",
            "type": "Statement",
            "kind": "direct_quote",
            "speaker": draw(st.sampled_from(speakers)),
            "source": "source-a",
            "quote": {"seed": seed, "start": 0, "end": 1, "text": "x"},
            "translation": {"text": "x"},
        }
        if draw(st.booleans()):
            statement["date"] = _placed(draw(date_values()))
        records.append(statement)
    return records
