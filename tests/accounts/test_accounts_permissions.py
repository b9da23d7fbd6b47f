"""The permission layer: who acts for which employer, directly or by mandate, on which day."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from wib.accounts import permissions
from wib.accounts.models import EnterpriseMembership

pytestmark = pytest.mark.django_db


def numbers(queryset):
    return set(queryset.values_list("number", flat=True))


def test_a_member_with_the_single_window_role_acts_for_own_enterprise_only(world):
    assert numbers(permissions.employers_acted_for(world["employee"])) == {world["employer"].number}
    assert permissions.mandatary_for(world["employee"], world["employer"]) is None


def test_a_member_without_the_role_acts_for_nobody(world, make_member):
    bystander = make_member(world["employer"], single_window=False)
    assert not permissions.employers_acted_for(bystander).exists()


def test_a_mandatary_user_acts_for_own_enterprise_and_the_mandating_employer(world):
    acted = numbers(permissions.employers_acted_for(world["mandatary_user"]))
    assert acted == {world["mandatary"].number, world["employer"].number}
    assert (
        permissions.mandatary_for(world["mandatary_user"], world["employer"]) == world["mandatary"]
    )
    assert world["other_employer"].number not in acted


def test_a_mandate_counts_only_within_its_dates(world):
    mandate = world["mandate"]
    mandate.starts_on = datetime.date(2026, 3, 1)
    mandate.ends_on = datetime.date(2026, 3, 31)
    mandate.save()
    user, employer = world["mandatary_user"], world["employer"]

    def acts(day):
        return employer.number in numbers(permissions.employers_acted_for(user, on=day))

    assert not acts(datetime.date(2026, 2, 28))
    assert acts(datetime.date(2026, 3, 1))
    assert acts(datetime.date(2026, 3, 31))
    assert not acts(datetime.date(2026, 4, 1))


def test_a_revoked_mandate_counts_no_more(world):
    from django.utils import timezone

    world["mandate"].revoked_at = timezone.now()
    world["mandate"].save()
    assert world["employer"].number not in numbers(
        permissions.employers_acted_for(world["mandatary_user"])
    )
    assert permissions.mandatary_for(world["mandatary_user"], world["employer"]) is None


def test_losing_the_role_at_the_mandatary_loses_the_mandated_employers(world):
    EnterpriseMembership.objects.filter(user=world["mandatary_user"]).update(
        has_single_window_role=False
    )
    assert not permissions.employers_acted_for(world["mandatary_user"]).exists()


def test_inactive_and_anonymous_users_act_for_nobody(world):
    world["employee"].is_active = False
    world["employee"].save()
    assert not permissions.employers_acted_for(world["employee"]).exists()
    assert not permissions.employers_acted_for(AnonymousUser()).exists()
    assert permissions.official_authority_codes(AnonymousUser()) == set()


def test_officials_belong_to_one_authority(world):
    assert permissions.official_authority_codes(world["flanders"]) == {"flanders"}
    assert permissions.official_authority_codes(world["immigration"]) == {"immigration-office"}
    assert permissions.official_authority_codes(world["employee"]) == set()
    assert permissions.is_official(world["immigration"], authority_kind="residence")
    assert not permissions.is_official(world["flanders"], authority_kind="residence")


def test_only_a_supervisor_of_that_authority_is_supervisor(world):
    assert permissions.is_supervisor(world["supervisor"], "flanders")
    assert not permissions.is_supervisor(world["supervisor"], "wallonia")
    assert not permissions.is_supervisor(world["flanders"], "flanders")


def test_a_worker_acts_for_self_with_a_national_register_number(world, make_user):
    from wib.core.identifiers import make_insz

    worker = make_user(
        "worker", national_register_number=make_insz(datetime.date(1990, 5, 17), 123)
    )
    assert permissions.acts_for_self(worker)
    assert not permissions.acts_for_self(world["employee"])


def test_officials_and_administrators_need_a_second_factor(world):
    assert permissions.requires_second_factor(world["flanders"])
    assert permissions.requires_second_factor(world["admin"])
    assert not permissions.requires_second_factor(world["employee"])
    assert not permissions.requires_second_factor(world["manager"])
