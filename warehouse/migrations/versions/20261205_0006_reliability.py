"""reliability: sums that total others, copies of another document, run status (aborted runs), the analysts' read-only role

Revision ID: 20261205_0006
Revises: 20261204_0005
Create Date: 2026-12-05 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '20261205_0006'
down_revision = '20261204_0005'
branch_labels = None
depends_on = None

READER_ROLE = 'plansift_reader'


def upgrade() -> None:
    with op.batch_alter_table('fundings') as batch:
        batch.add_column(sa.Column('is_total', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('documents') as batch:
        batch.add_column(sa.Column('duplicate_of', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_documents_duplicate_of_documents'), 'documents', ['duplicate_of'], ['id'])
        batch.create_index(op.f('ix_documents_duplicate_of'), ['duplicate_of'], unique=False)
    with op.batch_alter_table('extraction_runs') as batch:
        batch.add_column(sa.Column('status', sa.String(length=20), nullable=False, server_default='finished'))
    # A run that never finished was killed: only one run writes at a time, and this one holds the lock.
    op.execute(
        "UPDATE extraction_runs SET status = 'aborted', finished_at = CURRENT_TIMESTAMP WHERE finished_at IS NULL"
    )
    if op.get_bind().dialect.name == 'postgresql':
        _create_reader_role()


def _create_reader_role() -> None:
    # Roles belong to the whole server; a warehouse owner without CREATEROLE gets
    # a notice instead of a failed migration, and the README says how to add it.
    op.execute(
        f"""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{READER_ROLE}') THEN
                CREATE ROLE {READER_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
            END IF;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'cannot create role {READER_ROLE}: %', SQLERRM;
        END
        $$
        """
    )


def downgrade() -> None:
    with op.batch_alter_table('extraction_runs') as batch:
        batch.drop_column('status')
    with op.batch_alter_table('documents') as batch:
        batch.drop_index(op.f('ix_documents_duplicate_of'))
        batch.drop_constraint(op.f('fk_documents_duplicate_of_documents'), type_='foreignkey')
        batch.drop_column('duplicate_of')
    with op.batch_alter_table('fundings') as batch:
        batch.drop_column('is_total')
