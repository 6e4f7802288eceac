"""The warehouse migrations on SQLite and PostgreSQL: a warehouse of the 20261123_0002 shape upgrades to head.

Revision 20261123_0003 turns per-document projects and contacts into
entities with mentions; these tests fill a 0002 warehouse with old-shape
rows, upgrade it, and check that every row and link survives, that the
views answer over the migrated rows, and how far the migrations go back.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, MetaData, insert, inspect, select, text

from warehouse.connection import open_engine
from warehouse.models import Base
from warehouse.schema import alembic_config, downgrade, upgrade
from warehouse.views import VIEWS

RECORDS_REVISION = "20261123_0002"
ENTITIES_REVISION = "20261123_0003"

OKM = "Opetus- ja kulttuuriministeriö"
FORSSA = "Forssan kaupunki"
MAIJA_EMAIL = "maija.meikalainen@forssa.fi"

# The ids the old rows got, by the names the tests know them by ("oikeus_2024", "maija_2025", ...).
OldIds = dict[str, int]


def _provenance(version_id: int, page: int, char_start: int, evidence: str, extractor: str) -> dict[str, Any]:
    return {
        "version_id": version_id,
        "page": page,
        "char_start": char_start,
        "char_end": char_start + len(evidence),
        "evidence": evidence,
        "extractor": extractor,
        "extractor_version": "1.2",
        "rule": f"{extractor}_rule",
        "confidence": 0.9,
    }


class OldWarehouse:
    """Inserts rows into the 0002 tables and remembers the ids they got, by a name the tests use."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.tables = MetaData()
        self.tables.reflect(connection)
        self.ids: OldIds = {}

    def add(self, label: str, table: str, /, **values: Any) -> int:
        # The ids come from the database, as they did in a real 0002 warehouse.
        result = self.connection.execute(insert(self.tables.tables[table]).values(**values))
        self.ids[label] = result.inserted_primary_key[0]
        return self.ids[label]


def _fill_documents(old: OldWarehouse) -> None:
    moment = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    run = old.add(
        "run", "extraction_runs", started_at=moment, finished_at=moment, extractor_version="rules-1",
        documents_new=2, documents_changed=0, documents_unchanged=0, documents_failed=1, records_added=12,
    )
    for label, source, media_type in (
        ("2024", "inbox/hankkeet-2024.txt", "text/plain"),
        ("2025", "inbox/hankkeet-2025.html", "text/html"),
    ):
        document = old.add(
            f"document_{label}", "documents", source=source, name=source.rsplit("/", 1)[1],
            first_seen=moment, last_seen=moment,
        )
        old.add(
            f"version_{label}", "document_versions", document_id=document, run_id=run, sha256=label * 16,
            extractor_version="rules-1", media_type=media_type, title=f"Hankkeet {label}", language="fi",
            page_count=1, char_count=4000, loaded_at=moment, publisher=FORSSA, kind="project_list",
        )
    old.add("failure", "run_failures", run_id=run, source="inbox/rikki.pdf", reason="unreadable",
            detail="no text layer")


def _fill_projects(old: OldWarehouse) -> None:
    v2024, v2025 = old.ids["version_2024"], old.ids["version_2025"]
    okm = old.add("okm", "organisations", name=OKM, type="ministry")
    forssa = old.add("forssa", "organisations", name=FORSSA, type="municipality")
    # The distinct project comes between the two spellings, so mention ids and entity ids differ.
    oikeus_2024 = old.add(
        "oikeus_2024", "projects", name="Oikeus Oppia -hanke", start_date="2024-01", end_date="2025-12",
        status="ongoing", theme="Osallisuus", **_provenance(v2024, 1, 120, "Oikeus Oppia -hanke 2024-2025", "projects"),
    )
    kestava = old.add(
        "kestava", "projects", name="Kestävä Forssa", start_date="2023", end_date=None, status=None, theme=None,
        **_provenance(v2024, 2, 900, "Kestävä Forssa (2023-)", "projects"),
    )
    oikeus_2025 = old.add(
        "oikeus_2025", "projects", name="Oikeus oppia", start_date="2024-01-15", end_date="2026-06",
        status="ongoing", theme="Sivistys", **_provenance(v2025, 3, 40, "Oikeus oppia 15.1.2024-6/2026", "projects"),
    )
    for name, project, organisation, role in (
        ("po_2024_coordinator", oikeus_2024, forssa, "coordinator"),
        ("po_2024_funder", oikeus_2024, okm, "funder"),
        ("po_kestava", kestava, forssa, "coordinator"),
        ("po_2025_coordinator", oikeus_2025, forssa, "coordinator"),
    ):
        old.add(name, "project_organisations", project_id=project, organisation_id=organisation, role=role, position=0)
    old.add(
        "funding", "fundings", project_id=oikeus_2025, project_name="Oikeus oppia", funder_id=okm,
        amount_eur=Decimal("120000.00"), qualifier="exact", instrument="valtionavustus",
        **_provenance(v2025, 3, 80, "OKM myönsi 120 000 euroa", "fundings"),
    )
    old.add(
        "funding_unattached", "fundings", project_id=None, project_name="Tuntematon hanke", funder_id=None,
        amount_eur=Decimal("5000.00"), qualifier="approx", instrument=None,
        **_provenance(v2024, 2, 950, "noin 5 000 euroa", "fundings"),
    )


def _fill_contacts(old: OldWarehouse) -> None:
    v2024, v2025, forssa = old.ids["version_2024"], old.ids["version_2025"], old.ids["forssa"]
    maija_2024 = old.add(
        "maija_2024", "contacts", name="Maija Meikäläinen", title="projektipäällikkö", email=MAIJA_EMAIL,
        phone=None, organisation_id=forssa, project_id=old.ids["oikeus_2024"],
        **_provenance(v2024, 1, 200, "Maija Meikäläinen, maija.meikalainen@forssa.fi", "contacts"),
    )
    maija_2025 = old.add(
        "maija_2025", "contacts", name="Maija Meikäläinen", title="hankekoordinaattori", email=MAIJA_EMAIL,
        phone="+358401234567", organisation_id=forssa, project_id=old.ids["oikeus_2025"],
        **_provenance(v2025, 3, 300, "Maija Meikäläinen p. 040 123 4567", "contacts"),
    )
    matti = old.add(
        "matti", "contacts", name="Matti Virtanen", title=None, email=None, phone="+358501112223",
        organisation_id=None, project_id=old.ids["oikeus_2025"],
        **_provenance(v2025, 3, 360, "Matti Virtanen 050 111 2223", "contacts"),
    )
    for name, project, contact, position in (
        ("pc_2024_maija", old.ids["oikeus_2024"], maija_2024, 0),
        ("pc_2025_maija", old.ids["oikeus_2025"], maija_2025, 0),
        ("pc_2025_matti", old.ids["oikeus_2025"], matti, 1),
    ):
        old.add(name, "project_contacts", project_id=project, contact_id=contact, position=position)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def old_ids(engine: Engine) -> OldIds:
    """A warehouse at 20261123_0002 holding two documents' projects, contacts and their links."""
    command.upgrade(alembic_config(engine), RECORDS_REVISION)
    with engine.begin() as connection:
        old = OldWarehouse(connection)
        _fill_documents(old)
        _fill_projects(old)
        _fill_contacts(old)
    return old.ids


@pytest.fixture
def migrated(engine: Engine, old_ids: OldIds) -> OldIds:
    """The ids of the old rows, after the warehouse holding them was upgraded to head."""
    upgrade(engine)
    return old_ids


def _rows(engine: Engine, sql: str, **parameters: Any) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(text(sql), parameters)]


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_two_spellings_of_a_project_become_one_project_with_two_mentions(engine: Engine, migrated: OldIds) -> None:
    projects = _rows(engine, "SELECT id, key, name FROM projects ORDER BY id")
    assert [(p["key"], p["name"]) for p in projects] == [
        ("oikeus oppia", "Oikeus Oppia -hanke"),
        ("kestävä forssa", "Kestävä Forssa"),
    ]
    mentions = _rows(engine, "SELECT id, project_id FROM project_mentions ORDER BY id")
    oikeus, kestava = projects[0]["id"], projects[1]["id"]
    assert mentions == [
        {"id": migrated["oikeus_2024"], "project_id": oikeus},
        {"id": migrated["kestava"], "project_id": kestava},
        {"id": migrated["oikeus_2025"], "project_id": oikeus},
    ]


def test_project_mentions_carry_the_old_fields_and_provenance(engine: Engine, migrated: OldIds) -> None:
    mention = _rows(engine, "SELECT * FROM project_mentions WHERE id = :id", id=migrated["oikeus_2025"])[0]
    assert {k: v for k, v in mention.items() if k not in ("id", "project_id")} == {
        "name": "Oikeus oppia",
        "start_date": "2024-01-15",
        "end_date": "2026-06",
        "status": "ongoing",
        "theme": "Sivistys",
        **_provenance(migrated["version_2025"], 3, 40, "Oikeus oppia 15.1.2024-6/2026", "projects"),
    }
    undated = _rows(engine, "SELECT end_date, status, theme, version_id FROM project_mentions WHERE id = :id",
                    id=migrated["kestava"])
    assert undated == [{"end_date": None, "status": None, "theme": None, "version_id": migrated["version_2024"]}]


def test_the_same_email_in_two_versions_is_one_contact(engine: Engine, migrated: OldIds) -> None:
    contacts = _rows(engine, "SELECT id, key, name, email, organisation_id FROM contacts ORDER BY id")
    assert [(c["key"], c["name"], c["email"]) for c in contacts] == [
        (f"email:{MAIJA_EMAIL}", "Maija Meikäläinen", MAIJA_EMAIL),
        ("name:matti virtanen|", "Matti Virtanen", None),
    ]
    assert contacts[0]["organisation_id"] == migrated["forssa"]
    mentions = _rows(
        engine, "SELECT id, contact_id, title, phone, project_mention_id, version_id, evidence "
        "FROM contact_mentions ORDER BY id",
    )
    maija, matti = contacts[0]["id"], contacts[1]["id"]
    assert [(m["id"], m["contact_id"], m["project_mention_id"], m["version_id"]) for m in mentions] == [
        (migrated["maija_2024"], maija, migrated["oikeus_2024"], migrated["version_2024"]),
        (migrated["maija_2025"], maija, migrated["oikeus_2025"], migrated["version_2025"]),
        (migrated["matti"], matti, migrated["oikeus_2025"], migrated["version_2025"]),
    ]
    # What each document said of the person stays with its mention.
    assert [(m["title"], m["phone"]) for m in mentions[:2]] == [
        ("projektipäällikkö", None),
        ("hankekoordinaattori", "+358401234567"),
    ]
    assert mentions[1]["evidence"] == "Maija Meikäläinen p. 040 123 4567"


def test_organisation_links_point_at_the_old_project_rows_as_mentions(engine: Engine, migrated: OldIds) -> None:
    links = _rows(engine, "SELECT id, mention_id, organisation_id, role FROM project_organisations ORDER BY id")
    assert links == [
        {"id": migrated["po_2024_coordinator"], "mention_id": migrated["oikeus_2024"],
         "organisation_id": migrated["forssa"], "role": "coordinator"},
        {"id": migrated["po_2024_funder"], "mention_id": migrated["oikeus_2024"],
         "organisation_id": migrated["okm"], "role": "funder"},
        {"id": migrated["po_kestava"], "mention_id": migrated["kestava"],
         "organisation_id": migrated["forssa"], "role": "coordinator"},
        {"id": migrated["po_2025_coordinator"], "mention_id": migrated["oikeus_2025"],
         "organisation_id": migrated["forssa"], "role": "coordinator"},
    ]


def test_project_contacts_point_at_project_and_contact_mentions(engine: Engine, migrated: OldIds) -> None:
    links = _rows(
        engine, "SELECT id, project_mention_id, contact_mention_id, position FROM project_contacts ORDER BY id",
    )
    assert links == [
        {"id": migrated["pc_2024_maija"], "project_mention_id": migrated["oikeus_2024"],
         "contact_mention_id": migrated["maija_2024"], "position": 0},
        {"id": migrated["pc_2025_maija"], "project_mention_id": migrated["oikeus_2025"],
         "contact_mention_id": migrated["maija_2025"], "position": 0},
        {"id": migrated["pc_2025_matti"], "project_mention_id": migrated["oikeus_2025"],
         "contact_mention_id": migrated["matti"], "position": 1},
    ]


def test_fundings_point_at_the_mention_and_the_project_entity(engine: Engine, migrated: OldIds) -> None:
    fundings = _rows(
        engine, "SELECT f.id, f.project_mention_id, f.project_id, p.key AS project_key, f.project_name, "
        "f.funder_id, f.amount_eur, f.instrument, f.version_id, f.evidence "
        "FROM fundings f LEFT JOIN projects p ON p.id = f.project_id ORDER BY f.id",
    )
    tied, unattached = fundings
    assert tied["id"] == migrated["funding"]
    assert tied["project_mention_id"] == migrated["oikeus_2025"]
    assert tied["project_key"] == "oikeus oppia"
    assert (tied["funder_id"], Decimal(str(tied["amount_eur"])), tied["instrument"]) == (
        migrated["okm"], Decimal("120000"), "valtionavustus",
    )
    assert (tied["version_id"], tied["evidence"]) == (migrated["version_2025"], "OKM myönsi 120 000 euroa")
    assert unattached["id"] == migrated["funding_unattached"]
    assert (unattached["project_mention_id"], unattached["project_id"], unattached["project_name"]) == (
        None, None, "Tuntematon hanke",
    )


def test_organisations_get_their_aliases(engine: Engine, migrated: OldIds) -> None:
    aliases = _rows(
        engine, "SELECT o.name, a.alias FROM organisation_aliases a JOIN organisations o ON o.id = a.organisation_id",
    )
    assert {(a["name"], a["alias"]) for a in aliases} == {(OKM, "OKM"), (FORSSA, "Forssa")}


def test_run_documents_are_backfilled_from_versions_and_failures(engine: Engine, migrated: OldIds) -> None:
    rows = _rows(engine, "SELECT run_id, source, outcome, version_id, records, warnings FROM run_documents")
    run = migrated["run"]
    assert sorted(rows, key=lambda r: r["source"]) == [
        {"run_id": run, "source": "inbox/hankkeet-2024.txt", "outcome": "new",
         "version_id": migrated["version_2024"], "records": 0, "warnings": 0},
        {"run_id": run, "source": "inbox/hankkeet-2025.html", "outcome": "new",
         "version_id": migrated["version_2025"], "records": 0, "warnings": 0},
        {"run_id": run, "source": "inbox/rikki.pdf", "outcome": "failed", "version_id": None,
         "records": 0, "warnings": 0},
    ]
    assert _rows(engine, "SELECT warnings FROM extraction_runs") == [{"warnings": 0}]


def test_project_overview_shows_the_merged_project_once_with_both_documents(engine: Engine, migrated: OldIds) -> None:
    assert set(inspect(engine).get_view_names()) >= {view.name for view in VIEWS}
    overview = _rows(engine, "SELECT * FROM project_overview ORDER BY name")
    assert [row["name"] for row in overview] == ["Kestävä Forssa", "Oikeus Oppia -hanke"]
    merged = overview[1]
    assert merged["documents"] == "hankkeet-2024.txt; hankkeet-2025.html"
    assert merged["mentions"] == 2
    assert (merged["start_date"], merged["end_date"], merged["theme"]) == ("2024-01", "2026-06", "Sivistys")
    assert merged["coordinator"] == FORSSA
    assert merged["contacts"] == f"Maija Meikäläinen <{MAIJA_EMAIL}>; Matti Virtanen"
    assert Decimal(str(merged["total_funding_eur"])) == Decimal("120000")


def test_migrated_tables_take_new_rows_after_the_carried_over_ids(engine: Engine, migrated: OldIds) -> None:
    # The next ingest adds rows without ids; they must not collide with the ids the migration wrote.
    tables = Base.metadata.tables
    provenance = _provenance(migrated["version_2025"], 4, 10, "Uusi hanke", "projects")
    with engine.begin() as connection:
        def add(table: str, /, **values: Any) -> int:
            return connection.execute(insert(tables[table]).values(**values)).inserted_primary_key[0]

        project = add("projects", key="uusi hanke", name="Uusi hanke")
        mention = add("project_mentions", project_id=project, name="Uusi hanke", **provenance)
        contact = add("contacts", key="email:uusi@forssa.fi", email="uusi@forssa.fi")
        contact_mention = add("contact_mentions", contact_id=contact, email="uusi@forssa.fi",
                              project_mention_id=mention, **provenance)
        add("project_organisations", mention_id=mention, organisation_id=migrated["forssa"], role="partner",
            position=0)
        add("project_contacts", project_mention_id=mention, contact_mention_id=contact_mention, position=0)
        add("fundings", project_mention_id=mention, project_id=project, **provenance)
        add("organisation_aliases", organisation_id=migrated["forssa"], alias="Forssan kaupunki (Häme)")
        add("run_documents", run_id=migrated["run"], source="inbox/uusi.txt", outcome="new", records=0, warnings=0)
    with engine.connect() as connection:
        names = connection.scalars(select(tables["projects"].c.name).order_by(tables["projects"].c.id)).all()
    assert names[-1] == "Uusi hanke"
    assert len(names) == 3


def test_downgrade_to_0003_drops_the_views_and_the_withdrawn_columns(engine: Engine, migrated: OldIds) -> None:
    downgrade(engine, ENTITIES_REVISION)
    assert _revision(engine) == ENTITIES_REVISION
    assert "withdrawn_at" not in {c["name"] for c in inspect(engine).get_columns("documents")}
    assert not set(inspect(engine).get_view_names()) & {view.name for view in VIEWS}
    assert len(_rows(engine, "SELECT id FROM project_mentions")) == 3


def test_downgrading_0003_asks_for_a_backup_and_keeps_the_entities(engine: Engine, migrated: OldIds) -> None:
    config = alembic_config(engine)
    downgrade(engine, ENTITIES_REVISION)
    with pytest.raises(NotImplementedError, match="backup"):
        command.downgrade(config, RECORDS_REVISION)
    assert _revision(engine) == ENTITIES_REVISION
    assert len(_rows(engine, "SELECT id FROM projects")) == 2


def test_migrated_database_matches_the_models(engine: Engine, migrated: OldIds) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


SOURCES_REVISION = "20261123_0004"


def test_runs_that_found_a_document_unchanged_learn_which_version_they_saw(engine: Engine) -> None:
    command.upgrade(alembic_config(engine), SOURCES_REVISION)
    now = datetime(2026, 11, 30, tzinfo=UTC)
    with engine.begin() as connection:
        run = lambda version: connection.execute(  # noqa: E731 - three one-line inserts
            text("INSERT INTO extraction_runs (started_at, extractor_version, documents_new, documents_changed, "
                 "documents_unchanged, documents_failed, documents_withdrawn, records_added, records_changed, warnings) "
                 "VALUES (:t, :v, 0, 0, 0, 0, 0, 0, 0, 0) RETURNING id"), {"t": now, "v": version}).scalar()
        first, second, third = run("v1"), run("v1"), run("v2")
        document = connection.execute(
            text("INSERT INTO documents (source, name, first_seen, last_seen) VALUES ('inbox/a.txt', 'a.txt', :t, :t) "
                 "RETURNING id"), {"t": now}).scalar()
        version = connection.execute(
            text("INSERT INTO document_versions (document_id, run_id, sha256, extractor_version, media_type, "
                 "page_count, char_count, loaded_at) VALUES (:d, :r, 'aa', 'v1', 'text/plain', 1, 10, :t) RETURNING id"),
            {"d": document, "r": first, "t": now}).scalar()
        for run_id, outcome in ((first, "new"), (second, "unchanged"), (third, "unchanged")):
            connection.execute(
                text("INSERT INTO run_documents (run_id, source, outcome, version_id, records, warnings) "
                     "VALUES (:r, 'inbox/a.txt', :o, :v, 0, 0)"),
                {"r": run_id, "o": outcome, "v": version if outcome == "new" else None})
    upgrade(engine)
    rows = _rows(engine, "SELECT run_id, version_id FROM run_documents ORDER BY run_id")
    # The run under another extractor version saw no version of its own: it stays without one.
    assert rows == [{"run_id": first, "version_id": version}, {"run_id": second, "version_id": version},
                    {"run_id": third, "version_id": None}]
    downgrade(engine, SOURCES_REVISION)
    assert not {"review_marks", "review_approvals", "run_evaluations", "version_texts"} & set(inspect(engine).get_table_names())
