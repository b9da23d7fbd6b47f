"""Clients for the external systems the single window talks to, one small class per channel."""
