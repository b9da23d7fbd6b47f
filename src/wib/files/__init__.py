"""The application ("file"): its models, state table, services, selectors and letters."""
