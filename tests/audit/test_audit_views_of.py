"""Who viewed or downloaded a file, for the "who at which authority saw my file" screen."""

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from wib.audit import record_event, records_for_target, views_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(django_user_model):
    official = django_user_model.objects.create_user(
        username="official", password="x" * 12, first_name="Els", last_name="Janssens"
    )
    employer = django_user_model.objects.create_user(username="employer", password="y" * 12)
    start = dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC)
    events = [
        (employer, "file.submitted", "F1", "", "enterprise 0403.170.701"),
        (official, "file.viewed", "F1", "flanders", ""),
        (official, "document.downloaded", "F1", "flanders", ""),
        (employer, "file.viewed", "F2", "", "enterprise 0403.170.701"),
        (employer, "file.viewed", "F1", "", "enterprise 0403.170.701"),
    ]
    for minutes, (actor, action, target, authority, on_behalf_of) in enumerate(events):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            record_event(
                actor=actor,
                action=action,
                target_type="file",
                target_id=target,
                authority_code=authority,
                on_behalf_of=on_behalf_of,
            )
    return start


def test_views_of_lists_views_and_downloads_of_that_file_newest_first(history):
    with translation.override("en"):
        views = views_of(target_type="file", target_id="F1")

    assert [(view.action, view.actor_name) for view in views] == [
        ("file.viewed", "employer"),
        ("document.downloaded", "Els Janssens"),
        ("file.viewed", "Els Janssens"),
    ]
    assert views[0].occurred_at == history + dt.timedelta(minutes=4)
    assert views[0].on_behalf_of == "enterprise 0403.170.701"
    assert views[1].action_label == "downloaded a document"
    assert views[1].authority_code == "flanders"
    assert views[0].authority_name == ""


def test_views_of_names_the_authority_in_the_active_language(history):
    from wib.geography.models import Authority

    authority = Authority.objects.get(code="flanders")
    with translation.override("fr"):
        views = views_of(target_type="file", target_id="F1")
        expected = str(authority.display_name)

    assert views[-1].authority_name == expected
    assert expected and expected != "flanders"


def test_views_of_a_file_nobody_opened_is_empty(history):
    assert views_of(target_type="file", target_id="F3") == []


def test_records_for_target_gives_the_whole_history_in_order(history):
    actions = [record.action for record in records_for_target(target_type="file", target_id="F1")]

    assert actions == ["file.submitted", "file.viewed", "document.downloaded", "file.viewed"]
