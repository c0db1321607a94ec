"""The generated documentation matches the models."""

from __future__ import annotations

import pytest

from kpr_events import _docs

from .conftest import PROJECT


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
