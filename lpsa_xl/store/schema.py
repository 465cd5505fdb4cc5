"""The store's tables (SQLAlchemy Core), as the newest migration leaves them.

The migrations in :mod:`lpsa_xl.store.migrations` create and change the real schema; these
definitions are what the data-access code queries, and a test checks that a database migrated
from nothing matches them. Every figure is an :class:`~lpsa_xl.store.types.Exact` column.

* ``agreements``: one row per version of an authority's agreement (``version`` counts from 1;
  a renegotiation adds a row, nothing is overwritten), with the date it came into force.
* ``agreement_lines``: its targets and sub-targets (``parent`` is the target's reference for a
  sub-target, ``""`` for a target).
* ``agreement_partners``: partners and their shares of the reward.
* ``rounds``: one checked return (file name and SHA-256, totals, finding counts), per authority.
* ``round_figures``: the figures that return gave (``ref`` ``""`` for agreement-level ones).
* ``round_findings``: what the checker found in it.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from lpsa_xl.store.types import Exact

__all__ = [
    "agreement_lines",
    "agreement_partners",
    "agreements",
    "metadata",
    "round_figures",
    "round_findings",
    "rounds",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

agreements = Table(
    "agreements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("authority_key", String(200), nullable=False, index=True),
    Column("authority", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("in_force_from", Date, nullable=False),
    Column("scheme", String(40), nullable=False),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("nbr", Exact),
    Column("nbr_year", String(40), nullable=False, default=""),
    Column("stated_potential", Exact),
    Column("pump_priming_grant", Exact),
    Column("source", Text, nullable=False, default=""),
    Column("source_hash", String(64), nullable=False, default=""),
    Column("content_hash", String(64), nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    UniqueConstraint("authority_key", "version"),
)

agreement_lines = Table(
    "agreement_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "agreement_id",
        Integer,
        ForeignKey("agreements.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("position", Integer, nullable=False),
    Column("ref", String(60), nullable=False),
    Column("parent", String(60), nullable=False, default=""),
    Column("measure", Text, nullable=False, default=""),
    Column("unit", String(60), nullable=False, default=""),
    Column("direction", String(20)),
    Column("expected", Exact),
    Column("target", Exact),
    Column("weight", Exact),
    Column("potential", Exact),
    Column("interim_target", Exact),
    Column("baseline", Exact),
    Column("baseline_year", String(40), nullable=False, default=""),
    UniqueConstraint("agreement_id", "parent", "ref"),
)

agreement_partners = Table(
    "agreement_partners",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "agreement_id",
        Integer,
        ForeignKey("agreements.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("position", Integer, nullable=False),
    Column("partner", String(200), nullable=False),
    Column("share", Exact, nullable=False),
)

rounds = Table(
    "rounds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("authority_key", String(200), nullable=False, index=True),
    Column("authority", String(200), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("file_hash", String(64), nullable=False),
    Column("checked_at", DateTime, nullable=False),
    Column("status", String(20), nullable=False),
    Column("scheme", String(40), nullable=False, default=""),
    Column("total_potential", Exact),
    Column("total_reward", Exact),
    Column("claimed_reward", Exact),
    Column("errors", Integer, nullable=False, default=0),
    Column("warnings", Integer, nullable=False, default=0),
    Column("agreement_id", Integer, ForeignKey("agreements.id", ondelete="SET NULL")),
)

round_figures = Table(
    "round_figures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("ref", String(60), nullable=False),
    Column("field", String(40), nullable=False),
    Column("value", Exact),
    UniqueConstraint("round_id", "ref", "field"),
)

round_findings = Table(
    "round_findings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("severity", String(10), nullable=False),
    Column("rule", String(10), nullable=False),
    Column("sheet", String(200)),
    Column("cell", String(20)),
    Column("message", Text, nullable=False),
)
