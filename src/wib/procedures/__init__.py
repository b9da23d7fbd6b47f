"""Declarative definitions of the permit procedures: stages, states, documents, deadlines."""
