"""Test helpers for the whole suite: log in officials past the second factor, choose enterprises."""

from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def login_with_second_factor(client: Any, user: Any) -> TOTPDevice:
    """`client.force_login(user)` plus a confirmed TOTP device marked verified in the session."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def act_for(client: Any, enterprise: Any) -> None:
    """Choose the enterprise the logged-in user acts for, as the choice page would."""
    from .access import ACTING_ENTERPRISE_SESSION_KEY

    session = client.session
    session[ACTING_ENTERPRISE_SESSION_KEY] = enterprise.number
    session.save()
