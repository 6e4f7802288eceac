"""Prefect flows: they only wire the plain functions of pipeline, extractors and warehouse."""
