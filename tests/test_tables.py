"""CSV tables for analysts: read back by the csv module, checked against the records."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpr_events import (
    DataError,
    Dataset,
    MilitaryEvent,
    Place,
    Source,
    Statement,
    _docs,
    tables,
    timeline_svg,
)
from kpr_events.models import Actor
from kpr_events.tables import (
    ACTOR1_ROLES,
    ACTOR2_ROLES,
    EVENT_COLUMNS,
    FIGURE_GROUPS,
    STATEMENT_COLUMNS,
    TABLES,
    join_cell,
    render_csv,
    split_cell,
    write_csv,
)

from . import strategies
from .conftest import PROJECT, Result

Run = Callable[..., Result]

INVISIBLE = "\u200e\u200f\u061c\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Format characters a spreadsheet shows nothing of: marks, the BOM, bidi controls."""


def read(text: str) -> list[dict[str, str]]:
    """The rows of CSV text, read the way docs/csv.md tells analysts to."""
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def by_id(rows: list[dict[str, str]], column: str) -> dict[str, dict[str, str]]:
    return {row[column]: row for row in rows}


def name_of(dataset: Dataset, record_id: str) -> str:
    record = dataset[record_id]
    assert isinstance(record, (Actor, Place))
    return record.name["en"]


def with_records(dataset: Dataset, *extra: dict[str, Any]) -> Dataset:
    """The dataset with more records, built from JSON-ready dicts."""
    return Dataset([*dataset, *(Statement.from_dict(r) for r in extra)])


def claim(dataset: Dataset, ident: str, speaker: str, figure: dict[str, Any]) -> dict[str, Any]:
    """A hypothetical statement about dprk-losses-in-russia, for tests only, claiming ``figure``."""
    base = dataset.get("001-seoul-intelligence-deaths", Statement).to_dict()
    figure = {"about": ["dprk-losses-in-russia"], **figure}
    return {**base, "id": ident, "speaker": speaker, "figures": [figure], "notes": []}


# Every record once, columns as documented ------------------------------------------


TABLE_KEYS = [("events", "events", "event_id"), ("statements", "statements", "statement_id")]


@pytest.mark.parametrize(("table", "kind", "key"), TABLE_KEYS)
def test_every_record_appears_once(dataset: Dataset, table: str, kind: str, key: str) -> None:
    """The header is the documented columns; each event or statement is one row, sorted by id."""
    text = render_csv(dataset, table)
    header = next(csv.reader(io.StringIO(text, newline="")))
    assert header == [c.name for c in TABLES[table]]
    ids = [row[key] for row in read(text)]
    assert ids == sorted(r.id for r in getattr(dataset, kind))


def test_column_names_are_unique_and_rows_complete(dataset: Dataset) -> None:
    for name, columns in TABLES.items():
        names = [c.name for c in columns]
        assert len(set(names)) == len(names), name
        for row in tables.table_rows(dataset, name):
            assert list(row) == names


def test_event_columns_agree_with_the_records(dataset: Dataset) -> None:
    """Each cell is what the event's record, its places and its sources say."""
    rows = by_id(read(render_csv(dataset, "events")), "event_id")
    for event in dataset.events:
        row = rows[event.id]
        assert row["event_name"] == event.name["en"]
        assert row["event_class"] == event.type
        assert row["event_type"] == event.event_type
        assert row["event_date"] == event.date.edtf
        assert row["date_precision"] == event.date.precision
        assert row["date_start"] == (event.date.earliest.isoformat() if event.date.earliest else "")
        assert row["date_end"] == (event.date.latest.isoformat() if event.date.latest else "")
        assert split_cell(row["date_readings"]) == [r.edtf for r in event.date.readings]
        assert split_cell(row["source_ids"]) == sorted(event.sources)
        assert int(row["number_of_sources"]) == len(event.sources)
        published = [dataset.get(s, Source).published.edtf for s in sorted(event.sources)]
        assert split_cell(row["source_published"]) == published
        about = sorted(s.id for s in dataset.statements_about(event.id))
        assert split_cell(row["statement_ids"]) == about
        assert int(row["statement_count"]) == len(about)
        assert split_cell(row["notes"]) == event.notes
        assert row["summary"] == (event.summary or "")
        roles = {(p.actor, p.role) for p in event.participants}
        assert set(split_cell(row["actor1_id"])) == {a for a, r in roles if r in ACTOR1_ROLES}
        assert set(split_cell(row["actor2_id"])) == {a for a, r in roles if r in ACTOR2_ROLES}
        assert len(split_cell(row["participants"])) == len(event.participants)
        places = [p for p in event.places if isinstance(dataset[p], Place)]
        assert split_cell(row["location_id"]) == sorted(places)


def test_countries_and_regions_follow_within(dataset: Dataset) -> None:
    """country is the state at the top of each place's chain; admin1 a region on it."""
    rows = by_id(tables.event_rows(dataset), "event_id")
    for event in dataset.events:
        chain: list[str] = []
        for place in event.places:
            node: str | None = place
            while node is not None:
                chain.append(node)
                record = dataset[node]
                node = record.within if isinstance(record, Place) else None
        states = {i for i in chain if isinstance(dataset[i], Actor)}
        regions = {i for i in chain if getattr(dataset[i], "kind", "") == "region"}
        assert set(split_cell(rows[event.id]["country_id"])) == states
        assert set(split_cell(rows[event.id]["admin1_id"])) <= regions
        assert bool(split_cell(rows[event.id]["admin1_id"])) == bool(regions)
    assert split_cell(rows["kursk-recapture"]["admin1"]) == ["Kursk oblast"]


def test_names_line_up_with_ids(dataset: Dataset) -> None:
    """In every name/id column pair, the n-th name is the n-th id's English name."""
    for name, columns in TABLES.items():
        pairs = [c.name for c in columns if f"{c.name}_id" in {d.name for d in columns}]
        assert pairs, name
        for row in tables.table_rows(dataset, name):
            for column in pairs:
                ids = split_cell(row[f"{column}_id"])
                assert split_cell(row[column]) == [name_of(dataset, i) for i in ids]


def test_name_of_is_the_name_else_the_id(dataset: Dataset) -> None:
    """Dataset.name_of gives the name in the language asked, else the record's id; an id
    of no record is a KeyError, as dataset[id] is."""
    assert dataset.name_of("russia") == "Russia"
    assert dataset.name_of("russia", "ar") == "روسيا"
    assert dataset.name_of("yemeni-windows", "ar") == "yemeni-windows"  # no Arabic name
    statement = dataset.statements[0].id
    assert dataset.name_of(statement) == statement  # statements have no name
    with pytest.raises(KeyError, match="no-such-record"):
        dataset.name_of("no-such-record")


def test_tables_and_timeline_name_a_record_alike(dataset: Dataset) -> None:
    """A speaker with no English name (past validation) is shown by its id in both."""
    speaker = dataset.get("zelensky", Actor)
    unnamed = speaker.model_copy(update={"name": {"uk": "Володимир Зеленський"}})
    changed = Dataset(unnamed if r.id == speaker.id else r for r in dataset)
    rows = [r for r in tables.statement_rows(changed) if r["speaker_id"] == speaker.id]
    assert rows
    assert {r["speaker"] for r in rows} == {speaker.id}
    assert f">{speaker.id}</text>" in timeline_svg(changed)
    assert speaker.name["en"] not in timeline_svg(changed)


def test_statement_columns_agree_with_the_records(dataset: Dataset) -> None:
    """Each cell is the statement's; the quote read back from the CSV still slices its seed."""
    rows = by_id(read(render_csv(dataset, "statements")), "statement_id")
    for statement in dataset.statements:
        row = rows[statement.id]
        assert row["kind"] == statement.kind
        assert row["speaker_id"] == statement.speaker
        assert split_cell(row["relayed_by_id"]) == statement.relayed_by  # order kept
        assert row["date"] == (statement.date.edtf if statement.date else "")
        assert row["source_id"] == statement.source
        assert row["quote"] == statement.quote.text
        assert row["curator_translation"] == statement.translation.text
        seed = dataset.seed_text(row["quote_seed"])
        assert seed[int(row["quote_start"]) : int(row["quote_end"])] == row["quote"]
        assert split_cell(row["refers_to"]) == sorted(statement.refers_to)
        assert int(row["figure_count"]) == len(statement.figures)
        assert len(split_cell(row["responds_to"])) == len(statement.responds_to)
        assert split_cell(row["notes"]) == statement.notes


# Figures and disagreement -------------------------------------------------------------


def test_every_claimed_figure_is_listed_once(dataset: Dataset) -> None:
    """Each figure of figures_for is in exactly one claims column of its event."""
    rows = by_id(tables.event_rows(dataset), "event_id")
    for event in dataset.events:
        row = rows[event.id]
        figures = dataset.figures_for(event.id)
        listed = sum(int(row[f"{g.prefix}_claim_count"]) for g in FIGURE_GROUPS)
        for group in FIGURE_GROUPS:
            claims = split_cell(row[f"{group.prefix}_claims"])
            assert len(claims) == int(row[f"{group.prefix}_claim_count"])
            for statement, figure in figures:
                if (figure.measure, figure.unit) == (group.measure, group.unit):
                    assert any(f"({statement.speaker}, {statement.id}" in c for c in claims)
        others = len(split_cell(row["other_figures"])) + len(split_cell(row["joint_figures"]))
        assert listed + others == len(figures)


def test_a_joint_figure_is_summed_into_no_event(dataset: Dataset) -> None:
    """A figure about several events at once is listed with each, naming the others."""
    joint = [(s, f) for s in dataset.statements for f in s.figures if len(f.about) > 1]
    assert joint
    rows = by_id(tables.event_rows(dataset), "event_id")
    for statement, figure in joint:
        for event in figure.about:
            [listed] = [c for c in split_cell(rows[event]["joint_figures"]) if statement.id in c]
            assert listed.endswith("with " + " ".join(sorted(set(figure.about) - {event})))
            assert statement.id not in rows[event]["other_figures"]


def test_disagreeing_claims_leave_best_empty(dataset: Dataset) -> None:
    """Two claims of different death tolls: low and high are theirs, best is empty, both listed."""
    existing = [f for _, f in dataset.figures_for("dprk-losses-in-russia") if f.measure == "deaths"]
    other = {"measure": "deaths", "counts": "hypothetical", "unit": "person", "value": 11000}
    changed = with_records(dataset, claim(dataset, "test-other-side-deaths", "zelensky", other))
    row = by_id(tables.event_rows(changed), "event_id")["dprk-losses-in-russia"]
    numbers = [f.value for f in existing] + [11000]
    assert row["fatalities_low"] == str(int(min(n for n in numbers if n is not None)))
    assert row["fatalities_high"] == "11000"
    assert row["fatalities_best"] == ""
    claims = split_cell(row["fatalities_claims"])
    assert len(claims) == int(row["fatalities_claim_count"]) == len(existing) + 1
    assert "11000 (zelensky, test-other-side-deaths): hypothetical" in claims


def test_agreeing_claims_give_best(dataset: Dataset) -> None:
    """A second claim of the same toll (one exact, one 'about') agrees: best is that number."""
    [figure] = [f for _, f in dataset.figures_for("dprk-losses-in-russia") if f.measure == "deaths"]
    same = {"measure": "deaths", "counts": "x", "unit": "person", "value": figure.value}
    changed = with_records(dataset, claim(dataset, "test-same-toll", "ukraine", same))
    row = by_id(tables.event_rows(changed), "event_id")["dprk-losses-in-russia"]
    expected = format(figure.value, "g")
    assert row["fatalities_low"] == row["fatalities_best"] == row["fatalities_high"] == expected
    assert row["fatalities_claim_count"] == "2"


def test_a_bound_is_not_a_best_figure(dataset: Dataset) -> None:
    """Where any claim only bounds a figure ('more than'), best is empty in the packaged data."""
    rows = by_id(tables.event_rows(dataset), "event_id")
    hedged = 0
    for event in dataset.events:
        for group in FIGURE_GROUPS:
            claims = [
                f
                for _, f in dataset.figures_for(event.id)
                if (f.measure, f.unit) == (group.measure, group.unit)
            ]
            if any(f.qualifier not in ("exact", "about") for f in claims):
                hedged += 1
                assert rows[event.id][f"{group.prefix}_best"] == ""
    assert hedged  # the "more than 10,000" troops of seed 001


@pytest.mark.parametrize(
    ("claimed", "expected"),
    [
        ([{"value": 100}], ("100", "100", "100")),
        ([{"value": 100}, {"value": 100, "qualifier": "about"}], ("100", "100", "100")),
        ([{"value": 100}, {"value": 300}], ("100", "", "300")),
        ([{"value": 100, "qualifier": "more_than"}], ("100", "", "100")),
        ([{"low": 50, "best": 80, "high": 120}], ("50", "80", "120")),
        ([{"low": 50, "high": 120}], ("50", "", "120")),
        ([{"value": 100, "period": {"edtf": "2024"}}, {"value": 100}], ("100", "", "100")),
    ],
)
def test_low_best_high_follow_the_rule(
    dataset: Dataset, claimed: list[dict[str, Any]], expected: tuple[str, str, str]
) -> None:
    """Worked by hand: low and high are the extremes; best only the one figure all give for
    the same period, never a bound ("more than") or a range without a best."""
    # About an event no packaged figure of deaths concerns, so these claims are all there is.
    event = "kursk-recapture"
    assert not [f for _, f in dataset.figures_for(event) if f.measure == "deaths"]
    base = {"measure": "deaths", "counts": "test", "unit": "person", "about": [event]}
    extra = (
        claim(dataset, f"test-claim-{i}", "ukraine", {**base, **c}) for i, c in enumerate(claimed)
    )
    row = by_id(tables.event_rows(with_records(dataset, *extra)), "event_id")[event]
    assert (row["fatalities_low"], row["fatalities_best"], row["fatalities_high"]) == expected


# Cells ---------------------------------------------------------------------------------


@given(st.lists(strategies.texts, max_size=6))
def test_multi_valued_cells_round_trip(values: list[str]) -> None:
    """Any values, with semicolons, backslashes, Arabic or line breaks, split back as written."""
    cell = join_cell(values)
    assert split_cell(cell) == values
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([cell, "x"])  # as render_csv writes
    [back] = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert split_cell(back[0]) == values


def test_a_lone_carriage_return_stays_in_its_cell(dataset: Dataset) -> None:
    """Text may hold a bare CR; the row it is in is still one row, the note still whole."""
    base = dataset.get("003-zelensky-11000-soldiers", Statement).to_dict()
    changed = with_records(dataset, {**base, "id": "test-cr", "notes": ["one\rtwo", "three\r"]})
    rows = read(render_csv(changed, "statements"))
    assert len(rows) == len(changed.statements)
    assert split_cell(by_id(rows, "statement_id")["test-cr"]["notes"]) == ["one\rtwo", "three\r"]


def test_an_empty_value_cannot_be_joined() -> None:
    """An empty cell means no values, so an empty value would not come back."""
    with pytest.raises(DataError) as caught:
        join_cell(["a", ""])
    assert caught.value.code == "invalid-value"


def test_an_empty_value_is_reported_at_its_record_and_column(dataset: Dataset) -> None:
    """A value the cell cannot hold (a note emptied past validation) names where it is."""
    base = dataset.get("003-zelensky-11000-soldiers", Statement)
    broken = base.model_copy(update={"notes": ["fine", ""]})
    changed = Dataset(broken if r.id == base.id else r for r in dataset)
    with pytest.raises(DataError) as caught:
        render_csv(changed, "statements")
    path, pointer = changed.location(base.id)
    assert caught.value.code == "invalid-value"
    assert (caught.value.path, caught.value.pointer) == (path, pointer)
    assert f"record {base.id!r}, column 'notes': ['fine', '']" in str(caught.value)


@pytest.mark.parametrize(
    ("cell", "values"),
    [
        ("", []),
        ("a; b", ["a", "b"]),
        ("a;b", ["a", "b"]),
        ("a;", ["a"]),
        ("a; ", ["a"]),
        (";", []),
        ("; a", ["a"]),
        ("a;; b", ["a", "b"]),
        ("a\\;", ["a;"]),
        ("a\\\\; b", ["a\\", "b"]),
    ],
)
def test_a_hand_typed_cell_has_no_empty_values(cell: str, values: list[str]) -> None:
    """A stray semicolon typed by hand separates nothing: join_cell never writes an empty
    value, so split_cell reads none."""
    assert split_cell(cell) == values


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (0.000015, "0.000015"),
        (1e-7, "0.0000001"),
        (2.5, "2.5"),
        (0.1, "0.1"),
        (123456.789, "123456.789"),
        (2000.0, "2000"),
        (1e15, "1000000000000000"),
    ],
)
def test_numbers_are_plain_decimals(dataset: Dataset, value: float, written: str) -> None:
    """A number is written without an exponent, the digits of its shortest repr exactly."""
    event = "kursk-recapture"
    figure = {
        "measure": "deaths",
        "counts": "t",
        "unit": "person",
        "about": [event],
        "value": value,
    }
    changed = with_records(dataset, claim(dataset, "test-claim", "ukraine", figure))
    row = by_id(tables.event_rows(changed), "event_id")[event]
    assert row["fatalities_low"] == row["fatalities_best"] == row["fatalities_high"] == written
    assert split_cell(row["fatalities_claims"]) == [f"{written} (ukraine, test-claim): t"]
    assert float(written) == value


def test_the_separator_is_escaped_in_the_packaged_notes(dataset: Dataset) -> None:
    """The curators' notes use semicolons; each note still comes back whole."""
    noted = [s for s in dataset.statements if any(";" in n for n in s.notes)]
    assert noted
    rows = by_id(tables.statement_rows(dataset), "statement_id")
    for statement in noted:
        assert "\\;" in rows[statement.id]["notes"]
        assert split_cell(rows[statement.id]["notes"]) == statement.notes


def test_an_unknown_table_is_an_error(dataset: Dataset) -> None:
    with pytest.raises(DataError) as caught:
        render_csv(dataset, "actors")
    assert caught.value.code == "invalid-value"
    assert "events or statements" in str(caught.value)


# Encoding, spreadsheets, determinism ----------------------------------------------------


def test_formula_guard_prefixes_only_text_that_would_run(dataset: Dataset) -> None:
    """With the guard, a note starting '=' or '-' gains a quote; numbers and Arabic do not."""
    base = dataset.get("003-zelensky-11000-soldiers", Statement).to_dict()
    hostile = {**base, "id": "test-hostile", "notes": ['=HYPERLINK("x")', "-1 day"]}
    hostile["translation"] = {"text": "@SUM(A1)"}
    changed = with_records(dataset, hostile)
    plain = by_id(read(render_csv(changed, "statements")), "statement_id")
    guarded = by_id(read(render_csv(changed, "statements", formula_guard=True)), "statement_id")
    numbers = {c.name for c in STATEMENT_COLUMNS if c.kind == "number"}
    for ident, row in plain.items():
        for column, cell in row.items():
            wanted = cell
            if column not in numbers and cell.lstrip(INVISIBLE).startswith(tables.FORMULA_TRIGGERS):
                wanted = "'" + cell
            assert guarded[ident][column] == wanted
    assert guarded["test-hostile"]["curator_translation"] == "'@SUM(A1)"
    assert guarded["test-hostile"]["notes"].startswith("'=HYPERLINK")
    assert guarded["test-hostile"]["quote"] == base["quote"]["text"]  # Arabic untouched


@pytest.mark.parametrize("mark", list(INVISIBLE))
def test_formula_guard_sees_past_invisible_characters(dataset: Dataset, mark: str) -> None:
    """A cell that shows as a formula behind invisible format characters is guarded too;
    one that shows as text behind them is not."""
    base = dataset.get("003-zelensky-11000-soldiers", Statement)
    # model_copy: the records refuse bidi controls in text, but a guard must not rely on it.
    hostile = base.model_copy(
        update={
            "id": "test-hidden",
            "notes": [f"{mark}=1+1", "plain"],
            "translation": base.translation.model_copy(update={"text": f"{mark}{mark}@SUM(A1)"}),
            "medium": f"{mark}a letter",
        }
    )
    changed = Dataset([*dataset, hostile])
    guarded = by_id(read(render_csv(changed, "statements", formula_guard=True)), "statement_id")
    row = guarded["test-hidden"]
    assert row["notes"] == f"'{mark}=1+1; plain"
    assert row["curator_translation"] == f"'{mark}{mark}@SUM(A1)"
    assert row["medium"] == f"{mark}a letter"
    plain = by_id(read(render_csv(changed, "statements")), "statement_id")["test-hidden"]
    assert plain["notes"] == f"{mark}=1+1; plain"


def test_output_is_deterministic(dataset: Dataset) -> None:
    """The same records in any order give the same bytes."""
    shuffled = Dataset(reversed(list(dataset)))
    for table in TABLES:
        assert render_csv(dataset, table) == render_csv(shuffled, table)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(strategies.datasets())
def test_generated_datasets_export(generated: Dataset) -> None:
    """Any valid dataset exports, every record once, every list cell splitting cleanly."""
    for table, kind, key in TABLE_KEYS:
        rows = read(render_csv(generated, table, bom=True))
        assert [r[key] for r in rows] == sorted(r.id for r in getattr(generated, kind))
        assert rows == tables.table_rows(generated, table)


# The command ---------------------------------------------------------------------------


def test_export_to_stdout_is_utf8(run: Run, dataset: Dataset) -> None:
    result = run("export", "--format", "csv", "--table", "statements")
    assert result.status == 0
    assert result.out == render_csv(dataset, "statements")
    assert any(re.search("[\u0600-\u06ff]", row["quote"]) for row in read(result.out))


def test_export_to_a_file_is_atomic(run: Run, tmp_path: Path, dataset: Dataset) -> None:
    """-o writes the same bytes as standard output, with nothing left beside it."""
    target = tmp_path / "events.csv"
    target.write_text("the earlier file\n", encoding="utf-8")
    result = run("export", "--format", "csv", "-o", target)
    assert result.status == 0
    assert target.read_bytes() == render_csv(dataset).encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["events.csv"]


@pytest.mark.skipif(sys.platform == "win32", reason="file-size limits are POSIX")
def test_a_failed_write_keeps_the_earlier_file(tmp_path: Path) -> None:
    """A write that fails half way (a file-size limit) reports it and keeps the old file whole."""
    import resource
    import signal

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))

    target = tmp_path / "events.csv"
    target.write_text("the earlier file\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kpr_events", "export", "--format", "csv", "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limited,
        cwd=PROJECT,
    )
    assert done.returncode == 1
    assert "cannot write it" in done.stderr
    assert "Traceback" not in done.stderr
    assert target.read_text(encoding="utf-8") == "the earlier file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["events.csv"]


def test_export_to_a_folder_writes_every_table(run: Run, tmp_path: Path, dataset: Dataset) -> None:
    folder = tmp_path / "tables"
    assert run("export", "--format", "csv", "-o", f"{folder}{os.sep}").status == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    for table in TABLES:
        assert (folder / f"{table}.csv").read_bytes() == render_csv(dataset, table).encode()
    only = tmp_path / "only"
    only.mkdir()
    assert run("export", "--format", "csv", "--table", "statements", "-o", only).status == 0
    assert [p.name for p in only.iterdir()] == ["statements.csv"]


def test_excel_adds_a_bom(run: Run, tmp_path: Path, dataset: Dataset) -> None:
    """--excel starts the file with a UTF-8 BOM; read with utf-8-sig, the rows are the same."""
    target = tmp_path / "events.csv"
    assert run("export", "--format", "csv", "--excel", "-o", target).status == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert not render_csv(dataset).startswith("\ufeff")
    with target.open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.DictReader(f)) == tables.event_rows(dataset)  # no cell needed a guard


def test_export_csv_from_a_data_directory(run: Run, dataset_dir: Path) -> None:
    """--data DIR exports that directory's records, not the packaged ones."""
    path = dataset_dir / "fixtures" / "events.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    event = next(r for r in document["records"] if r["id"] == "kursk-recapture")
    event["name"]["en"] = "Renamed in the test copy; with a semicolon"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = run("export", "--format", "csv", "--data", dataset_dir)
    assert result.status == 0
    row = by_id(read(result.out), "event_id")["kursk-recapture"]
    assert row["event_name"] == "Renamed in the test copy; with a semicolon"


def test_broken_data_is_reported_not_raised(run: Run, dataset_dir: Path) -> None:
    path = dataset_dir / "fixtures" / "events.json"
    path.write_text("{", encoding="utf-8")
    result = run("export", "--format", "csv", "--data", dataset_dir)
    assert result.status == 1
    assert "events.json" in result.err
    assert "Traceback" not in result.err


def test_csv_options_need_csv(run: Run) -> None:
    result = run("export", "--format", "turtle", "--table", "statements")
    assert result.status == 2
    assert "--format csv" in result.err
    assert result.out == ""


def test_library_write_is_the_rendered_text(tmp_path: Path, dataset: Dataset) -> None:
    target = tmp_path / "s.csv"
    write_csv(target, dataset, "statements", bom=True)
    assert target.read_bytes() == render_csv(dataset, "statements", bom=True).encode("utf-8")


# Docs ----------------------------------------------------------------------------------


def test_csv_page_is_current() -> None:
    """docs/csv.md is what `python -m kpr_events._docs --csv docs/csv.md` writes now."""
    page = PROJECT / "docs" / "csv.md"
    if not page.is_file():
        pytest.skip("not running from a source checkout")
    assert page.read_text(encoding="utf-8") == _docs.render_csv_page()


def test_csv_page_documents_every_column() -> None:
    page = _docs.render_csv_page()
    for columns in TABLES.values():
        for column in columns:
            assert f"| `{column.name}` |" in page


def _snippets(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", _docs.render_csv_page(), re.S)


@pytest.mark.parametrize("needs", ["csv", "pandas"])
def test_the_page_examples_run(
    needs: str, tmp_path: Path, dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Python examples on docs/csv.md run against an exported events.csv."""
    [code] = [s for s in _snippets("python") if f"import {needs}" in s]
    write_csv(tmp_path / "events.csv", dataset, bom=True)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "docs/csv.md", "exec"), {})


def test_events_are_military_or_political(dataset: Dataset) -> None:
    """event_class separates the two record types, so an analyst can filter on it."""
    rows = tables.event_rows(dataset)
    military = {r["event_id"] for r in rows if r["event_class"] == "MilitaryEvent"}
    assert military == {e.id for e in dataset.events if isinstance(e, MilitaryEvent)}
    assert {c.name for c in EVENT_COLUMNS} >= {"fatalities_low", "fatalities_best"}
