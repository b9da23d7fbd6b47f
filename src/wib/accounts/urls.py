"""Access pages, mounted at /<lang>/account/ under the "accounts" namespace."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("logout-everywhere/", views.logout_everywhere_view, name="logout-everywhere"),
    path("start/", views.start_view, name="start"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("second-factor/enrol/", views.otp_enrol_view, name="otp-enrol"),
    path("second-factor/verify/", views.otp_verify_view, name="otp-verify"),
    path("enterprise/", views.choose_enterprise_view, name="choose-enterprise"),
    path("people/", views.people_view, name="people"),
    path("people/<uuid:membership_id>/", views.member_view, name="member"),
    path("people/<uuid:membership_id>/remove/", views.member_remove_view, name="member-remove"),
    path(
        "invitations/<uuid:invitation_id>/cancel/",
        views.invitation_cancel_view,
        name="invitation-cancel",
    ),
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation-accept"),
    path("mandates/", views.mandates_given_view, name="mandates-given"),
    path("mandates/new/", views.mandate_grant_view, name="mandate-grant"),
    path("mandates/<uuid:mandate_id>/revoke/", views.mandate_revoke_view, name="mandate-revoke"),
    path("mandates/received/", views.mandates_received_view, name="mandates-received"),
]
