"""The Prometheus endpoint: off without a token, a wrong token looks like a missing page."""

import pytest
from factories import FileFactory

pytestmark = pytest.mark.django_db


def test_metrics_are_off_without_a_configured_token(client, settings):
    settings.WIB_METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer anything").status_code == 404


def test_a_wrong_token_answers_like_a_missing_page(client, settings):
    settings.WIB_METRICS_TOKEN = "s3cret-scrape-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


def test_the_scraper_reads_files_by_state_in_prometheus_format(client, settings):
    settings.WIB_METRICS_TOKEN = "s3cret-scrape-token"
    FileFactory(state="submitted")
    FileFactory(state="submitted")
    FileFactory(state="draft")

    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    body = response.content.decode()
    assert "# TYPE wib_files gauge" in body
    submitted = [line for line in body.splitlines() if 'state="submitted"' in line]
    assert len(submitted) == 1 and submitted[0].endswith(" 2")
    assert "# TYPE wib_outbox_messages gauge" in body
    assert "wib_audit_records " in body
