"""The generated documentation matches the models."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kpr_events import _docs

from .conftest import PROJECT, Result


def test_data_model_page_is_current() -> None:
    """docs/data-model.md is what `python -m kpr_events._docs` writes now."""
    page = PROJECT / "docs" / "data-model.md"
    if not page.is_file():
        pytest.skip("not running from a source checkout")
    assert page.read_text(encoding="utf-8") == _docs.render()


def test_page_names_every_rule() -> None:
    from kpr_events import RULES

    page = _docs.render()
    for code in RULES:
        assert f"`{code}`" in page


def test_stats_page_is_current(run: Callable[..., Result]) -> None:
    """docs/stats.md shows what `kpr-events stats` prints for the packaged data now."""
    page = PROJECT / "docs" / "stats.md"
    if not page.is_file():
        pytest.skip("not running from a source checkout")
    shown = page.read_text(encoding="utf-8").split("```text\n")[1].split("```")[0]
    assert shown == run("stats").out


def test_vocabulary_page_is_current() -> None:
    page = PROJECT / "docs" / "vocabulary.md"
    if not page.is_file():
        pytest.skip("not running from a source checkout")
    assert page.read_text(encoding="utf-8") == _docs.render_vocabulary()
