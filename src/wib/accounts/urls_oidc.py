"""OpenID Connect endpoints, outside the language prefix so the redirect URI is stable."""

from django.urls import path

from .oidc import OIDCCallbackView, OIDCLoginView

app_name = "oidc"

urlpatterns = [
    path("authenticate/", OIDCLoginView.as_view(), name="login"),
    path("callback/", OIDCCallbackView.as_view(), name="callback"),
]
