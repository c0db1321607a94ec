"""The competency questions: answered from the exported RDF alone, by two engines alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph
import pytest

from kpr_events import Dataset, ValidationError, _docs
from kpr_events.rdf import serialize
from kpr_events.sparql import Answer, competency_questions
from kpr_events.sparql import run as sparql_run

from .conftest import PROJECT, Result

QUESTIONS = competency_questions()


def _oxigraph(dataset: Dataset, query: str) -> Answer:
    """Oxigraph, loading only the exported N-Quads, answers with every graph as the default."""
    store = pyoxigraph.Store()
    store.load(serialize(dataset, "nquads").encode(), format=pyoxigraph.RdfFormat.N_QUADS)
    solutions = store.query(query, use_default_graph_as_union=True)
    columns = tuple(v.value for v in solutions.variables)  # type: ignore[union-attr]
    rows = tuple(
        tuple("" if s[c] is None else s[c].value for c in columns)  # type: ignore[index]
        for s in solutions  # type: ignore[union-attr]
    )
    return Answer(columns, rows)


def test_there_are_six_questions() -> None:
    assert len(QUESTIONS) == 6


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_engines_agree(dataset: Dataset, name: str) -> None:
    """rdflib over the dataset and Oxigraph over the N-Quads file give the same answer."""
    query = QUESTIONS[name]
    ours = sparql_run(dataset, query)
    assert ours.rows, f"{name} has no answer"
    theirs = _oxigraph(dataset, query)
    assert ours.columns == theirs.columns
    assert sorted(ours.rows) == sorted(theirs.rows)


def test_answers_say_what_the_seeds_say(dataset: Dataset) -> None:
    """Spot checks against the curated facts the questions are about."""
    dates = sparql_run(dataset, QUESTIONS["1-treaty-dates.rq"])
    csp = next(r for r in dates.rows if r[0].endswith("treaty-csp-2024"))
    assert csp[2:5] == ("2024-06-19", "Pyongyang", "2024-12-04")
    claims = sparql_run(dataset, QUESTIONS["3-troop-claims.rq"])
    claimants = {row[0] for row in claims.rows}
    assert len(claimants) == len(claims.rows)  # one claim per claimant, none merged
    kursk = sparql_run(dataset, QUESTIONS["4-kursk-events.rq"])
    earliest = [row[4] for row in kursk.rows]
    assert earliest == sorted(earliest)


def test_questions_page_is_current() -> None:
    page = PROJECT / "docs" / "competency-questions.md"
    if not page.is_file():
        pytest.skip("not running from a source checkout")
    assert page.read_text(encoding="utf-8") == _docs.render_questions()


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_query_command(run: Callable[..., Result], tmp_path: Path, fmt: str) -> None:
    query = tmp_path / "q.rq"
    query.write_text(QUESTIONS["1-treaty-dates.rq"], encoding="utf-8")
    result = run("query", query, "--format", fmt)
    assert result.status == 0
    assert "2024-06-19" in result.out


def test_bad_query_is_a_clear_error(
    dataset: Dataset, run: Callable[..., Result], tmp_path: Path
) -> None:
    """The library raises its own error; the command prints it, without a traceback."""
    bad = tmp_path / "bad.rq"
    bad.write_text("SELEKT ?x WHERE {", encoding="utf-8")
    with pytest.raises(ValidationError, match="does not parse"):
        sparql_run(dataset, bad.read_text(encoding="utf-8"))
    result = run("query", bad)
    assert result.status == 1
    assert "[sparql-syntax]" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "sparql-network"),
        ("SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }", "sparql-network"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "sparql-form"),
    ],
)
def test_queries_that_reach_out_are_refused(dataset: Dataset, query: str, code: str) -> None:
    """No query fetches anything: SERVICE and FROM are refused before evaluation."""
    with pytest.raises(ValidationError) as caught:
        sparql_run(dataset, query)
    assert caught.value.problems[0].code == code


def test_ask(dataset: Dataset) -> None:
    yes = "ASK { ?s a <https://w3id.org/kpr-events/vocab#Treaty> }"
    assert sparql_run(dataset, yes).rows == (("true",),)
