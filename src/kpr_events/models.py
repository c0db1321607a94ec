"""The records: actors, places, treaties and their articles, events, statements, sources.

Each record has a stable slug ``id`` and a ``type`` naming its class, so a
fixture file can hold records of every type in one list. These classes are the
single source of truth: the JSON Schemas in ``schemas/`` are generated from them.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any, ClassVar, Literal, TypeVar

import pydantic
from pydantic import Field, TypeAdapter, model_validator

from kpr_events import _problems
from kpr_events._base import Unordered, Value
from kpr_events._fields import (
    ARTICLE_NUMBER_PATTERN,
    SCHEMA_VERSION_PATTERN,
    LangTag,
    SeedName,
    Sha256,
    Slug,
    Text,
    rule_error,
)
from kpr_events._refs import (
    ActorRef,
    AnyRef,
    ArticleOrTreatyRef,
    EventRef,
    PlaceRef,
    PoliticalEventRef,
    SourceRef,
    StateRef,
    TreatyRef,
)
from kpr_events.dates import DateValue
from kpr_events.errors import Problem, ValidationError
from kpr_events.values import (
    Aliases,
    CuratorTranslation,
    Figure,
    LegalBasis,
    Names,
    Participant,
    QuoteSpan,
    Role,
    Stance,
    Wikidata,
)

__all__ = [
    "DEFAULT_BASE_IRI",
    "PACKAGED_DATASET",
    "RECORD_TYPES",
    "SCHEMA_VERSION",
    "Actor",
    "Article",
    "DatasetManifest",
    "FixtureFile",
    "MilitaryEvent",
    "Place",
    "PoliticalEvent",
    "Record",
    "Source",
    "Statement",
    "Treaty",
]

SCHEMA_VERSION = "1.0"
"""The version of the record format; its major part is in every schema ``$id``."""
DEFAULT_BASE_IRI = "https://w3id.org/kpr-events/"


R = TypeVar("R", bound="BaseRecord")


# An absolute IRI with nothing N-Triples would have to escape (RFC 3987, the IRIREF rule).
_BASE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")


@functools.lru_cache(maxsize=8)
def base_iri(base: str) -> str:
    """``base``, checked to be one that record IRIs can be made under."""
    if not base.endswith(("/", "#")):
        raise ValidationError(
            [Problem("invalid-value", f"base IRI {base!r} does not end in '/' or '#'")]
        )
    if not _BASE_IRI.fullmatch(base):
        message = (
            f"base IRI {base!r} is not an absolute IRI without spaces, control characters "
            'or any of <>"{}|^`\\'
        )
        raise ValidationError([Problem("invalid-value", message)])
    return base


class BaseRecord(Value):
    """What every record has: an id, a type and curator's notes."""

    collection: ClassVar[str]
    """The IRI path segment for records of this type."""

    id: Slug
    """Stable, human-readable id, unique across the dataset (e.g. `putin`)."""
    notes: list[Text] = []
    """Curator's notes in English: caveats, inconsistencies in the sources."""

    def iri(self, base: str = DEFAULT_BASE_IRI) -> str:
        """The record's IRI under ``base``, which must end in ``/`` or ``#``."""
        return f"{base_iri(base)}{self.collection}/{self.id}"

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data, without fields left at their defaults."""
        data = self.model_dump(mode="json", exclude_defaults=True)
        return {"id": self.id, "type": getattr(self, "type"), **data}  # noqa: B009

    @classmethod
    def from_dict(cls: type[R], data: Any) -> R:
        """Validate ``data`` as a record of this type.

        Raises :class:`kpr_events.ValidationError` listing every problem.
        """
        try:
            record = RECORD_ADAPTER.validate_python(data)
        except pydantic.ValidationError as exc:
            tags = {m.__name__ for m in RECORD_TYPES}
            raise ValidationError(_problems.from_pydantic(exc, None, (), tags)) from None
        if not isinstance(record, cls):
            raise ValidationError(
                [
                    Problem(
                        "wrong-type",
                        f"a record of type {record.type} (expected type {cls.__name__})",
                        pointer="/type",
                    )
                ]
            )
        return record


ActorKind = Literal["person", "state", "organization", "group"]
OrganizationKind = Literal[
    "government_body",
    "ministry",
    "armed_force",
    "military_unit",
    "intelligence_service",
    "news_agency",
    "publisher",
    "party_body",
    "diplomatic_mission",
]


class Actor(BaseRecord):
    """A person, state, organization, or a group the sources describe without naming."""

    collection: ClassVar[str] = "actor"
    type: Literal["Actor"]
    """Always `Actor`: names the record type."""
    kind: ActorKind
    """`group` is for collectives the sources describe, e.g. "Western intelligence agencies"."""
    subkind: OrganizationKind | None = None
    """For an organization or group: what sort it is."""
    name: Names
    """The name in English and in the seeds' languages."""
    aliases: Aliases = {}
    """Other spellings the sources use, by language."""
    description: Text | None = None
    """Who this is, in the curator's English, when the name alone does not say."""
    wikidata: Wikidata | None = None
    """The matching Wikidata item, where one is checked."""
    roles: Unordered[Role] = []
    """A person's positions."""
    parent: ActorRef | None = None
    """The body an organization belongs to: a ministry's state, an army's unit."""
    country: StateRef | None = None
    """The state a person or organization belongs to."""
    deceased: bool = False
    """The sources speak of the person as dead (e.g. "الراحل", the late)."""

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Actor:
        if self.roles and self.kind != "person":
            raise _kind_mismatch("roles", "a person", self.kind)
        if self.subkind is not None and self.kind not in ("organization", "group"):
            raise _kind_mismatch("subkind", "an organization or group", self.kind)
        if self.parent is not None and self.kind not in ("organization", "group"):
            raise _kind_mismatch("parent", "an organization or group", self.kind)
        if self.country is not None and self.kind == "state":
            raise _kind_mismatch("country", "a person, organization or group", self.kind)
        if self.deceased and self.kind != "person":
            raise _kind_mismatch("deceased", "a person", self.kind)
        return self


def _kind_mismatch(field: str, expected: str, kind: str) -> ValueError:
    return rule_error(
        "kind-mismatch", f"{field} applies only to {expected}, not to a {kind}", at=(field,)
    )


class Place(BaseRecord):
    """A place events happen in: a city, a region, a site."""

    collection: ClassVar[str] = "place"
    type: Literal["Place"]
    """Always `Place`."""
    kind: Literal["city", "region", "site", "river", "sea", "area"]
    """What sort of place it is."""
    name: Names
    """The name in English and in the seeds' languages."""
    aliases: Aliases = {}
    """Other spellings the sources use, by language."""
    wikidata: Wikidata | None = None
    """The matching Wikidata item, where one is checked."""
    within: PlaceRef | None = None
    """The place (or state) this one lies in."""


class Treaty(BaseRecord):
    """A treaty or agreement between states."""

    collection: ClassVar[str] = "treaty"
    type: Literal["Treaty"]
    """Always `Treaty`."""
    kind: Literal["treaty", "agreement", "charter"]
    """A treaty, an intergovernmental agreement, or a charter such as the UN's."""
    name: Names
    """The name in English and in the seeds' languages."""
    aliases: Aliases = {}
    """Other spellings the sources use, by language."""
    wikidata: Wikidata | None = None
    """The matching Wikidata item, where one is checked."""
    parties: Unordered[StateRef] = []
    """The states that are party to it."""
    signed: DateValue | None = None
    """When it was signed."""
    signed_at: PlaceRef | None = None
    """Where it was signed."""
    signed_during: PoliticalEventRef | None = None
    """The visit or meeting it was signed at; agreements signed together share it."""
    in_force: DateValue | None = None
    """When it entered into force."""
    in_force_how: Text | None = None
    """How it entered into force, in the curator's English (e.g. by exchange of ratifications)."""
    sources: Unordered[SourceRef] = []
    """The sources that mention it."""

    @model_validator(mode="after")
    def _signed_before_in_force(self) -> Treaty:
        signed = self.signed.earliest if self.signed else None
        in_force = self.in_force.latest if self.in_force else None
        if signed and in_force and in_force < signed:
            raise rule_error(
                "date-order",
                f"in force {in_force} is before signed {signed} (expected signing first)",
                at=("in_force",),
            )
        return self


class Article(BaseRecord):
    """One article of a treaty, a record of its own so statements can invoke it."""

    collection: ClassVar[str] = "article"
    type: Literal["Article"]
    """Always `Article`."""
    treaty: TreatyRef
    """The treaty the article belongs to."""
    number: str = Field(pattern=ARTICLE_NUMBER_PATTERN)
    """The article's number as the treaty gives it, e.g. `4`."""
    summary: Text
    """What the article says, in the curator's English."""
    text: Unordered[QuoteSpan] = []
    """The article's wording wherever a seed quotes it, verbatim."""
    refers_to: Unordered[ArticleOrTreatyRef] = []
    """Other treaties or articles it invokes (Article 51 of the UN Charter, say)."""


class _Event(BaseRecord):
    """What military and diplomatic events share."""

    collection: ClassVar[str] = "event"
    name: Names
    """A short title, in the curator's English (and the seed's words where it names the event)."""
    wikidata: Wikidata | None = None
    """The matching Wikidata item, where one is checked."""
    date: DateValue
    """When it happened, as precisely as the sources allow."""
    places: Unordered[PlaceRef] = []
    """Where it happened: places, or states as a whole."""
    participants: Unordered[Participant] = []
    """Who took part, and in what role."""
    summary: Text | None = None
    """What happened, in the curator's English."""
    part_of: EventRef | None = None
    """A larger event this one belongs to."""
    sources: Unordered[SourceRef] = Field(min_length=1)
    """The sources that report the event."""
    evidence: Unordered[QuoteSpan] = []
    """The words in the seeds that report the event."""


class MilitaryEvent(_Event):
    """A deployment, incursion, combat operation, recapture, casualty report and the like.

    Figures about an event (troops, dead, area) are not stored here: each is a
    claim, kept on the statement of whoever made it (see ``Statement.figures``).
    """

    type: Literal["MilitaryEvent"]
    """Always `MilitaryEvent`."""
    event_type: Literal[
        "invasion",
        "incursion",
        "occupation",
        "deployment",
        "combat_operation",
        "recapture",
        "arms_transfer",
        "casualty_report",
        "annexation",
    ]
    """What kind of military event it is."""
    legal_basis: Unordered[LegalBasis] = []
    """Treaties or articles invoked as its basis, each with the statements invoking it."""


class PoliticalEvent(_Event):
    """A visit, meeting, signing, reception, letter, announcement: an act of state, not of war."""

    type: Literal["PoliticalEvent"]
    """Always `PoliticalEvent`."""
    event_type: Literal[
        "state_visit",
        "official_visit",
        "visit",
        "meeting",
        "summit",
        "signing",
        "ratification",
        "reception",
        "ceremony",
        "press_conference",
        "letter",
        "announcement",
        "commemoration",
        "opening",
        "policy_review",
    ]
    """What kind of event it is: `commemoration` for a leader meeting soldiers' families, say."""


StatementKind = Literal[
    "direct_quote",
    "reported_speech",
    "official_statement",
    "estimate",
    "denial",
    "refusal_to_confirm",
    "reporting",
]


class Statement(BaseRecord):
    """Something an actor said or claimed, as a source reports it, pinned to its words."""

    collection: ClassVar[str] = "statement"
    type: Literal["Statement"]
    """Always `Statement`."""
    kind: StatementKind
    """`reporting` is the publisher's own account; the others are attributed to the speaker."""
    speaker: ActorRef
    """Who said or claimed it."""
    relayed_by: list[ActorRef] = []
    """Who passed it on before the source, nearest the speaker first (e.g. KCNA, then Yonhap)."""
    date: DateValue | None = None
    """When it was said, not when it was published."""
    source: SourceRef
    """The article it is reported in."""
    quote: QuoteSpan
    """The words in the seed: the quote itself, or the sentence that reports the claim."""
    translation: CuratorTranslation
    """The quote in English, translated by the curators, not by the source."""
    medium: Text | None = None
    """How it was said, in English: a letter, a press conference, a statement on a website."""
    made_at: PoliticalEventRef | None = None
    """The occasion it was said at."""
    refers_to: Unordered[AnyRef] = []
    """The articles, treaties, events and actors it is about."""
    figures: Unordered[Figure] = []
    """Numbers it claims; the claimant is the speaker."""
    responds_to: Unordered[Stance] = []
    """Earlier statements this one answers, confirms, disputes or declines to confirm."""

    @model_validator(mode="after")
    def _figures_quote_their_words(self) -> Statement:
        for index, figure in enumerate(self.figures):
            if figure.text is not None and figure.text not in self.quote.text:
                raise rule_error(
                    "figure-text",
                    f"figure words {figure.text!r} are not in the quote (expected a part of it)",
                    at=("figures", index, "text"),
                )
        return self


class Source(BaseRecord):
    """A news article (one seed), its publisher and the agencies it relays."""

    collection: ClassVar[str] = "source"
    type: Literal["Source"]
    """Always `Source`."""
    title: Text | None = None
    """The headline, verbatim, where the seed has one."""
    publisher: ActorRef | None = None
    """Who published the article; absent where the seed names no one (say so in ``notes``)."""
    publisher_as_shown: Text | None = None
    """How the seed shows its publisher, verbatim (masthead, credit line, footer)."""
    relays: Unordered[ActorRef] = []
    """The agencies whose reports the article passes on."""
    language: LangTag
    """The article's language."""
    published: DateValue
    """Usually inferred from the article's own relative dates; ``inferred_from`` says how."""
    seed: SeedName
    """The seed file holding the article's text."""
    sha256: Sha256
    """SHA-256 of the seed file's bytes."""


Record = Annotated[
    Actor | Place | Treaty | Article | MilitaryEvent | PoliticalEvent | Statement | Source,
    Field(discriminator="type"),
]
RECORD_ADAPTER: TypeAdapter[Record] = TypeAdapter(Record)
RECORD_TYPES: tuple[type[BaseRecord], ...] = (
    Actor,
    Place,
    Treaty,
    Article,
    MilitaryEvent,
    PoliticalEvent,
    Statement,
    Source,
)


class FixtureFile(Value):
    """A fixture file: a list of records of any type, with the format version."""

    schema_version: str = Field(pattern=SCHEMA_VERSION_PATTERN)
    """The record format version, `1.x` for this package."""
    description: Text | None = None
    """What the file holds, for people reading it."""
    records: list[Record]
    """The records, of any type, each naming its type in `type`."""


PACKAGED_DATASET = "kpr-events"
"""The name a dataset manifest uses for the data this package ships."""


class DatasetManifest(Value):
    """``dataset.json`` at a dataset directory's root: what the directory adds to.

    A directory without one stands alone. With ``"extends": "kpr-events"`` its
    records are merged over the packaged ones: they may refer to packaged
    records by id, and may not reuse a packaged id or seed name.
    """

    schema_version: str = Field(pattern=SCHEMA_VERSION_PATTERN)
    """The record format version the directory's files are written in, `1.x` for this package."""
    description: Text | None = None
    """What the dataset is, for people reading it."""
    extends: Literal["kpr-events"] | None = None
    """The dataset this one is merged over: `kpr-events`, the packaged data, or none."""
