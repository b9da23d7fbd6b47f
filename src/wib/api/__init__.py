"""REST API v1 for integrators and scripts: files, competent authority and register look-ups."""
