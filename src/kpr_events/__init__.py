"""kpr-events: a citable, machine-checkable record of North Korean troops in Kursk oblast.

The public API is what this module exports; everything in an ``_underscore``
module is private.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from kpr_events._stream import stream_rdf
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
from kpr_events.quote import (
    QuoteDifference,
    QuoteMatch,
    QuoteSearch,
    find_quote,
    find_quote_in_file,
)
from kpr_events.rdf import from_graph, read_graph, to_graph
from kpr_events.schema import SCHEMA_BASE, generate_schemas
from kpr_events.store import push
from kpr_events.synth import SynthSummary, synthesize
from kpr_events.tables import (
    EVENT_COLUMNS,
    STATEMENT_COLUMNS,
    Column,
    event_rows,
    render_csv,
    split_cell,
    statement_rows,
    write_csv,
)
from kpr_events.timeline import timeline_svg
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
from kpr_events.versioning import SchemaChange, compare_schemas, upgrade_files

try:
    __version__ = version("kpr-events")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    __version__ = "0+unknown"

__all__ = [
    "DEFAULT_BASE_IRI",
    "EVENT_COLUMNS",
    "MODEL_ONLY_RULES",
    "RULES",
    "SCHEMA_BASE",
    "SCHEMA_VERSION",
    "STATEMENT_COLUMNS",
    "STORE_ERRORS",
    "Actor",
    "Article",
    "Column",
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
    "QuoteDifference",
    "QuoteMatch",
    "QuoteSearch",
    "QuoteSpan",
    "Record",
    "ResourceError",
    "Role",
    "SchemaChange",
    "SchemaDriftError",
    "Source",
    "Stance",
    "Statement",
    "StoreError",
    "SynthSummary",
    "Treaty",
    "ValidationError",
    "Wikidata",
    "__version__",
    "compare_schemas",
    "event_rows",
    "find_quote",
    "find_quote_in_file",
    "from_graph",
    "generate_schemas",
    "load_dataset",
    "parse_edtf",
    "push",
    "read_graph",
    "render_csv",
    "split_cell",
    "statement_rows",
    "stream_rdf",
    "synthesize",
    "timeline_svg",
    "to_graph",
    "upgrade_files",
    "validate_files",
    "write_csv",
]
