"""Back-office pages, mounted at /<lang>/backoffice/ under the "backoffice" namespace."""

from django.urls import path

from . import views

app_name = "backoffice"

urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("files/<uuid:public_id>/", views.file_view, name="file"),
    path("files/<uuid:public_id>/actions/<slug:action>/", views.action_view, name="action"),
    path(
        "files/<uuid:public_id>/employment/",
        views.fetch_employment_view,
        name="fetch-employment",
    ),
    path(
        "files/<uuid:public_id>/documents/<uuid:document_id>/",
        views.document_view,
        name="document",
    ),
    path(
        "files/<uuid:public_id>/documents/<uuid:document_id>/view/",
        views.document_inline_view,
        name="document-inline",
    ),
]
