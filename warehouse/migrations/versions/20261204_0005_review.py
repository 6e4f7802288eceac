"""review: the text of each version for evidence in context; approved baseline runs, verdicts on single values, gold scores stored with runs; each run names the version it saw

Revision ID: 20261204_0005
Revises: 20261123_0004
Create Date: 2026-12-04 19:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = '20261204_0005'
down_revision = '20261123_0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'version_texts',
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['version_id'], ['document_versions.id'], name=op.f('fk_version_texts_version_id_document_versions')),
        sa.PrimaryKeyConstraint('version_id', name=op.f('pk_version_texts')),
    )
    op.create_table(
        'run_evaluations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('record_type', sa.String(length=20), nullable=False),
        sa.Column('right', sa.Integer(), nullable=False),
        sa.Column('predicted', sa.Integer(), nullable=False),
        sa.Column('gold', sa.Integer(), nullable=False),
        sa.Column('f1', sa.Float(), nullable=False),
        sa.Column('documents', sa.Integer(), nullable=False),
        sa.Column('evaluated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['extraction_runs.id'], name=op.f('fk_run_evaluations_run_id_extraction_runs')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_run_evaluations')),
        sa.UniqueConstraint('run_id', 'record_type', name=op.f('uq_run_evaluations_run_id_record_type')),
    )
    op.create_index(op.f('ix_run_evaluations_run_id'), 'run_evaluations', ['run_id'], unique=False)
    op.create_table(
        'review_approvals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('approved_by', sa.String(length=200), nullable=False),
        sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['run_id'], ['extraction_runs.id'], name=op.f('fk_review_approvals_run_id_extraction_runs')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_approvals')),
    )
    op.create_index(op.f('ix_review_approvals_run_id'), 'review_approvals', ['run_id'], unique=False)
    op.create_table(
        'review_marks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('record_table', sa.String(length=40), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(length=40), nullable=True),
        sa.Column('value', sa.Text(), nullable=True),
        sa.Column('verdict', sa.String(length=10), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('marked_by', sa.String(length=200), nullable=False),
        sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['version_id'], ['document_versions.id'], name=op.f('fk_review_marks_version_id_document_versions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_marks')),
    )
    op.create_index(op.f('ix_review_marks_version_id'), 'review_marks', ['version_id'], unique=False)
    op.create_index(op.f('ix_review_marks_record_table_record_id'), 'review_marks', ['record_table', 'record_id'], unique=False)
    # Runs that found a document unchanged did not say which version they saw;
    # it is the newest one of that document loaded under the run's extractor
    # version by then, which is what the loader now records itself.
    op.execute(
        """
        UPDATE run_documents SET version_id = (
            SELECT max(v.id) FROM document_versions v
            JOIN documents d ON d.id = v.document_id
            JOIN extraction_runs r ON r.id = run_documents.run_id
            WHERE d.source = run_documents.source AND v.extractor_version = r.extractor_version
              AND v.run_id <= run_documents.run_id)
        WHERE outcome = 'unchanged' AND version_id IS NULL
        """
    )


def downgrade() -> None:
    op.execute("UPDATE run_documents SET version_id = NULL WHERE outcome = 'unchanged'")
    op.drop_index(op.f('ix_review_marks_record_table_record_id'), table_name='review_marks')
    op.drop_index(op.f('ix_review_marks_version_id'), table_name='review_marks')
    op.drop_table('review_marks')
    op.drop_index(op.f('ix_review_approvals_run_id'), table_name='review_approvals')
    op.drop_table('review_approvals')
    op.drop_index(op.f('ix_run_evaluations_run_id'), table_name='run_evaluations')
    op.drop_table('run_evaluations')
    op.drop_table('version_texts')
