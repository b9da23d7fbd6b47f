"""Constants shared by the access tests (a module of its own: conftest is not importable)."""

PASSWORD = "correct horse battery staple 42"
