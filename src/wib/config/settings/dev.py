"""Development profile: the embedded default (SQLite, local files), debug off unless asked."""

from .base import *  # noqa: F403
