from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "wib.web"
    label = "web"
