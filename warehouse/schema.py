"""Brings a warehouse database to the newest migration, with the analysts' views on top."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from warehouse.views import VIEWS, create_views, drop_views

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Applies every migration the database does not have yet, then (re)creates the views.

    Views hold no data and always follow ``warehouse.views`` as it is now,
    so migrations never carry view SQL that a later column change would
    break. They are dropped while tables migrate (SQLite rebuilds tables
    under them) and recreated whenever a migration ran or one is missing;
    a changed view therefore ships with a migration, even an empty one.
    """
    config = alembic_config(engine)
    if _revision(engine) != ScriptDirectory.from_config(config).get_current_head():
        with engine.begin() as connection:
            drop_views(connection)
        command.upgrade(config, "head")
    elif set(inspect(engine).get_view_names()) >= {view.name for view in VIEWS}:
        return
    with engine.begin() as connection:
        create_views(connection)


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
    with engine.begin() as connection:
        drop_views(connection)
    command.downgrade(alembic_config(engine), revision)
