"""Demo data for `make run`: idempotent, and printed so a newcomer can log in."""

from django.contrib.auth import get_user_model

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published demo credential, dev profile only


def seed_demo() -> list[str]:
    """Create the demo accounts if missing; return one printable line per account."""
    user_model = get_user_model()
    admin, created = user_model.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    return [f"administrator  admin  {DEMO_PASSWORD}"]
