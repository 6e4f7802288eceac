"""Brings a warehouse database to the newest migration, with the analysts' views on top."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from warehouse.models import Base
from warehouse.run_lock import warehouse_lock
from warehouse.views import VIEWS, create_views, drop_views

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


# Analysts connect through this role on PostgreSQL (created by migration 20261205_0006).
READER_ROLE = "plansift_reader"


def upgrade(engine: Engine) -> None:
    """Applies every migration the database does not have yet, then (re)creates the views.

    It runs under the warehouse lock, so two runs starting on a new
    database do not both migrate it, and every migration is one
    transaction (on SQLite too): a run killed mid-migration leaves the
    database as it was before, to be migrated again by the next.

    Views hold no data and always follow ``warehouse.views`` as it is now,
    so migrations never carry view SQL that a later column change would
    break. They are dropped while tables migrate (SQLite rebuilds tables
    under them) and recreated whenever a migration ran or one is missing;
    a changed view therefore ships with a migration, even an empty one.
    """
    with warehouse_lock(engine):
        _upgrade(engine)


def _upgrade(engine: Engine) -> None:
    config = alembic_config(engine)
    if _revision(engine) != ScriptDirectory.from_config(config).get_current_head():
        with engine.begin() as connection:
            drop_views(connection)
            _drop_unfinished_first_migration(connection)
        command.upgrade(config, "head")
    elif set(inspect(engine).get_view_names()) >= {view.name for view in VIEWS}:
        return
    with engine.begin() as connection:
        create_views(connection)
        _grant_reading(connection)


def _drop_unfinished_first_migration(connection: Connection) -> None:
    """Empty warehouse tables without a migration revision are what an older plansift left when
    killed during a new warehouse's first migration (SQLite DDL was not transactional then):
    dropped, so the migration can run again. Tables holding rows are never touched."""
    if MigrationContext.configure(connection).get_current_revision() is not None:
        return
    present = set(inspect(connection).get_table_names())
    ours = [table for table in reversed(Base.metadata.sorted_tables) if table.name in present]
    if not ours or any(connection.execute(text(f'SELECT 1 FROM "{table.name}" LIMIT 1')).first() for table in ours):
        return
    for table in ours:
        table.drop(connection)


def _grant_reading(connection: Connection) -> None:
    # Views are recreated on every migration, and a dropped view loses its grants.
    if connection.dialect.name != "postgresql":
        return
    if connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": READER_ROLE}).first() is None:
        return
    schema = connection.execute(text("SELECT current_schema()")).scalar()
    connection.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO {READER_ROLE}'))
    connection.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO {READER_ROLE}'))


def is_current(engine: Engine) -> bool:
    """Whether the database is at this code's newest migration, with its views."""
    if _revision(engine) != ScriptDirectory.from_config(alembic_config(engine)).get_current_head():
        return False
    return set(inspect(engine).get_view_names()) >= {view.name for view in VIEWS}


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def downgrade(engine: Engine, revision: str) -> None:
    """Takes the database back to ``revision``, without views: they follow the newest schema only."""
    with warehouse_lock(engine):
        with engine.begin() as connection:
            drop_views(connection)
        command.downgrade(alembic_config(engine), revision)
