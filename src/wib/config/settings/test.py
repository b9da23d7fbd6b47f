"""Test profile: fast hashing, in-memory e-mail, tasks run by the test (not a worker)."""

from .base import *  # noqa: F403
from .base import VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests serve static files from the apps' folders (no collectstatic run): tell whitenoise so.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
