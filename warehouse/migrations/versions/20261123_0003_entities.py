"""entities: projects and contacts merged across documents, mentions, aliases, run documents

Revision ID: 20261123_0003
Revises: 20261123_0002
Create Date: 2026-11-23 14:49:45.005483
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from extractors.organisations import aliases_of
from warehouse.identity import contact_key, project_key

revision = '20261123_0003'
down_revision = '20261123_0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    old = _read_record_tables()
    _drop_record_tables()
    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=1000), nullable=False),
    sa.Column('name', sa.String(length=1000), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('key', name=op.f('uq_projects_key'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_name'), ['name'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=700), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('email', sa.String(length=300), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_contacts_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('key', name=op.f('uq_contacts_key'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('organisation_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_aliases_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_aliases')),
    sa.UniqueConstraint('organisation_id', 'alias', name=op.f('uq_organisation_aliases_organisation_id_alias'))
    )
    with op.batch_alter_table('organisation_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_aliases_alias'), ['alias'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_aliases_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('project_mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=1000), nullable=False),
    sa.Column('start_date', sa.String(length=10), nullable=True),
    sa.Column('end_date', sa.String(length=10), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('theme', sa.String(length=1000), nullable=True),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('char_start', sa.Integer(), nullable=False),
    sa.Column('char_end', sa.Integer(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('extractor', sa.String(length=100), nullable=False),
    sa.Column('extractor_version', sa.String(length=20), nullable=False),
    sa.Column('rule', sa.String(length=100), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_mentions_project_id_projects')),
    sa.ForeignKeyConstraint(['version_id'], ['document_versions.id'], name=op.f('fk_project_mentions_version_id_document_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_mentions'))
    )
    with op.batch_alter_table('project_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_mentions_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_mentions_version_id'), ['version_id'], unique=False)

    op.create_table('run_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=2000), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('warnings', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['extraction_runs.id'], name=op.f('fk_run_documents_run_id_extraction_runs')),
    sa.ForeignKeyConstraint(['version_id'], ['document_versions.id'], name=op.f('fk_run_documents_version_id_document_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_run_documents'))
    )
    with op.batch_alter_table('run_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_run_documents_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_run_documents_source'), ['source'], unique=False)
        batch_op.create_index(batch_op.f('ix_run_documents_version_id'), ['version_id'], unique=False)

    op.create_table('contact_mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('email', sa.String(length=300), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('project_mention_id', sa.Integer(), nullable=True),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('char_start', sa.Integer(), nullable=False),
    sa.Column('char_end', sa.Integer(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('extractor', sa.String(length=100), nullable=False),
    sa.Column('extractor_version', sa.String(length=20), nullable=False),
    sa.Column('rule', sa.String(length=100), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_contact_mentions_contact_id_contacts')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_contact_mentions_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['project_mention_id'], ['project_mentions.id'], name=op.f('fk_contact_mentions_project_mention_id_project_mentions')),
    sa.ForeignKeyConstraint(['version_id'], ['document_versions.id'], name=op.f('fk_contact_mentions_version_id_document_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_mentions'))
    )
    with op.batch_alter_table('contact_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_mentions_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_mentions_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_mentions_project_mention_id'), ['project_mention_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_mentions_version_id'), ['version_id'], unique=False)

    op.create_table('fundings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_mention_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('project_name', sa.String(length=1000), nullable=True),
    sa.Column('funder_id', sa.Integer(), nullable=True),
    sa.Column('amount_eur', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('qualifier', sa.String(length=10), nullable=True),
    sa.Column('instrument', sa.String(length=100), nullable=True),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('char_start', sa.Integer(), nullable=False),
    sa.Column('char_end', sa.Integer(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('extractor', sa.String(length=100), nullable=False),
    sa.Column('extractor_version', sa.String(length=20), nullable=False),
    sa.Column('rule', sa.String(length=100), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['funder_id'], ['organisations.id'], name=op.f('fk_fundings_funder_id_organisations')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_fundings_project_id_projects')),
    sa.ForeignKeyConstraint(['project_mention_id'], ['project_mentions.id'], name=op.f('fk_fundings_project_mention_id_project_mentions')),
    sa.ForeignKeyConstraint(['version_id'], ['document_versions.id'], name=op.f('fk_fundings_version_id_document_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fundings'))
    )
    with op.batch_alter_table('fundings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fundings_funder_id'), ['funder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fundings_instrument'), ['instrument'], unique=False)
        batch_op.create_index(batch_op.f('ix_fundings_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fundings_project_mention_id'), ['project_mention_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fundings_version_id'), ['version_id'], unique=False)

    op.create_table('project_organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mention_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['mention_id'], ['project_mentions.id'], name=op.f('fk_project_organisations_mention_id_project_mentions')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_project_organisations_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_organisations')),
    sa.UniqueConstraint('mention_id', 'organisation_id', 'role', name=op.f('uq_project_organisations_mention_id_organisation_id_role'))
    )
    with op.batch_alter_table('project_organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_organisations_mention_id'), ['mention_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_organisations_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('project_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_mention_id', sa.Integer(), nullable=False),
    sa.Column('contact_mention_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_mention_id'], ['contact_mentions.id'], name=op.f('fk_project_contacts_contact_mention_id_contact_mentions')),
    sa.ForeignKeyConstraint(['project_mention_id'], ['project_mentions.id'], name=op.f('fk_project_contacts_project_mention_id_project_mentions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_contacts')),
    sa.UniqueConstraint('project_mention_id', 'contact_mention_id', name=op.f('uq_project_contacts_project_mention_id_contact_mention_id'))
    )
    with op.batch_alter_table('project_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_contacts_contact_mention_id'), ['contact_mention_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_contacts_project_mention_id'), ['project_mention_id'], unique=False)

    with op.batch_alter_table('extraction_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('warnings', sa.Integer(), nullable=False, server_default='0'))

    _write_entities(old)
    _backfill_run_documents()
    _advance_id_sequences()



def downgrade() -> None:
    raise NotImplementedError(
        "20261123_0003 merges projects and contacts into entities and cannot be undone in place; "
        "restore the warehouse from a backup taken before the upgrade, or re-ingest the sources"
    )


# Projects and contacts were rows per document version; they become entities
# with mentions. The rows are carried over, never dropped: mention ids keep
# the old ids, so every link survives.
_OLD_TABLES = ("project_contacts", "project_organisations", "fundings", "contacts", "projects")
_PROVENANCE = ("version_id", "page", "char_start", "char_end", "evidence", "extractor", "extractor_version", "rule", "confidence")


def _read_record_tables() -> dict[str, list[dict[str, Any]]]:
    bind = op.get_bind()
    return {
        table: [dict(row._mapping) for row in bind.execute(sa.text(f"SELECT * FROM {table} ORDER BY id"))]
        for table in _OLD_TABLES
    }


def _drop_record_tables() -> None:
    for table in _OLD_TABLES:
        op.drop_table(table)


def _table(name: str) -> sa.Table:
    return sa.Table(name, sa.MetaData(), autoload_with=op.get_bind())


def _insert(name: str, rows: list[dict[str, Any]]) -> None:
    if rows:
        op.get_bind().execute(sa.insert(_table(name)), rows)


def _write_entities(old: dict[str, list[dict[str, Any]]]) -> None:
    project_ids: dict[str, int] = {}
    projects, mentions = [], []
    for row in old["projects"]:
        key = project_key(row["name"])
        if key not in project_ids:
            project_ids[key] = len(project_ids) + 1
            projects.append({"id": project_ids[key], "key": key, "name": row["name"]})
        fields = {k: row[k] for k in ("id", "name", "start_date", "end_date", "status", "theme", *_PROVENANCE)}
        mentions.append({**fields, "project_id": project_ids[key]})
    _insert("projects", projects)
    _insert("project_mentions", mentions)
    mention_project = {m["id"]: m["project_id"] for m in mentions}
    _insert("project_organisations", [
        {"id": r["id"], "mention_id": r["project_id"], "organisation_id": r["organisation_id"], "role": r["role"], "position": r["position"]}
        for r in old["project_organisations"]
    ])
    _write_contacts(old["contacts"])
    _insert("project_contacts", [
        {"id": r["id"], "project_mention_id": r["project_id"], "contact_mention_id": r["contact_id"], "position": r["position"]}
        for r in old["project_contacts"]
    ])
    _insert("fundings", [
        {**{k: v for k, v in r.items() if k != "project_id"}, "project_mention_id": r["project_id"],
         "project_id": mention_project.get(r["project_id"])}
        for r in old["fundings"]
    ])
    _write_aliases()


def _write_contacts(rows: list[dict[str, Any]]) -> None:
    bind = op.get_bind()
    organisations = dict(bind.execute(sa.text("SELECT id, name FROM organisations")).all())
    contact_ids: dict[str, int] = {}
    contacts, mentions = [], []
    for row in rows:
        key = contact_key(row["name"], row["email"], organisations.get(row["organisation_id"]))
        values = {k: row[k] for k in ("name", "title", "email", "phone", "organisation_id")}
        if key not in contact_ids:
            contact_ids[key] = len(contact_ids) + 1
            contacts.append({"id": contact_ids[key], "key": key, **values})
        fields = {k: row[k] for k in ("id", *values, *_PROVENANCE)}
        mentions.append({**fields, "contact_id": contact_ids[key], "project_mention_id": row["project_id"]})
    _insert("contacts", contacts)
    _insert("contact_mentions", mentions)


def _write_aliases() -> None:
    bind = op.get_bind()
    rows = [
        {"organisation_id": org_id, "alias": alias}
        for org_id, name in bind.execute(sa.text("SELECT id, name FROM organisations")).all()
        for alias in aliases_of(name)
    ]
    _insert("organisation_aliases", rows)


def _backfill_run_documents() -> None:
    # Earlier runs recorded only the versions they added and their failures.
    bind = op.get_bind()
    versions = bind.execute(sa.text(
        "SELECT v.run_id, d.source, v.id, v.document_id FROM document_versions v "
        "JOIN documents d ON d.id = v.document_id ORDER BY v.id"
    )).all()
    seen: set[int] = set()
    rows = []
    for run_id, source, version_id, document_id in versions:
        rows.append({"run_id": run_id, "source": source, "outcome": "changed" if document_id in seen else "new",
                     "version_id": version_id, "records": 0, "warnings": 0})
        seen.add(document_id)
    failures = bind.execute(sa.text("SELECT DISTINCT run_id, source FROM run_failures")).all()
    rows += [{"run_id": r, "source": s, "outcome": "failed", "version_id": None, "records": 0, "warnings": 0} for r, s in failures]
    _insert("run_documents", rows)


def _advance_id_sequences() -> None:
    # Rows written with their ids leave PostgreSQL's id sequences at 1; the
    # next load would collide with the carried-over rows. SQLite needs nothing.
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in ("projects", "project_mentions", "contacts", "contact_mentions", "project_organisations",
                  "project_contacts", "fundings"):
        bind.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) "
            f"FROM {table}"
        ))
