"""Template helpers of the shared layout: language links and URLs that may not exist yet."""

from django import template
from django.conf import settings
from django.forms import (
    BoundField,
    CheckboxInput,
    CheckboxSelectMultiple,
    ClearableFileInput,
    RadioSelect,
    Select,
    Textarea,
)
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, object]]:
    """One link per language to the same page in that language (works without JavaScript).

    The URLs are language-prefixed (i18n_patterns), so the link itself carries the choice:
    no cookie, no form, no CSRF token needed.
    """
    request = context.get("request")
    current_path = request.get_full_path() if request is not None else "/"
    current = get_language() or settings.LANGUAGE_CODE
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(current_path, code)
        if url == current_path and code != current:
            # A path that does not resolve (a 404 page, for example) falls back to home.
            url = f"/{code}/"
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": url,
                "is_current": code == current,
            }
        )
    return links


@register.simple_tag
def url_or(name: str, fallback: str) -> str:
    """reverse(name), or the fallback while the app providing that URL is not installed."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def _is_multiple_choice(bound_field: BoundField) -> bool:
    return isinstance(bound_field.field.widget, RadioSelect | CheckboxSelectMultiple)


@register.filter
def is_multiple_choice(bound_field: BoundField) -> bool:
    """Radio buttons and checkbox lists are shown as a fieldset with a legend."""
    return _is_multiple_choice(bound_field)


@register.filter
def is_checkbox(bound_field: BoundField) -> bool:
    """A single checkbox is shown before its label, as people expect."""
    return isinstance(bound_field.field.widget, CheckboxInput)


@register.filter
def summary_error(error: str, bound_field: BoundField) -> str:
    """An error as listed in the error summary: Django's generic "This field is required."
    says nothing once it is away from its field, so the summary names the field."""
    from django.forms import Field

    if str(error) == str(Field.default_error_messages["required"]):
        return f"{bound_field.label}: {error}"
    return str(error)


@register.filter
def field_anchor(bound_field: BoundField) -> str:
    """The id an error-summary link should jump to: the input, or the first option of a group."""
    if _is_multiple_choice(bound_field):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id or bound_field.html_name


def _describedby(bound_field: BoundField) -> str:
    ids = []
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def field_describedby(bound_field: BoundField) -> str:
    return _describedby(bound_field)


@register.simple_tag
def render_field(bound_field: BoundField, input_class: str = "") -> str:
    """The widget with the accessibility attributes the field partial promises."""
    attrs: dict[str, str | bool] = {}
    describedby = _describedby(bound_field)
    if describedby:
        attrs["aria-describedby"] = describedby
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    widget_class = str(bound_field.field.widget.attrs.get("class", ""))
    base_class = "input"
    if isinstance(bound_field.field.widget, Select):
        base_class = "select"
    elif isinstance(bound_field.field.widget, Textarea):
        base_class = "textarea"
    elif isinstance(bound_field.field.widget, CheckboxInput):
        base_class = "checkbox"
    elif isinstance(bound_field.field.widget, ClearableFileInput):
        base_class = "file-upload"
    if bound_field.errors:
        base_class += f" {base_class}--error"
    attrs["class"] = " ".join(part for part in (base_class, widget_class, input_class) if part)
    return bound_field.as_widget(attrs=attrs)
