"""Stand-ins for external government services (eBox, authorities' systems), same HTTP shape."""
