"""App configuration for the simulators of external services."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimulatorsConfig(AppConfig):
    name = "wib.simulators"
    label = "simulators"
    verbose_name = _("Simulated external services")
    default_auto_field = "django.db.models.BigAutoField"
