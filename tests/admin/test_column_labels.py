"""Every column the admin lists, details and filters has a Chinese label, and no two columns of a view share one."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import inspect

from admin import registry
from admin.i18n import translate
from admin.labels import FIELD_LABELS

CJK = re.compile(r"[\u4e00-\u9fff]")
VIEWS = [(view, name) for view, name, _, _ in registry.MODEL_VIEWS]


def shown_columns(view: type[Any]) -> list[str]:
    """The columns a list page shows: its declared list, or every mapped column Flask-Admin would show."""
    declared = getattr(view, "column_list", None)
    if declared:
        return [str(column) for column in declared]
    return [attribute.key for attribute in inspect(view.model_class).column_attrs]


@pytest.mark.parametrize(("view", "name"), VIEWS, ids=[name for _, name in VIEWS])
def test_every_listed_column_has_a_chinese_label_and_no_two_share_one(view: type[Any], name: str) -> None:
    labels = {**FIELD_LABELS, **view.extra_labels}
    chinese = {}
    for column in shown_columns(view):
        assert column in labels, f"{name}: column {column} has no label"
        text = translate(labels[column], "zh")
        assert CJK.search(text), f"{name}: {labels[column]!r} has no Chinese translation"
        chinese[column] = text
    repeated = {text for text in chinese.values() if list(chinese.values()).count(text) > 1}
    assert not repeated, f"{name}: columns share the label {repeated}"
