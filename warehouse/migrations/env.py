"""Alembic environment: runs migrations on the engine the caller hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from warehouse.models import Base

config = context.config
engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode rebuilds a table by copy, drop and rename; with foreign
        # keys enforced SQLite refuses to drop a table others refer to. The
        # pragma only takes effect outside a transaction, so it goes to the driver's
        # connection directly, before SQLAlchemy begins one.
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
    try:
        with connection.begin():
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
                render_as_batch=sqlite,
                compare_type=True,
            )
            context.run_migrations()
    finally:
        if sqlite:
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
