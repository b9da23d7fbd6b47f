"""The applicant's employment section: fetch from social security, see the data, start prefilled."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from factories import FileFactory, employer_user
from socialsecurity_helpers import EMPLOYER, worker_where

from wib.accounts.testing import act_for, login_with_second_factor
from wib.registry.models import Enterprise
from wib.simulators.socialsecurity import DIMONA_DOWN
from wib.simulators.switches import set_down

pytestmark = pytest.mark.django_db(transaction=True)


def _draft(client):
    enterprise, _created = Enterprise.objects.get_or_create(
        number=EMPLOYER, defaults={"status": "AC", "listed_in_register": True}
    )
    actor = employer_user(enterprise)
    login_with_second_factor(client, actor)
    act_for(client, enterprise)
    insz, employment = worker_where(lambda item: item.fraction == 1)
    file = FileFactory(
        employer=enterprise,
        created_by=actor,
        worker_insz=insz,
        category="highly-qualified",
        sections={"worker": {"data": {"insz": insz}, "complete": True}},
    )
    return file, employment


def test_fetching_on_the_employment_page_prefills_it_and_shows_the_sources(social_security, client):
    file, employment = _draft(client)
    section_url = reverse(
        "web:applications:section", kwargs={"public_id": file.public_id, "section": "employment"}
    )
    fetch_url = reverse("web:applications:fetch-employment", kwargs={"public_id": file.public_id})
    with time_machine.travel(date(2026, 5, 15), tick=True):
        page = client.get(section_url, HTTP_ACCEPT_LANGUAGE="en")
        assert fetch_url in page.content.decode()

        answer = client.post(fetch_url)
        assert answer.status_code == 302 and answer["Location"] == section_url
        page = client.get(section_url).content.decode()
    assert "Aangiften van tewerkstelling (Dimona)" in page  # the URL carries /nl/
    assert employment.joint_committee in page
    assert f'value="{employment.start_date.isoformat()}"' in page
    assert f'value="{employment.monthly_pay * 12}"' in page  # the estimated yearly salary


def test_a_silent_source_leaves_the_page_usable_with_a_plain_message(social_security, client):
    file, _employment = _draft(client)
    set_down(DIMONA_DOWN, down=True)
    fetch_url = reverse("web:applications:fetch-employment", kwargs={"public_id": file.public_id})
    page = client.post(fetch_url, follow=True)
    assert page.status_code == 200
    text = page.content.decode()
    assert "De Dimona-dienst antwoordde niet" in text  # the default language is Dutch
    assert 'name="job_title"' in text  # the form is still there to fill in by hand
