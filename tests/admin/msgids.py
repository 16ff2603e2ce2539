"""Find the admin's translatable texts in its sources: _("…"), lazy("…"), t('…'), labels, names, error templates."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ADMIN = Path(__file__).resolve().parents[2] / "admin"
CALLS = {"_", "gettext", "lazy", "RuleViolation", "InvalidValue", "CoopError", "translate"}
SECOND_ARGUMENT = {"enum_filter", "ChoiceFilter", "text_equal", "text_like", "date_between"}
TEMPLATE_CALL = re.compile(r"""\bt\(\s*(['"])(.+?)\1""")
TEMPLATE_TUPLE = re.compile(r"""\(\s*'([A-Z][^']+)',\s*[a-z]""")
TEMPLATE_STEP = re.compile(r"""step\('\w+',\s*'([^']+)'""")
TEMPLATE_LABELS = re.compile(r"""'(Compute (?:the plan|again))'""")


def _strings_in_python(path: Path) -> set[str]:
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            position = 1 if name in SECOND_ARGUMENT else 0 if name in CALLS else None
            if position is not None and len(node.args) > position:
                argument = node.args[position]
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    found.add(argument.value)
        if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(getattr(target, "id", "") == "extra_labels" for target in targets):
                found |= {v.value for v in node.value.values if isinstance(v, ast.Constant)}
    return found


def python_msgids() -> set[str]:
    found: set[str] = set()
    for path in ADMIN.rglob("*.py"):
        found |= _strings_in_python(path)
    return found


def template_msgids() -> set[str]:
    found: set[str] = set()
    for path in (ADMIN / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found |= {match.group(2) for match in TEMPLATE_CALL.finditer(text)}
        found |= {match.group(1) for match in TEMPLATE_TUPLE.finditer(text)}
        found |= {match.group(1) for match in TEMPLATE_STEP.finditer(text)}
        found |= {match.group(1) for match in TEMPLATE_LABELS.finditer(text)}
    return found


def label_msgids() -> set[str]:
    from admin import registry
    from admin.labels import FIELD_LABELS
    from admin.views.reports import COOPERATIVE_REPORTS

    names = {name for _, name, _, _ in (*registry.MODEL_VIEWS, *registry.BOOK_PAGES)} | {
        registry.COOPERATIVES,
        registry.BOOKS,
        registry.LEDGER,
        registry.TOWNSHIP,
        registry.SYSTEM,
        "Home",
        "Weak villages",
        "Distribution",
        "Workbook import",
        "Audit log",
        "Member account",
        "Member exit",
        "Cooperative administration",
    }
    reports = {label for _, _, _, label in COOPERATIVE_REPORTS.values()}
    return set(FIELD_LABELS.values()) | names | reports


# coopcore's validation messages, shown in form errors; coopcore's own catalogs do not cover them.
VALIDATION = {
    "{value!r} has the wrong format: {reason}",
    "{value!r} must have {expected} characters, it has {actual}",
    "{value!r} has a wrong check character: expected {expected}",
    "{value!r} has an invalid part: {reason}",
    "{value!r} must be more than {minimum} and at most {maximum}",
    "expected 17 digits",
    "positions 7-14 must be the birth date YYYYMMDD",
    "only digits and a final X are allowed",
    "15-digit (1989) numbers are not accepted; convert with upgrade_15()",
    "X is only allowed as the last character",
    "positions 3-8 must be the 6-digit region code",
    "only digits are allowed",
    "a mobile number starts with 13 to 19",
    "not a finite number",
    "expected 17 characters of the code alphabet",
    "a password needs at least {minimum} characters",
}


def all_msgids() -> set[str]:
    return python_msgids() | template_msgids() | label_msgids() | VALIDATION


if __name__ == "__main__":
    for text in sorted(all_msgids()):
        print(text)
