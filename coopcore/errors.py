"""The one error tree of coopcore; each class's docstring is its default (English) message template."""

from __future__ import annotations

from typing import Any


class Term(str):
    """A domain word inside a message's fields (a state, an action) that is translated along with it."""

    __slots__ = ()


class CoopError(Exception):
    """Something went wrong in coopcore."""

    def __init__(self, message: str | None = None, **fields: Any) -> None:
        # The template (English, also the translation key) stays separate from its fields so that
        # coopcore.i18n can render the same error in Chinese.
        self.message_template = message or (type(self).__doc__ or "").strip().splitlines()[0]
        self.fields: dict[str, Any] = fields
        super().__init__(self.render())

    def render(self, template: str | None = None) -> str:
        """Format a message template (default: the English one) with this error's fields."""
        template = template or self.message_template
        try:
            return template.format(**self.fields)
        except (KeyError, IndexError, ValueError):
            return template

    def __str__(self) -> str:
        return self.render()


class InvalidValue(CoopError, ValueError):
    """Invalid value {value!r}."""


class NotFound(CoopError, LookupError):
    """{what} {key!r} was not found."""


class RuleViolation(CoopError):
    """A rule was violated."""


class PeriodClosed(RuleViolation):
    """Fiscal year {year} of {cooperative} is closed; its records cannot change."""


class ConcurrentChange(RuleViolation):
    """Someone else changed the same records at the same time; nothing was saved: reload and try again."""


class AppendOnly(RuleViolation):
    """{what} records are append-only: post a reversing entry instead of changing or deleting one."""
