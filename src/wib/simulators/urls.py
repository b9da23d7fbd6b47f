"""URLs of the simulated external services, mounted at /simulators/ outside the language prefix."""

from django.urls import include, path

from . import views

app_name = "simulators"

urlpatterns = [
    path("ebox/publishMessage", views.ebox_publish_message, name="ebox-publish"),
    path("ebox/messages", views.ebox_messages, name="ebox-messages"),
    path(
        "ebox/messages/<uuid:message_id>/attachments/<str:part>",
        views.ebox_attachment,
        name="ebox-attachment",
    ),
    path("ebox/_down", views.ebox_down, name="ebox-down"),
    path("ebox/_up", views.ebox_up, name="ebox-up"),
    path("agency/<slug:authority_code>/files", views.agency_files, name="agency-files"),
    path("agency/<slug:authority_code>/_down", views.agency_down, name="agency-down"),
    path("agency/<slug:authority_code>/_up", views.agency_up, name="agency-up"),
    path("", include("wib.simulators.socialsecurity")),
]
