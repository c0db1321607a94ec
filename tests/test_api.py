"""The public API: what kpr_events exports, and nothing it exports by accident."""

from __future__ import annotations

import kpr_events

EXPECTED = {
    "Actor", "Article", "CuratorTranslation", "DEFAULT_BASE_IRI", "DataError", "Dataset",
    "DatasetManifest",
    "DateReading", "DateValue", "PoliticalEvent", "EdtfDate", "EdtfInterval", "EdtfSet",
    "Figure", "FixtureFile",
    "KprEventsError", "LegalBasis", "OutputError", "MODEL_ONLY_RULES", "MilitaryEvent",
    "Participant", "Place", "Problem", "QuoteDifference", "QuoteMatch", "QuoteSearch",
    "QuoteSpan", "RULES", "Record", "ResourceError", "Role",
    "SCHEMA_BASE", "SCHEMA_VERSION", "STORE_ERRORS", "SchemaDriftError", "StoreError", "Source",
    "Stance", "Statement",
    "Treaty", "ValidationError", "Wikidata", "__version__", "find_quote", "find_quote_in_file",
    "from_graph", "generate_schemas",
    "load_dataset", "parse_edtf", "push", "read_graph", "to_graph", "validate_files",
    "Column", "EVENT_COLUMNS", "STATEMENT_COLUMNS", "event_rows", "render_csv", "split_cell",
    "statement_rows", "write_csv",
    "timeline_svg",
    "SchemaChange", "compare_schemas", "upgrade_files",
    "SynthSummary", "synthesize", "stream_rdf",
}  # fmt: skip


def test_all_is_the_public_api() -> None:
    """Adding or dropping a public name is a deliberate change to this list."""
    assert set(kpr_events.__all__) == EXPECTED


def test_all_is_sorted_and_importable() -> None:
    assert kpr_events.__all__ == sorted(kpr_events.__all__, key=lambda n: (n != n.upper(), n))
    for name in kpr_events.__all__:
        assert hasattr(kpr_events, name), name


def test_every_error_is_a_kpr_events_error() -> None:
    errors = [getattr(kpr_events, n) for n in kpr_events.__all__ if n.endswith("Error")]
    assert errors
    for error in errors:
        assert issubclass(error, kpr_events.KprEventsError)


def test_every_rule_code_is_documented() -> None:
    """Model-only rules are rules; every rule has a description."""
    assert set(kpr_events.RULES) >= kpr_events.MODEL_ONLY_RULES
    assert all(kpr_events.RULES.values())
