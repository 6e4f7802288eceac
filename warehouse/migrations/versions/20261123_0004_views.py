"""views: the analysts' views over the current version of each document

Revision ID: 20261123_0004
Revises: 20261123_0003
Create Date: 2026-11-23 15:20:00
"""

from alembic import op

from warehouse.views import create_views, drop_views

revision = '20261123_0004'
down_revision = '20261123_0003'
branch_labels = None
depends_on = None


# A later change to a view is a new revision that calls create_views again:
# views hold no data, so recreating them is always safe.
def upgrade() -> None:
    create_views(op.get_bind())


def downgrade() -> None:
    drop_views(op.get_bind())
