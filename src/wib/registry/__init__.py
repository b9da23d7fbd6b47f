"""The enterprise register: enterprises and establishment units from the KBO/BCE open data."""
