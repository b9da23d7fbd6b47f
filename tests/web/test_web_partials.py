"""The form partials other apps include: error summary and field, with their accessibility ties."""

from django import forms
from django.template import Context, Template
from django.utils import translation


class ExampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the passport.")
    nickname = forms.CharField(label="Nickname", required=False)
    agrees = forms.BooleanField(label="I agree", help_text="Tick to go on.")
    colour = forms.ChoiceField(
        label="Colour", choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect
    )

    def clean(self):
        raise forms.ValidationError("The whole form is wrong.")


TEMPLATE = Template(
    "{% include 'web/partials/error_summary.html' with form=form %}"
    "{% for field in form %}{% include 'web/partials/field.html' with field=field %}{% endfor %}"
)


def _render(data):
    with translation.override("en"):
        return TEMPLATE.render(Context({"form": ExampleForm(data)}))


def test_error_summary_links_every_field_error_to_its_input():
    html = _render({"nickname": "x"})
    assert 'class="error-summary"' in html
    assert "<li>The whole form is wrong.</li>" in html
    assert '<a href="#id_name">' in html
    assert '<a href="#id_agrees">' in html
    # A radio group has no element with the field's id: the link goes to the first option.
    assert '<a href="#id_colour_0">' in html
    assert 'id="id_colour_0"' in html


def test_field_error_and_hint_are_tied_to_the_input():
    html = _render({"nickname": "x"})
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert 'id="id_name-hint"' in html and 'id="id_name-error"' in html
    assert 'aria-invalid="true"' in html
    assert "(optional)" in html


def test_radio_group_is_a_fieldset_with_a_legend():
    html = _render({})
    assert '<legend class="fieldset__legend ">Colour</legend>' in html
    assert '<label for="id_colour_1" class="choices__label">Blue</label>' in html


def test_single_checkbox_comes_before_its_label():
    html = _render({})
    label = '<label class="choices__label " for="id_agrees">'
    assert html.index('id="id_agrees"') < html.index(label)


def test_no_summary_without_errors():
    html = _render(None)
    assert "error-summary" not in html
    assert "aria-invalid" not in html
