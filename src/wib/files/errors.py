"""Domain errors of the file workflow, each with a translated message for the user."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class FileError(ValidationError):
    """Base of the domain errors: a ValidationError so forms and pages can show it as is."""


class InvalidTransition(FileError):
    """The action is not allowed in the file's current status (not a permission problem)."""

    def __init__(self, *, action_label: str, state_label: str) -> None:
        super().__init__(
            _("“%(action)s” is not possible while the application is “%(state)s”.")
            % {"action": action_label, "state": state_label},
            code="invalid_transition",
        )


class ConcurrentChange(FileError):
    """Someone else changed the file since the form was loaded; nothing was changed."""

    def __init__(self, *, state_label: str) -> None:
        super().__init__(
            _("This file was changed by someone else in the meantime (now: %(state)s). Reload it.")
            % {"state": state_label},
            code="concurrent_change",
        )


class FileNotFound(Exception):
    """No such file, or not one the actor may see: both look the same from outside."""


class IncompleteFile(FileError):
    """The draft cannot be submitted yet; `problems` lists what is missing."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__([ValidationError(problem, code="incomplete") for problem in problems])
