"""Application configuration for the enterprise register (KBO/BCE open data)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "wib.registry"
    label = "registry"
    verbose_name = _("Enterprise register")
