"""What every command shares: the --db option, how errors are said, and the settings they build."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.settings import DB_URL_VARIABLE, Settings
from warehouse.connection import WarehouseUnreachable, WarehouseURLError

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar=DB_URL_VARIABLE, help="Warehouse URL, e.g. sqlite:///var/plansift.db or postgresql+psycopg://user@host/db."),
]


def fail(message: str) -> None:
    # Plain echo, not rich: an error message must never be re-wrapped.
    typer.echo(f"Error: {message}", err=True)


def settings_for(db: str | None, **options: object) -> Settings:
    """The settings with the command's options; a --db that is no database URL, or a PostgreSQL
    warehouse that cannot be connected to, ends the command with one line saying why (exit 2)."""
    settings = Settings().with_options(db_url=db, **options)
    try:
        from warehouse.connection import check_connection, open_engine

        open_engine(settings.db_url).dispose()
        check_connection(settings.db_url)
    except (WarehouseURLError, WarehouseUnreachable) as error:
        fail(f"{error}")
        raise typer.Exit(2) from None
    return settings
