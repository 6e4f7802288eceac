"""Reading plan documents into the one Document model (no orchestration, no storage)."""
