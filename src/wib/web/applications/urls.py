"""URLs of the applicant's pages: files under /<lang>/files/, the demo eBox under /<lang>/ebox/."""

from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("files/", views.file_list, name="list"),
    path("files/new/", views.new_application, name="new"),
    path("files/<uuid:public_id>/", views.detail, name="detail"),
    path("files/<uuid:public_id>/tasks/", views.tasks, name="tasks"),
    path("files/<uuid:public_id>/sections/<slug:section>/", views.section, name="section"),
    path(
        "files/<uuid:public_id>/employment/fetch/",
        views.fetch_employment,
        name="fetch-employment",
    ),
    path("files/<uuid:public_id>/documents/", views.documents, name="documents"),
    path(
        "files/<uuid:public_id>/documents/<uuid:document_id>/",
        views.download_document,
        name="document",
    ),
    path(
        "files/<uuid:public_id>/documents/<uuid:document_id>/view/",
        views.view_document,
        name="document-inline",
    ),
    path(
        "files/<uuid:public_id>/documents/<uuid:document_id>/remove/",
        views.remove_document,
        name="remove-document",
    ),
    path("files/<uuid:public_id>/check/", views.check, name="check"),
    path("files/<uuid:public_id>/submitted/", views.submitted, name="submitted"),
    path("files/<uuid:public_id>/receipt/", views.receipt, name="receipt"),
    path(
        "files/<uuid:public_id>/decisions/<uuid:letter_id>/letter/",
        views.decision_letter,
        name="letter",
    ),
    path("files/<uuid:public_id>/answer/", views.answer, name="answer"),
    path("files/<uuid:public_id>/withdraw/", views.withdraw, name="withdraw"),
    path("files/<uuid:public_id>/copy/", views.duplicate, name="duplicate"),
    path("files/<uuid:public_id>/renew/", views.renew, name="renew"),
    path("ebox/", views.ebox, name="ebox"),
    path(
        "ebox/<uuid:message_id>/attachments/<str:part>/",
        views.ebox_attachment,
        name="ebox-attachment",
    ),
]
