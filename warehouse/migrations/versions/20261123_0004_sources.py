"""sources: withdrawn documents stay as history out of the current views; HTTP validators for conditional fetches

Revision ID: 20261123_0004
Revises: 20261123_0003
Create Date: 2026-11-23 16:25:00
"""

import sqlalchemy as sa
from alembic import op

revision = '20261123_0004'
down_revision = '20261123_0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('etag', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('last_modified', sa.String(length=100), nullable=True))
    with op.batch_alter_table('extraction_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('documents_withdrawn', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('records_changed', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('extraction_runs', schema=None) as batch_op:
        batch_op.drop_column('records_changed')
        batch_op.drop_column('documents_withdrawn')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('last_modified')
        batch_op.drop_column('etag')
        batch_op.drop_column('withdrawn_at')
