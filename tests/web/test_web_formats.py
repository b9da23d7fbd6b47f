"""English pages write dates the Belgian way: day before month, 24-hour clock."""

import datetime

from django.utils import formats, translation


def test_english_short_dates_put_the_day_first():
    with translation.override("en"):
        assert formats.date_format(datetime.date(2027, 2, 27), "SHORT_DATE_FORMAT") == "27/02/2027"


def test_english_times_use_the_24_hour_clock():
    moment = datetime.datetime(2026, 11, 29, 18, 23)
    with translation.override("en"):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "29/11/2026 18:23"


def test_english_accepts_a_day_first_date_in_forms():
    with translation.override("en"):
        assert "%d/%m/%Y" in formats.get_format("DATE_INPUT_FORMATS")
