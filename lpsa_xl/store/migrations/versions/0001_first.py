"""The first schema: the agreements register (versions, lines, partners) and the returns
history (rounds, their figures and findings).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from lpsa_xl.store.types import Exact

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True)


def _owner(name: str, table: str, ondelete: str = "CASCADE", nullable: bool = False) -> sa.Column:
    return sa.Column(
        name,
        sa.Integer,
        sa.ForeignKey(f"{table}.id", ondelete=ondelete, name=f"fk_{name}_{table}"),
        nullable=nullable,
    )


def upgrade() -> None:
    op.create_table(
        "agreements",
        _id(),
        sa.Column("authority_key", sa.String(200), nullable=False),
        sa.Column("authority", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("in_force_from", sa.Date, nullable=False),
        sa.Column("scheme", sa.String(40), nullable=False),
        sa.Column("period_start", sa.Date),
        sa.Column("period_end", sa.Date),
        sa.Column("nbr", Exact),
        sa.Column("nbr_year", sa.String(40), nullable=False),
        sa.Column("stated_potential", Exact),
        sa.Column("pump_priming_grant", Exact),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("authority_key", "version", name="uq_agreements_authority_key"),
    )
    op.create_index("ix_agreements_authority_key", "agreements", ["authority_key"])
    op.create_table(
        "agreement_lines",
        _id(),
        _owner("agreement_id", "agreements"),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("ref", sa.String(60), nullable=False),
        sa.Column("parent", sa.String(60), nullable=False),
        sa.Column("measure", sa.Text, nullable=False),
        sa.Column("unit", sa.String(60), nullable=False),
        sa.Column("direction", sa.String(20)),
        sa.Column("expected", Exact),
        sa.Column("target", Exact),
        sa.Column("weight", Exact),
        sa.Column("potential", Exact),
        sa.Column("interim_target", Exact),
        sa.Column("baseline", Exact),
        sa.Column("baseline_year", sa.String(40), nullable=False),
        sa.UniqueConstraint(
            "agreement_id", "parent", "ref", name="uq_agreement_lines_agreement_id"
        ),
    )
    op.create_index("ix_agreement_lines_agreement_id", "agreement_lines", ["agreement_id"])
    op.create_table(
        "agreement_partners",
        _id(),
        _owner("agreement_id", "agreements"),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("partner", sa.String(200), nullable=False),
        sa.Column("share", Exact, nullable=False),
    )
    op.create_index("ix_agreement_partners_agreement_id", "agreement_partners", ["agreement_id"])
    op.create_table(
        "rounds",
        _id(),
        sa.Column("authority_key", sa.String(200), nullable=False),
        sa.Column("authority", sa.String(200), nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("file_hash", sa.String(64), nullable=False),
        sa.Column("checked_at", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("scheme", sa.String(40), nullable=False),
        sa.Column("total_potential", Exact),
        sa.Column("total_reward", Exact),
        sa.Column("claimed_reward", Exact),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        _owner("agreement_id", "agreements", ondelete="SET NULL", nullable=True),
    )
    op.create_index("ix_rounds_authority_key", "rounds", ["authority_key"])
    for name, columns in (
        (
            "round_figures",
            [
                sa.Column("ref", sa.String(60), nullable=False),
                sa.Column("field", sa.String(40), nullable=False),
                sa.Column("value", Exact),
                sa.UniqueConstraint("round_id", "ref", "field", name="uq_round_figures_round_id"),
            ],
        ),
        (
            "round_findings",
            [
                sa.Column("severity", sa.String(10), nullable=False),
                sa.Column("rule", sa.String(10), nullable=False),
                sa.Column("sheet", sa.String(200)),
                sa.Column("cell", sa.String(20)),
                sa.Column("message", sa.Text, nullable=False),
            ],
        ),
    ):
        op.create_table(name, _id(), _owner("round_id", "rounds"), *columns)
        op.create_index(f"ix_{name}_round_id", name, ["round_id"])


def downgrade() -> None:
    for name in (
        "round_findings",
        "round_figures",
        "rounds",
        "agreement_partners",
        "agreement_lines",
        "agreements",
    ):
        op.drop_table(name)
