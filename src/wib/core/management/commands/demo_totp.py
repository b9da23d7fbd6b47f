"""`manage.py demo_totp USERNAME`: the current second-factor code of a demo account."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from wib.core.demo import TOTP_DEVICE_NAME, demo_enabled


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (only with DEBUG or WIB_DEMO_ENABLED)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not demo_enabled():
            raise CommandError("The demo is off: set WIB_DEMO_ENABLED=1 (never in production).")
        device = TOTPDevice.objects.filter(
            user__username=options["username"], name=TOTP_DEVICE_NAME, confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"{options['username']} has no demo second-factor device.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
