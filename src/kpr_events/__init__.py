"""kpr-events: a citable, machine-checkable record of North Korean troops in Kursk oblast.

The public API is what this module exports; everything in an ``_underscore``
module is private.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from kpr_events.dataset import Dataset, load_dataset, validate_files
from kpr_events.dates import DateReading, DateValue, EdtfDate, EdtfInterval, EdtfSet, parse_edtf
from kpr_events.errors import (
    MODEL_ONLY_RULES,
    RULES,
    STORE_ERRORS,
    DataError,
    KprEventsError,
    OutputError,
    Problem,
    ResourceError,
    SchemaDriftError,
    StoreError,
    ValidationError,
)
from kpr_events.models import (
    DEFAULT_BASE_IRI,
    SCHEMA_VERSION,
    Actor,
    Article,
    DatasetManifest,
    FixtureFile,
    MilitaryEvent,
    Place,
    PoliticalEvent,
    Record,
    Source,
    Statement,
    Treaty,
)
from kpr_events.rdf import from_graph, read_graph, to_graph
from kpr_events.schema import SCHEMA_BASE, generate_schemas
from kpr_events.store import push
from kpr_events.values import (
    CuratorTranslation,
    Figure,
    LegalBasis,
    Participant,
    QuoteSpan,
    Role,
    Stance,
    Wikidata,
)

try:
    __version__ = version("kpr-events")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    __version__ = "0+unknown"

__all__ = [
    "DEFAULT_BASE_IRI",
    "MODEL_ONLY_RULES",
    "RULES",
    "SCHEMA_BASE",
    "SCHEMA_VERSION",
    "STORE_ERRORS",
    "Actor",
    "Article",
    "CuratorTranslation",
    "DataError",
    "Dataset",
    "DatasetManifest",
    "DateReading",
    "DateValue",
    "EdtfDate",
    "EdtfInterval",
    "EdtfSet",
    "Figure",
    "FixtureFile",
    "KprEventsError",
    "LegalBasis",
    "MilitaryEvent",
    "OutputError",
    "Participant",
    "Place",
    "PoliticalEvent",
    "Problem",
    "QuoteSpan",
    "Record",
    "ResourceError",
    "Role",
    "SchemaDriftError",
    "Source",
    "Stance",
    "Statement",
    "StoreError",
    "Treaty",
    "ValidationError",
    "Wikidata",
    "__version__",
    "from_graph",
    "generate_schemas",
    "load_dataset",
    "parse_edtf",
    "push",
    "read_graph",
    "to_graph",
    "validate_files",
]
