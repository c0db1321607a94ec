"""The curated data keeps the promises the project makes about it.

These are checks over the whole packaged dataset, not over single records:
every Arabic name is spelled as a seed spells it, every quote is trimmed and
pinned, every inferred date says what it was inferred from, every figure
carries its own words, every event its evidence.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from kpr_events import Actor, Dataset, Place, Source, Statement, Treaty
from kpr_events.seeds import read_manifest
from kpr_events.verify import quote_spans


@pytest.fixture(scope="module")
def seed_texts(dataset: Dataset) -> list[str]:
    return [dataset.seed_text(source.seed) for source in dataset.sources]


def test_every_seed_has_a_source(dataset: Dataset, packaged_root: Path) -> None:
    assert {s.seed for s in dataset.sources} == set(read_manifest(packaged_root / "seeds"))


def test_arabic_names_are_spelled_as_the_seeds_spell_them(
    dataset: Dataset, seed_texts: list[str]
) -> None:
    """A curator may translate names into English, but Arabic ones come from the seeds."""
    named = [r for r in dataset if isinstance(r, (Actor, Place, Treaty))]
    for record in named:
        spellings = [record.name.get("ar"), *record.aliases.get("ar", [])]
        for spelling in filter(None, spellings):
            assert any(spelling in text for text in seed_texts), (record.id, spelling)


def test_quotes_are_trimmed(dataset: Dataset) -> None:
    """A span starts and ends on a word: no spaces or quotation marks at its edges."""
    edges = " \n\t\"'“”«»"
    for record in dataset:
        for _, span in quote_spans(record):
            assert span.text == span.text.strip(edges), (record.id, span.text[:30])


def test_inferred_dates_say_how(dataset: Dataset) -> None:
    """Every publication date is inferred, and says from what; disputed ones keep every reading."""
    for source in dataset.sources:
        published = source.published
        assert published.inferred_from, source.id
        if published.readings:
            assert len(published.readings) >= 2, source.id
            assert any("contradict" in note for note in source.notes), source.id


def test_relative_dates_name_their_anchor(dataset: Dataset) -> None:
    """A date resolved from a source's words says how: against a record, or by reasoning."""
    for record in dataset:
        if isinstance(record, Statement) and record.date and record.date.said_as:
            date = record.date
            assert date.relative_to or date.inferred_from or _is_absolute(date.said_as), record.id


def _is_absolute(words: str) -> bool:
    """Words that give a full date themselves ('في 26 إبريل/نيسان 2025'), needing no anchor."""
    digits = [c for c in words if unicodedata.category(c) == "Nd"]
    return len(digits) >= 4


def test_figures_carry_their_words(dataset: Dataset) -> None:
    for statement in dataset.statements:
        for figure in statement.figures:
            assert figure.text, statement.id


def test_claims_differ_by_claimant(dataset: Dataset) -> None:
    """Troop numbers are claims: at least two claimants, none merged into one figure."""
    claimants: dict[str, set[str]] = {}
    for statement in dataset.statements:
        for figure in statement.figures:
            claimants.setdefault(figure.measure, set()).add(statement.speaker)
    troops = claimants.get("troops_sent", set()) | claimants.get("troops_fighting", set())
    assert len(troops) >= 2


def test_events_show_their_evidence(dataset: Dataset) -> None:
    """Every event is pinned to words in the seeds, and lists the sources they come from."""
    source_of = {source.seed: source.id for source in dataset.sources}
    for event in dataset.events:
        assert event.evidence, event.id
        assert {source_of[span.seed] for span in event.evidence} <= set(event.sources)


def test_every_source_has_statements(dataset: Dataset) -> None:
    per_source = {s.source for s in dataset.statements}
    assert per_source == {s.id for s in dataset.of_type(Source)}


def test_article_4_is_quoted_and_invoked(dataset: Dataset) -> None:
    article = dataset["treaty-csp-2024-art-4"]
    assert article.type == "Article"
    assert article.text  # the wording, verbatim, as a seed quotes it
    assert len({s.speaker for s in dataset.statements_about(article.id)}) >= 2


def test_reporting_is_dated_by_its_source(dataset: Dataset) -> None:
    """The publisher's own narration has no date of its own: its source's is its date."""
    for statement in dataset.statements:
        if statement.kind == "reporting":
            assert statement.date is None, statement.id


def test_fixtures_are_in_canonical_order(dataset: Dataset) -> None:
    """Unordered lists are stored sorted, so the data survives RDF, which has no order, as is."""
    from kpr_events._base import canonical

    for record in dataset:
        assert canonical(record) == record, record.id
