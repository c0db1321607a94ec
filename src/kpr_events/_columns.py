"""The columns of the CSV tables: their names, kinds, meanings and ACLED/UCDP counterparts.

Each column's meaning is stated once, here; ``docs/csv.md`` is generated from
these specs, and the header rows of the tables are their names, in order.
"""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = [
    "ACTOR1_ROLES",
    "ACTOR2_ROLES",
    "EVENT_COLUMNS",
    "FIGURE_GROUPS",
    "STATEMENT_COLUMNS",
    "Column",
    "FigureGroup",
    "Kind",
    "date_columns",
]

Kind = Literal["id", "text", "list", "number", "date", "edtf"]


@attrs.frozen
class Column:
    """One column of a table: its name, what its cells hold, and its ACLED/UCDP counterpart."""

    name: str
    kind: Kind
    """`list` cells hold several values joined by `SEPARATOR`; `number` cells are never guarded."""
    about: str
    """What the cells hold, in a sentence or two, for docs/csv.md."""
    like: str = ""
    """The ACLED or UCDP GED column it corresponds to, if any."""


@attrs.frozen
class FigureGroup:
    """Figures of one measure and unit, summarised into low/best/high columns per event."""

    prefix: str
    measure: str
    unit: str
    what: str
    """What the numbers are, to complete "the lowest … any claim states"."""
    ucdp: bool = False
    """Whether the low/best/high columns are UCDP GED's ``low``/``best``/``high``."""


FIGURE_GROUPS: tuple[FigureGroup, ...] = (
    FigureGroup("fatalities", "deaths", "person", "number of deaths", ucdp=True),
    FigureGroup("troops_sent", "troops_sent", "person", "number of troops sent"),
    FigureGroup("troops_fighting", "troops_fighting", "person", "number of troops fighting"),
    FigureGroup("area_held_km2", "area_held", "km2", "area held (km²)"),
)
"""The figures summarised per event: those whose ``about`` names that event alone.
For each, ``_low`` is the lowest number any claim states and ``_high`` the highest
(hedges such as "more than" are not applied: they are in ``_claims``); ``_best`` is
filled only when every claim states one and the same figure for the same period,
exact or "about" (not "more than", "at least"…), and is empty otherwise;
``_claims`` lists every claim and ``_claim_count`` counts them. Figures of other
measures or units go to ``other_figures``; figures about several events at once
to ``joint_figures``."""


def _figure_columns(group: FigureGroup) -> tuple[Column, ...]:
    p, what = group.prefix, group.what

    def ucdp(name: str) -> str:
        return f"UCDP {name}" if group.ucdp else ""

    return (
        Column(f"{p}_low", "number", f"The lowest {what} any claim states.", ucdp("low")),
        Column(
            f"{p}_best",
            "number",
            f"The {what} when every claim states the same one for the same period, exact or "
            "'about'; empty when claims disagree, or when one only bounds it ('more than'). "
            "With one claim, it is that claimant's figure, not a curated estimate: see "
            "the claim count.",
            ucdp("best"),
        ),
        Column(f"{p}_high", "number", f"The highest {what} any claim states.", ucdp("high")),
        Column(
            f"{p}_claims",
            "list",
            f"Every claim (figures of measure `{group.measure}` in `{group.unit}`), each as "
            "`NUMBER (CLAIMANT_ID, STATEMENT_ID[, period EDTF]): WHAT IS COUNTED`, the number "
            "hedged as claimed (`more than 10000`).",
        ),
        Column(f"{p}_claim_count", "number", "How many claims the previous column lists."),
    )


def date_columns(*, ucdp: bool) -> tuple[Column, ...]:
    """The columns describing a date; ``ucdp`` names UCDP's date_start/date_end beside them."""
    return (
        Column("date_precision", "text", "`day`, `month` or `year`: how precise the date is."),
        Column(
            "date_start",
            "date",
            "The first day the date can mean (YYYY-MM-DD); empty for an open or unknown start.",
            "UCDP date_start" if ucdp else "",
        ),
        Column(
            "date_end",
            "date",
            "The last day the date can mean (YYYY-MM-DD); empty for an open or unknown end.",
            "UCDP date_end" if ucdp else "",
        ),
        Column("date_said_as", "text", "The source's own words for the date, verbatim."),
        Column("date_inferred_from", "text", "How the curators worked the date out, in English."),
        Column(
            "date_readings",
            "list",
            "Where the source's clues disagree: every date they allow, in EDTF (none is chosen).",
        ),
    )


ACTOR1_ROLES: tuple[str, ...] = ("attacker", "sender", "annexer", "visitor", "speaker")
"""Participant roles that act: their actors are ``actor1``."""
ACTOR2_ROLES: tuple[str, ...] = ("defender", "recipient", "target", "host")
"""Participant roles acted on or receiving: their actors are ``actor2``; others go by side."""


def _named(name: str, about: str, like: str = "") -> tuple[Column, Column]:
    """A list of records' English names, then a column of their ids (``NAME_id``)."""
    return (
        Column(name, "list", about, like),
        Column(f"{name}_id", "list", "Their ids, in the same order."),
    )


def _actor_columns() -> tuple[Column, ...]:
    """actor1, assoc_actor_1, actor2, assoc_actor_2, side_a, side_b: each names, then ids."""
    columns: list[Column] = []
    for n, doing, roles in (
        (1, "acting", ACTOR1_ROLES),
        (2, "acted on or receiving", ACTOR2_ROLES),
    ):
        columns += _named(
            f"actor{n}",
            f"English names of the participants {doing}: {', '.join(roles)}.",
            f"ACLED actor{n}",
        )
        columns += _named(
            f"assoc_actor_{n}",
            f"English names of other participants on the side of an actor{n}.",
            f"ACLED assoc_actor_{n}",
        )
    for side, n in (("a", 1), ("b", 2)):
        columns += _named(
            f"side_{side}",
            f"English names of the states actor{n} is on the side of.",
            f"UCDP side_{side}",
        )
    return tuple(columns)


EVENT_COLUMNS: tuple[Column, ...] = (
    Column("event_id", "id", "The event's id.", "ACLED event_id_cnty, UCDP id"),
    Column("event_name", "text", "A short English title."),
    Column("event_class", "text", "`MilitaryEvent` or `PoliticalEvent`."),
    Column(
        "event_type",
        "text",
        "This dataset's event type (not ACLED's: see the page's conventions).",
    ),
    Column("part_of", "id", "The id of a larger event this one belongs to."),
    *_actor_columns(),
    Column(
        "participants",
        "list",
        "Every participant as `ACTOR_ID (ROLE[, side STATE_ID])`, placed in a column above or not.",
    ),
    *_named(
        "country",
        "English names of the states the event's places are, or lie in through `within`.",
        "ACLED country, UCDP country",
    ),
    *_named(
        "admin1",
        "English names of the regions the event's places are, or lie in (the outermost "
        "place of kind `region` on each `within` chain).",
        "ACLED admin1, UCDP adm_1",
    ),
    *_named(
        "location",
        "English names of the event's places other than whole states.",
        "ACLED location, UCDP where_description",
    ),
    Column("event_date", "edtf", "When it happened, in EDTF.", "ACLED event_date"),
    *date_columns(ucdp=True),
    *(column for group in FIGURE_GROUPS for column in _figure_columns(group)),
    Column(
        "other_figures",
        "list",
        "Claimed figures of other measures or units about this event alone, each as "
        "`MEASURE: NUMBER UNIT (CLAIMANT_ID, STATEMENT_ID[, period EDTF]): WHAT IS COUNTED`.",
    ),
    Column(
        "joint_figures",
        "list",
        "Claimed figures about this event together with others (two visits counted as one "
        "figure), each as `MEASURE: NUMBER UNIT (CLAIMANT_ID, STATEMENT_ID[, period EDTF]): "
        "WHAT IS COUNTED, with EVENT_ID…`; not summed into any column above.",
    ),
    Column(
        "legal_basis",
        "list",
        "Treaties or articles invoked as the event's basis, each as `ID (STATEMENT, …)`.",
    ),
    Column("statement_ids", "list", "The statements that refer to the event."),
    Column("statement_count", "number", "How many statements refer to the event."),
    Column(
        "made_here_ids",
        "list",
        "The statements made at the event (their `made_at`), which may not refer to it.",
    ),
    Column("made_here_count", "number", "How many statements were made at the event."),
    Column("source_ids", "list", "The sources reporting the event."),
    Column("number_of_sources", "number", "How many sources.", "UCDP number_of_sources"),
    Column(
        "source_publishers",
        "list",
        "English names of the sources' publishers, each once, in alphabetical order.",
        "ACLED source",
    ),
    Column(
        "source_published",
        "list",
        "Each source's publication date in EDTF, in the order of `source_ids`.",
        "UCDP source_date",
    ),
    Column("summary", "text", "What happened, in the curators' English."),
    Column("wikidata", "id", "The matching Wikidata item (Q…), where one is checked."),
    Column("notes", "list", "Curators' notes in English: caveats, disagreements.", "ACLED notes"),
)
"""The events table, one row per event, in this order."""

STATEMENT_COLUMNS: tuple[Column, ...] = (
    Column("statement_id", "id", "The statement's id."),
    Column(
        "kind",
        "text",
        "`direct_quote`, `reported_speech`, `official_statement`, `estimate`, `denial`, "
        "`refusal_to_confirm`, or `reporting` (the publisher's own account).",
    ),
    Column("speaker", "text", "English name of who said or claimed it."),
    Column("speaker_id", "id", "Its id."),
    *_named(
        "relayed_by",
        "English names of who passed it on before the source, nearest the speaker first.",
    ),
    Column("date", "edtf", "When it was said (not published), in EDTF; empty if not known."),
    *date_columns(ucdp=False),
    Column("source_id", "id", "The article it is reported in."),
    Column("source_publisher", "text", "English name of the article's publisher, if it names one."),
    Column("source_publisher_id", "id", "Its id."),
    Column("source_published", "edtf", "When the article was published, in EDTF."),
    Column("quote", "text", "The words in the seed, verbatim (usually Arabic)."),
    Column("quote_lang", "text", "The quote's language: its own, else its source's."),
    Column(
        "curator_translation",
        "text",
        "The quote translated by this dataset's curators, NOT by the source.",
    ),
    Column("curator_translation_lang", "text", "The curator translation's language."),
    Column("quote_seed", "text", "The seed file the quote is from."),
    Column(
        "quote_start",
        "number",
        "Offset of the quote's first code point in the seed (from 0).",
    ),
    Column("quote_end", "number", "Offset one past its last code point."),
    Column("medium", "text", "How it was said, in English: a letter, a press conference…"),
    Column("made_at", "id", "The occasion (an event) it was said at."),
    Column("refers_to", "list", "Ids of the events, treaties, actors… it is about."),
    Column(
        "figures",
        "list",
        "Numbers it claims, each as `MEASURE: NUMBER UNIT[ (period EDTF)]: WHAT IS COUNTED`.",
    ),
    Column("figure_count", "number", "How many figures it claims."),
    Column(
        "responds_to",
        "list",
        "Earlier statements it answers, each as `RELATION STATEMENT_ID` (e.g. `disputes x`).",
    ),
    Column("notes", "list", "Curators' notes in English."),
)
"""The statements table, one row per statement, in this order."""
