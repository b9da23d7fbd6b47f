"""The reusable rate limiter: per key and fixed window, across processes through the database."""

import datetime

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from wib.accounts.ratelimit import hit, purge_rate_limits, rate_limited

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 3, 2, 9, 0, 10, tzinfo=datetime.UTC)


def test_hits_beyond_the_limit_are_refused_until_the_window_ends():
    results = [hit(key="api:a", limit=3, window_seconds=60, now=MOMENT) for _ in range(4)]
    assert [result.allowed for result in results] == [True, True, True, False]
    assert results[-1].retry_after == 50
    later = hit(
        key="api:a", limit=3, window_seconds=60, now=MOMENT + datetime.timedelta(seconds=50)
    )
    assert later.allowed and later.count == 1


def test_keys_are_counted_apart():
    for _ in range(3):
        hit(key="api:a", limit=3, window_seconds=60, now=MOMENT)
    assert hit(key="api:b", limit=3, window_seconds=60, now=MOMENT).allowed
    assert not hit(key="api:a", limit=3, window_seconds=60, now=MOMENT).allowed


def test_old_windows_are_purged():
    hit(key="api:a", limit=3, window_seconds=60, now=MOMENT)
    assert purge_rate_limits(before=MOMENT + datetime.timedelta(minutes=5)) == 1


def test_the_view_decorator_answers_429_with_retry_after():
    @rate_limited(scope="test", limit=2, window_seconds=3600)
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    statuses = [view(factory.get("/", REMOTE_ADDR="10.2.2.2")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = view(factory.get("/", REMOTE_ADDR="10.2.2.2"))
    assert int(refused["Retry-After"]) > 0
    assert view(factory.get("/", REMOTE_ADDR="10.3.3.3")).status_code == 200
