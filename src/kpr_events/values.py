"""The value types records are built from: names, quote spans, figures, roles.

Values have no id of their own; they live inside a record. Dates are in
:mod:`kpr_events.dates`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, PlainSerializer, model_validator

from kpr_events._base import Unordered, Value
from kpr_events._fields import QID, Label, LangTag, Offset, SeedName, Text, rule_error
from kpr_events._refs import (
    ActorRef,
    ArticleOrTreatyRef,
    EventRef,
    SourceRef,
    StatementRef,
    StateRef,
)
from kpr_events.dates import DateValue

__all__ = [
    "Aliases",
    "CuratorTranslation",
    "Figure",
    "LegalBasis",
    "Names",
    "Participant",
    "QuoteSpan",
    "Role",
    "Stance",
    "Wikidata",
]


def _require_english(names: dict[str, str]) -> dict[str, str]:
    if "en" not in names:
        raise rule_error(
            "missing-field", f"names have no English form (expected 'en' among {sorted(names)})"
        )
    return names


Names = Annotated[
    dict[LangTag, Label],
    Field(
        json_schema_extra={"required": ["en"]},
        examples=[{"en": "Vladimir Putin", "ar": "فلاديمير بوتين"}],
    ),
    AfterValidator(_require_english),
]
"""A language map: one preferred name per language, English always present."""


def _distinct(names: list[str]) -> list[str]:
    if len(set(names)) != len(names):
        repeated = sorted({n for n in names if names.count(n) > 1})
        raise rule_error("duplicate-value", f"{repeated} listed twice (expected each once)")
    return names


Aliases = dict[
    LangTag,
    Annotated[
        list[Label],
        Field(min_length=1, json_schema_extra={"uniqueItems": True}),
        AfterValidator(_distinct),
    ],
]
"""Other spellings, keyed by language, as the sources write them."""


class Wikidata(Value):
    """A link to a Wikidata item, with how sure the link is."""

    qid: QID
    """The item's id, e.g. `Q7747`."""
    certainty: Literal["checked", "uncertain"] = "checked"
    """`uncertain` where the checked identifiers list marks the identification as less certain."""


class QuoteSpan(Value):
    """Exact words of a seed, pinned to where they stand in it.

    Offsets count Unicode code points from 0, end exclusive, so that
    ``seed_text[start:end] == text`` in Python.
    """

    seed: SeedName
    """The seed file the words come from."""
    start: Offset
    """Offset of the first code point."""
    end: Offset
    """Offset one past the last code point."""
    text: Text
    """The words, verbatim."""
    lang: LangTag | None = None
    """The words' language, where it is not the source's (a Russian tweet in an Arabic article)."""

    @model_validator(mode="after")
    def _span_fits_text(self) -> QuoteSpan:
        if self.end <= self.start:
            raise rule_error(
                "interval-order",
                f"end {self.end} is not after start {self.start} (expected end > start)",
                at=("end",),
            )
        if self.end - self.start != len(self.text):
            raise rule_error(
                "span-length",
                f"span {self.start}..{self.end} is {self.end - self.start} code points"
                f" but the text has {len(self.text)}",
                at=("end",),
            )
        return self


class CuratorTranslation(Value):
    """A translation made by this dataset's curators, not by the source."""

    text: Text
    """The translation."""
    lang: LangTag = "en"
    """Its language."""
    by: Literal["curator"] = "curator"
    """Always `curator`: the source gave no translation."""


Measure = Literal[
    "troops_sent",
    "troops_fighting",
    "deaths",
    "area_held",
    "visits",
    "other",
]
Qualifier = Literal["exact", "about", "more_than", "at_least", "fewer_than", "at_most"]
QUALIFIER_WORDS: dict[str, str] = {
    "exact": "",
    "about": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "fewer_than": "fewer than ",
    "at_most": "at most ",
}
"""Each qualifier as the English words put before a number: `more than 10000`."""
MAX_FIGURE = 1e15
"""No figure in the news comes near it; the bound keeps infinities out of both validators."""


def _compact(number: float) -> int | float:
    return int(number) if number.is_integer() else number


# One float type, not int | float: a union would put its branch names into error
# locations. Whole numbers are written back as integers.
Number = Annotated[
    float, Field(ge=0, le=MAX_FIGURE), PlainSerializer(_compact, return_type=int | float)
]


class Figure(Value):
    """A number someone claims, kept as they put it.

    Either ``value`` (one number, with a ``qualifier`` such as "more than"), or
    ``low``/``high`` (a range), with ``best`` where a range has a central figure.
    """

    measure: Measure
    """What kind of quantity this is, for comparing claims across sources."""
    counts: Text
    """What is counted, in the curator's English (e.g. "North Korean soldiers sent to Russia")."""
    unit: Literal["person", "km2", "visit", "year", "item"]
    """The unit counted in: people, square kilometres, visits…"""
    value: Number | None = None
    """The number, where the source gives one."""
    low: Number | None = None
    """The lower end, where the source gives a range."""
    best: Number | None = None
    """The central figure of a range, where the source gives one."""
    high: Number | None = None
    """The upper end, where the source gives a range."""
    qualifier: Qualifier = "exact"
    """How the source hedges the number: `more_than` for "أكثر من", `about` for "نحو"."""
    text: Text | None = None
    """The words that give the figure, verbatim from the statement's quote."""
    period: DateValue | None = None
    """The time the figure covers, where the source says ("during 2024": `2024`)."""
    about: Unordered[EventRef] = []
    """The events the figure is a number of: one, or several together where it counts
    several at once (two visits); empty where it concerns no event of the dataset."""

    @model_validator(mode="after")
    def _has_a_number(self) -> Figure:
        if self.value is None and self.low is None and self.high is None:
            raise rule_error("figure-empty", "a figure needs a value, or a low or high bound")
        if self.value is not None and (self.low, self.high, self.best) != (None, None, None):
            raise rule_error(
                "figure-shape",
                "a figure has either a value or a low/best/high range, not both",
                at=("value",),
            )
        ordered = [n for n in (self.low, self.best, self.high) if n is not None]
        if ordered != sorted(ordered):
            raise rule_error("figure-range", f"low <= best <= high does not hold for {ordered}")
        return self


class Role(Value):
    """A position a person holds or held, bounded in time where the sources say."""

    title: Names
    """The position's name, e.g. {"en": "Minister of Foreign Affairs", "ar": "وزير الخارجية"}."""
    of: ActorRef | None = None
    """The state or organization the position belongs to."""
    position: QID | None = None
    """The Wikidata item for the position, when one is checked."""
    status: Literal["current", "former"] = "current"
    """As the sources describe it at their date: `former` for "السابق"."""
    start: DateValue | None = None
    """When the person took the position, if a source says."""
    end: DateValue | None = None
    """When the person left it, if a source says."""
    according_to: Unordered[SourceRef] = []
    """The sources that give this role."""

    @model_validator(mode="after")
    def _bounds_in_order(self) -> Role:
        if self.end is not None and self.status == "current":
            raise rule_error(
                "kind-mismatch", "a current role has no end (expected status 'former')", at=("end",)
            )
        first = self.start.earliest if self.start else None
        last = self.end.latest if self.end else None
        if first and last and last < first:
            raise rule_error(
                "date-order",
                f"role ends {self.end.edtf if self.end else ''} before it starts "
                f"{self.start.edtf if self.start else ''}",
                at=("end",),
            )
        return self


ParticipantRole = Literal[
    "attacker",
    "defender",
    "combatant",
    "deployed_force",
    "sender",
    "commander",
    "reporter",
    "host",
    "visitor",
    "signatory",
    "attendee",
    "speaker",
    "recipient",
    "annexer",
    "target",
]


class Participant(Value):
    """An actor's part in an event."""

    actor: ActorRef
    """Who took part."""
    role: ParticipantRole
    """The part played: `sender` sends forces, `deployed_force` is sent, `target` is acted on."""
    side: StateRef | None = None
    """The side the actor is on, in a conflict: a state."""


class LegalBasis(Value):
    """A treaty or one of its articles invoked as the basis for an event, and who invoked it.

    Statements differ in how precisely they invoke: one names Article 4, another
    only "the treaty"; each is recorded as it was said.
    """

    invokes: ArticleOrTreatyRef
    """The article, or the treaty as a whole, that the statements invoke."""
    invoked_by: Unordered[StatementRef] = Field(min_length=1)
    """The statements that invoke it for this event."""


class Stance(Value):
    """How a statement relates to an earlier one."""

    statement: StatementRef
    """The earlier statement."""
    relation: Literal[
        "answers", "agrees_with", "confirms", "disputes", "denies", "declines_to_confirm"
    ]
    """How this statement treats it."""
