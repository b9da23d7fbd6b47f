"""Public pages, mounted under the language prefix."""

from django.urls import include, path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("authority/", views.authority, name="authority"),
    path("contacts/", views.contacts, name="contacts"),
    path("", include("wib.web.applications.urls")),
]
