"""The warehouse: typed SQLAlchemy models, migrations, loading and queries (never imports flows)."""
