from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wib.core"
    label = "core"
