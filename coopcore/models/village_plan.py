"""Weak-village oversight: thresholds, village collective income, improvement plans and their parts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coopcore.db.base import Base, OptimisticLock
from coopcore.db.types import Money, StrEnumType
from coopcore.terms import (
    FundingSource,
    Origin,
    PlanStatus,
    ProjectKind,
    ProjectStatus,
    VillageIncomeCategory,
)

if TYPE_CHECKING:
    from coopcore.models.cooperative import Cooperative
    from coopcore.models.enterprise import Enterprise
    from coopcore.models.geography import Township, Village


class WeakVillageThreshold(OptimisticLock, Base):
    """The weak-village line from a year on, for one township or (township unset) everywhere (§9.1)."""

    __tablename__ = "weak_village_threshold"
    __table_args__ = (
        UniqueConstraint("effective_year", "township_id"),
        CheckConstraint("weak_below > 0 AND shell_at >= 0", name="amounts"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_year: Mapped[int]
    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"))
    weak_below: Mapped[Money]
    shell_at: Mapped[Money] = mapped_column(default=Decimal("0.00"))

    township: Mapped[Township | None] = relationship()


class VillageIncome(OptimisticLock, Base):
    """A village collective's income of a year; linked sources (dividends, rent) are unique per origin."""

    __tablename__ = "village_income"
    __table_args__ = (
        UniqueConstraint("origin", "source_ref"),
        CheckConstraint("amount >= 0 OR category = 'investment'", name="amount_sign"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    year: Mapped[int]
    category: Mapped[VillageIncomeCategory] = mapped_column(StrEnumType(VillageIncomeCategory, "category"))
    amount: Mapped[Money]
    # Which path wrote the row (coopcore.terms.Origin); unclaimed rows count as typed by hand.
    origin: Mapped[Origin] = mapped_column(
        StrEnumType(Origin, "origin"), default=Origin.MANUAL, server_default="manual"
    )
    # For linked income, what it came from (e.g. "distribution:12:member:34"); never counted twice.
    source_ref: Mapped[str | None] = mapped_column(String(60))
    memo: Mapped[str] = mapped_column(String(200), default="")

    village: Mapped[Village] = relationship()


plan_cooperative = Table(
    "plan_cooperative",
    Base.metadata,
    Column("plan_id", ForeignKey("improvement_plan.id"), primary_key=True),
    Column("cooperative_id", ForeignKey("cooperative.id"), primary_key=True),
)

plan_enterprise = Table(
    "plan_enterprise",
    Base.metadata,
    Column("plan_id", ForeignKey("improvement_plan.id"), primary_key=True),
    Column("enterprise_id", ForeignKey("enterprise.id"), primary_key=True),
)


class ImprovementPlan(OptimisticLock, Base):
    """提升方案 of a weak village (一村一档): baseline, target, measures, and how it is going."""

    __tablename__ = "improvement_plan"
    __table_args__ = (
        UniqueConstraint("village_id", "baseline_year"),
        CheckConstraint("target_year >= baseline_year", name="years"),
        CheckConstraint("target_income > baseline_income", name="target"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"))
    filed_on: Mapped[dt.date]
    baseline_year: Mapped[int]
    baseline_income: Mapped[Money]
    target_income: Mapped[Money]
    target_year: Mapped[int]
    causes: Mapped[str] = mapped_column(String(200), default="")  # tags: 资源, 区位, 班子, 债务, 其他
    measures: Mapped[str] = mapped_column(Text, default="")
    cadres: Mapped[str] = mapped_column(String(200), default="")  # 包村干部, 第一书记
    status: Mapped[PlanStatus] = mapped_column(StrEnumType(PlanStatus, "status"), default=PlanStatus.FILED)

    village: Mapped[Village] = relationship()
    cooperatives: Mapped[list[Cooperative]] = relationship(secondary=plan_cooperative)
    enterprises: Mapped[list[Enterprise]] = relationship(secondary=plan_enterprise)
    projects: Mapped[list[Project]] = relationship(back_populates="plan")
    funding_lines: Mapped[list[FundingLine]] = relationship(back_populates="plan")
    progress_entries: Mapped[list[ProgressEntry]] = relationship(
        back_populates="plan", order_by="ProgressEntry.entry_on"
    )


class Project(OptimisticLock, Base):
    """An industry project of an improvement plan."""

    __tablename__ = "project"
    __table_args__ = (
        CheckConstraint("budget >= 0", name="budget"),
        CheckConstraint("due_on >= start_on", name="term"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("improvement_plan.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[ProjectKind] = mapped_column(StrEnumType(ProjectKind, "kind"))
    budget: Mapped[Money]
    start_on: Mapped[dt.date]
    due_on: Mapped[dt.date]
    completed_on: Mapped[dt.date | None]
    status: Mapped[ProjectStatus] = mapped_column(StrEnumType(ProjectStatus, "status"), default=ProjectStatus.PLANNED)

    plan: Mapped[ImprovementPlan] = relationship(back_populates="projects")
    milestones: Mapped[list[Milestone]] = relationship(back_populates="project", order_by="Milestone.due_on")


class Milestone(OptimisticLock, Base):
    """A dated step of a project; overdue when not done by its date."""

    __tablename__ = "milestone"
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    due_on: Mapped[dt.date]
    done_on: Mapped[dt.date | None]

    project: Mapped[Project] = relationship(back_populates="milestones")


class FundingLine(OptimisticLock, Base):
    """Money for a plan (or one of its projects) from one source: allocated, received, spent."""

    __tablename__ = "funding_line"
    __table_args__ = (CheckConstraint("allocated >= 0 AND received >= 0 AND spent >= 0", name="amounts"),)
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("improvement_plan.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"))
    source: Mapped[FundingSource] = mapped_column(StrEnumType(FundingSource, "source"))
    allocated: Mapped[Money]
    received: Mapped[Money] = mapped_column(default=Decimal("0.00"))
    spent: Mapped[Money] = mapped_column(default=Decimal("0.00"))
    received_on: Mapped[dt.date | None]
    forms_poverty_asset: Mapped[bool] = mapped_column(default=False)  # 扶贫/衔接项目资产 [KJ 第三十三条]

    plan: Mapped[ImprovementPlan] = relationship(back_populates="funding_lines")
    project: Mapped[Project | None] = relationship()


class ProgressEntry(OptimisticLock, Base):
    """A dated note on how a plan is going."""

    __tablename__ = "progress_entry"
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("improvement_plan.id"), index=True)
    entry_on: Mapped[dt.date]
    note: Mapped[str] = mapped_column(Text)
    income_to_date: Mapped[Money | None]

    plan: Mapped[ImprovementPlan] = relationship(back_populates="progress_entries")
