"""The back office's forms: the queue's filters and one form per official action."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wib.core import clock
from wib.files.deadlines import information_due_on
from wib.files.selectors import FileFilters
from wib.procedures.registry import all_categories, all_procedures

SORT_CHOICES = [
    ("due", _("Due date, earliest first")),
    ("-due", _("Due date, latest first")),
    ("submitted", _("Submitted, oldest first")),
    ("-submitted", _("Submitted, newest first")),
    ("reference", _("Reference")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def state_choices(stage: str) -> list[tuple[str, str]]:
    """Every status of the stage across the procedures, once, in the order of the tables."""
    seen: dict[str, str] = {}
    for procedure in all_procedures():
        for state in procedure.states:
            if state.stage == stage and state.code != "draft":
                seen.setdefault(state.code, str(state.label))
    return list(seen.items())


class QueueFilterForm(forms.Form):
    """Search, filters and order of the queue (a GET form: every field is optional)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Reference, worker's name or INSZ number."),
    )
    state = forms.ChoiceField(label=_("Status"), required=False)
    procedure = forms.ChoiceField(label=_("Procedure"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    due_before = forms.DateField(label=_("Due on or before"), required=False, widget=DateInput())
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, stage: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything: list[tuple[str, str]] = [("", str(_("All")))]
        procedures = [
            (procedure.code, str(procedure.title))
            for procedure in all_procedures()
            if procedure.has_stage(stage)
        ]
        categories = [(category.code, str(category.label)) for category in all_categories()]
        self._choose("state", everything + state_choices(stage))
        self._choose("procedure", everything + procedures)
        self._choose("category", everything + categories)

    def _choose(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def filters(self) -> FileFilters:
        """The selector's filters; an invalid value is ignored rather than refused."""
        self.is_valid()  # Django keeps only the valid fields in cleaned_data
        data = getattr(self, "cleaned_data", {})
        return FileFilters(
            search=data.get("q") or "",
            state=data.get("state") or "",
            procedure=data.get("procedure") or "",
            category=data.get("category") or "",
            due_before=data.get("due_before"),
            overdue=bool(data.get("overdue")),
            sort=data.get("sort") or "due",
        )


class ActionForm(forms.Form):
    """Every action carries the version of the file the official saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, file: Any, **kwargs: Any) -> None:
        self.file = file
        kwargs.setdefault("initial", {})["version"] = file.version
        super().__init__(*args, **kwargs)


class ConfirmForm(ActionForm):
    """An action that needs no more than a confirmation (and an optional internal note)."""

    note = forms.CharField(
        label=_("Internal note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only officials see this note."),
    )


class RequestInformationForm(ActionForm):
    message = forms.CharField(
        label=_("Information needed"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The applicant reads this message in Working in Belgium and in the eBox."),
        error_messages={"required": _("Describe the information you need.")},
    )
    due_on = forms.DateField(
        label=_("Answer due on"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the date by which the applicant must answer."),
            "invalid": _("Enter the answer date as a real date, for example 2026-03-17."),
        },
    )

    def __init__(self, *args: Any, file: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["due_on"] = information_due_on(
            procedure_code=file.procedure_code, requested_on=clock.today()
        )
        super().__init__(*args, file=file, **kwargs)

    def clean_due_on(self) -> datetime.date:
        value = self.cleaned_data["due_on"]
        if value <= clock.today():
            raise ValidationError(
                _("The answer date must be after today."), code="due_on_not_in_future"
            )
        return value


class MotivationForm(ActionForm):
    """A decision with its motivation, required for every negative decision."""

    motivation_required = True

    motivation = forms.CharField(
        label=_("Motivation"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The motivation appears in the decision letter."),
        error_messages={"required": _("Give the reasons for the decision.")},
    )

    def __init__(self, *args: Any, file: Any, **kwargs: Any) -> None:
        super().__init__(*args, file=file, **kwargs)
        self.fields["motivation"].required = self.motivation_required


class OptionalMotivationForm(MotivationForm):
    motivation_required = False


class ExtendDeadlineForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The decision deadline moves once, by the number of days set for the procedure."
        ),
        error_messages={"required": _("Give the reason for the extension.")},
    )
