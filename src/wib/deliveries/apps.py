"""App configuration for the outbox."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveriesConfig(AppConfig):
    name = "wib.deliveries"
    label = "deliveries"
    verbose_name = _("Deliveries")
    default_auto_field = "django.db.models.BigAutoField"
