"""The exceptions kpr-events raises, and the rule codes its problems carry.

Every error is a :class:`KprEventsError`, so one ``except`` catches them all::

    KprEventsError
    ├── DataError (ValueError)          input breaks a rule; carries .problems
    │   └── ValidationError             records, files or a dataset break rules
    ├── SchemaDriftError                committed schemas differ from the models
    ├── ResourceError (LookupError)     packaged or user data cannot be found
    ├── OutputError (OSError)           a file cannot be written; the old one is kept
    └── StoreError (ConnectionError)    a remote triplestore failed or refused

Each rule has a stable code (``RULES``) that CI output, tests and the docs use
instead of prose, which may improve over time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

__all__ = [
    "MODEL_ONLY_RULES",
    "RULES",
    "STORE_ERRORS",
    "DataError",
    "KprEventsError",
    "OutputError",
    "Problem",
    "ResourceError",
    "SchemaDriftError",
    "StoreError",
    "ValidationError",
]

RULES: Mapping[str, str] = {
    # Reading a file.
    "file-unreadable": "The file cannot be opened or read.",
    "not-utf8": "The file is not valid UTF-8.",
    "empty-file": "The file is empty or holds only white space.",
    "json-syntax": "The file is not well-formed JSON (NaN, Infinity, overlong numbers too).",
    "duplicate-key": "An object names the same key twice.",
    "too-deep": "The JSON nests deeper than the limit.",
    "too-large": "The input is larger than the limit.",
    # The shape of a document: JSON Schema and model agree on these.
    "unknown-field": "A field that the record type does not define.",
    "missing-field": "A required field is absent.",
    "wrong-type": "A value has the wrong JSON type.",
    "invalid-value": "A value is outside what the field allows.",
    "unknown-record-type": "A record's `type` names no record type.",
    "invalid-id": "An id is not a lowercase ASCII slug.",
    "invalid-qid": "A Wikidata identifier is not of the form Q123.",
    "invalid-lang": "A language tag is not a BCP 47 tag.",
    "invalid-text": "Text holds control characters or lone surrogates.",
    "edtf-invalid": "A date is not in the supported EDTF subset.",
    # Rules only the model checks: they relate several values at once.
    "date-impossible": "A date that does not exist in the calendar.",
    "interval-order": "An interval or span that ends before it starts.",
    "date-order": "Two dates in the wrong order: in force before signed, said after published.",
    "reading-outside": "A reading of a disputed date that falls outside the date it belongs to.",
    "span-length": "A quote's text is not as long as its span.",
    "figure-empty": "A figure with no number.",
    "figure-range": "A figure whose low, best and high are out of order.",
    "figure-shape": "A figure with both a single value and a range.",
    "figure-text": "A figure's words do not occur in its statement's quote.",
    "kind-mismatch": "A field that does not apply to the record's kind.",
    # Rules over a whole dataset.
    "duplicate-id": "Two records share an id (within a dataset, or with the one it extends).",
    "duplicate-seed": "An extension's seed file has the name of a seed of the dataset it extends.",
    "missing-reference": "A reference to an id that no record has.",
    "wrong-reference-kind": "A reference to a record of the wrong type or kind.",
    "seed-mismatch": "A quote's seed is not the seed of its source.",
    "self-reference": "A record that refers to itself.",
    "duplicate-reference": "A list that names the same record twice.",
    "duplicate-value": "A list of names that holds the same name twice.",
    "reference-cycle": "A chain of parents, places or larger events that comes back on itself.",
    # RDF and SPARQL.
    "rdf-shape": "A graph that does not state a record the way kpr-events writes one.",
    "sparql-syntax": "A SPARQL query that does not parse, or fails.",
    "sparql-network": "A SPARQL query that would fetch data (SERVICE, FROM).",
    "sparql-form": "A SPARQL query other than SELECT or ASK.",
    "rdf-syntax": "RDF that does not parse in the format given.",
    "remote-context": "A JSON-LD context that would have to be fetched from the network.",
    "xml-doctype": "RDF/XML with a document type declaration, where entity bombs live.",
    "undeclared-term": "A kpr: term the vocabulary does not define.",
    # Seeds and quotes.
    "seed-missing": "A seed file named by the data is absent.",
    "seed-hash": "A seed's SHA-256 differs from the recorded one.",
    "quote-mismatch": "A quote's span does not slice its seed to the stored text.",
    "unused-record": "An actor, place, article or source that no record refers to.",
    "seed-unused": "A seed file that no source names.",
}

STORE_ERRORS: Mapping[str, str] = {
    "store-config": "The endpoint URL or the credentials in the environment are unusable.",
    "store-unreachable": "No connection to the store, or it broke, after every retry.",
    "store-timeout": "The store did not answer in time, after every retry.",
    "store-unavailable": "The store answered 'try later' (408, 429, 5xx) to every retry.",
    "store-refused": "The store refused the request (401, 403, 404, 400, a redirect…).",
    "store-garbage": "The store answered something that is not what the protocol says.",
}
"""The codes a :class:`StoreError` carries; only the first four are worth retrying later."""

MODEL_ONLY_RULES: frozenset[str] = frozenset(
    {
        "date-impossible",
        "interval-order",
        "date-order",
        "reading-outside",
        "span-length",
        "figure-empty",
        "figure-range",
        "figure-shape",
        "figure-text",
        "kind-mismatch",
        "invalid-text",
    }
)
"""Rules that relate several values, which JSON Schema cannot state: a document
the schema accepts may still break these, and only these, in the model.
(``invalid-text`` is here for lone surrogates; control characters the schema checks.)"""


@attrs.frozen
class Problem:
    """One broken rule, located by file and JSON pointer."""

    code: str
    message: str
    path: str | None = None
    pointer: str = ""
    line: int | None = None

    @property
    def location(self) -> str:
        where = self.path or "<data>"
        if self.pointer:
            return f"{where}#{self.pointer}"
        return where if self.line is None else f"{where}:{self.line}"

    def __str__(self) -> str:
        line = f" (line {self.line})" if self.line is not None and self.pointer else ""
        return f"{self.location}{line}: {self.message} [{self.code}]"

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "path": self.path,
            "pointer": self.pointer,
            "line": self.line,
        }


class KprEventsError(Exception):
    """Root of every error kpr-events raises."""

    code: str = "error"
    path: str | None = None
    pointer: str = ""


class DataError(KprEventsError, ValueError):
    """Input that breaks one or more rules; ``problems`` lists them all."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("DataError needs at least one problem")
        first = self.problems[0]
        self.code, self.path, self.pointer = first.code, first.path, first.pointer
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        super().__init__(f"{first}{suffix}")


class ValidationError(DataError):
    """Records that break the schema, the model or the dataset's integrity."""


class SchemaDriftError(KprEventsError):
    """The committed JSON Schemas are not what the models generate."""

    code = "schema-drift"

    def __init__(self, stale: Iterable[str], directory: str) -> None:
        self.stale = tuple(stale)
        self.path = directory
        names = ", ".join(self.stale)
        super().__init__(
            f"{directory}: {names} differ from the models "
            "(expected them regenerated by `kpr-events schema --write`)"
        )


class ResourceError(KprEventsError, LookupError):
    """Data the library needs is not where it should be."""

    code = "resource-missing"

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        super().__init__(message)


class OutputError(KprEventsError, OSError):
    """A file could not be written; whatever was there before is still there, whole."""

    code = "write-failed"

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        super().__init__(message)


class StoreError(KprEventsError, ConnectionError):
    """A remote triplestore could not be reached, refused, or answered garbage.

    ``path`` is the endpoint; the message never holds a credential.
    """

    def __init__(self, code: str, message: str, endpoint: str | None = None) -> None:
        if code not in STORE_ERRORS:
            raise ValueError(f"unknown store error code {code!r}")
        self.code = code
        self.path = endpoint
        super().__init__(message)
