"""What the shared layout needs to know about the signed-in person: which menus to offer."""

from typing import Any

from django.http import HttpRequest

from wib.accounts import permissions


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Officials get the back office; people acting for an employer or themselves get their files.

    Computed lazily so pages that never render the menu do not query for it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_is_official": False, "nav_is_applicant": False}
    official = permissions.is_official(user)
    applicant = not official and (
        permissions.acts_for_self(user) or permissions.employers_acted_for(user).exists()
    )
    return {"nav_is_official": official, "nav_is_applicant": applicant}
