"""Extractors: pure functions from a Document to records with provenance."""
