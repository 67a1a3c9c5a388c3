"""The validated, immutable data every later step works on.

Loading turns YAML into these objects; scoring turns a ``Questionnaire`` and a
``Rubric`` into an ``Audit``; renderers read the ``Audit`` (through the report
context). Nothing here knows about files, YAML or rendering.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from cycleaudit.records import record

if TYPE_CHECKING:  # the plan's records live in plans.py, which builds on these
    from cycleaudit.plans import Plan

Side = Literal["on-sales", "off-sales"]
StageSide = Literal["on-sales", "off-sales", "sale"]
SIDES: tuple[Side, ...] = ("on-sales", "off-sales")

# A condition is kept as the plain mapping the rubric wrote; ``conditions``
# evaluates it. The schema has already checked its shape.
Condition = Mapping[str, Any]

# Effort and impact are words in the rubric, numbers in the formula.
RATING_VALUES: dict[str, int] = {"low": 1, "medium": 2, "high": 3}


@record
class Position:
    """Where a value sits in a source file (1-based line and column)."""

    file: str
    line: int
    column: int


# ---------------------------------------------------------------- rubric


@record
class Level:
    id: str
    title: str
    score: float  # 0..1
    description: str


@record
class Stage:
    id: str
    title: str
    side: StageSide
    weight: float
    summary: str


@record
class Asset:
    title: str
    kind: str
    body: str  # Markdown


@record
class MoneyLever:
    metric: str
    change: float
    kind: Literal["relative", "points"]
    assumption: str
    # Metrics the client must have given before the lever is sized (the
    # rubric's list; the formula's own needs are added by ``engine.money``).
    needs: tuple[str, ...] = ()
    # Sized only for these purchase patterns (empty: any); a frequency lever
    # means nothing where a contract or a schedule fixes how often people buy.
    purchase: tuple[str, ...] = ()


@record
class Tactic:
    id: str
    stage: str
    side: Side
    title: str
    question: str
    levels: Mapping[str, str]  # level id -> what that level looks like here
    advice: str  # Markdown
    # The step for someone starting from nothing; ``first_steps`` may give one per
    # current level (level id -> text), see ``first_step_for``.
    first_step: str
    effort: str  # low | medium | high
    impact: str  # low | medium | high
    weight: float
    sources: tuple[str, ...]
    requires: tuple[str, ...] = ()
    applies_when: Condition | None = None
    applies_note: str = ""
    asset: Asset | None = None
    lever: MoneyLever | None = None
    # Metrics this practice measures: it is planned as the enabler of the
    # actions those metrics would size, not ranked on its own gain.
    measures: tuple[str, ...] = ()
    first_steps: Mapping[str, str] = field(default_factory=dict)
    evidence_valid_months: int | None = None  # overrides the rubric's evidence.valid-for

    def first_step_for(self, level: str | None, level_order: tuple[str, ...]) -> str:
        """The first step that fits a client at ``level`` (None: unanswered).

        A level without its own step uses the nearest lower level that has one
        (a step for ``ad-hoc`` also serves ``defined`` unless ``defined`` has
        its own); below every given level, or unanswered, the plain
        ``first_step`` (the step from nothing) is used.
        """
        if not self.first_steps or level not in level_order:
            return self.first_step
        for lower in reversed(level_order[: level_order.index(level) + 1]):
            if lower in self.first_steps:
                return self.first_steps[lower]
        return self.first_step

    @property
    def effort_value(self) -> int:
        return RATING_VALUES[self.effort]

    @property
    def impact_value(self) -> int:
        return RATING_VALUES[self.impact]


@record
class Source:
    id: str
    title: str
    author: str
    publisher: str
    year: str
    note: str = ""
    url: str = ""


@record
class Grade:
    id: str
    minimum: float  # 0..100
    label: str
    meaning: str


@record
class Rule:
    id: str
    title: str
    kind: Literal["risk", "strength"]
    severity: Literal["high", "medium", "low"]
    when: Condition
    message: str  # Markdown: why it matters
    first_step: str
    tactics: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    saw: str = ""  # rules the engine raises itself (engine/evidence.py): one line per answer


@record
class Balance:
    # The sides are "similar" when the weaker is at least ``similar_ratio`` of
    # the stronger, or when they differ by less than ``threshold`` points.
    threshold: float
    similar_ratio: float
    on_ahead: str
    off_ahead: str
    balanced: str


@record
class Capacity:
    up_to_team: int | None  # None: any larger team
    effort_per_phase: int


@record
class Quadrant:
    id: str
    title: str
    text: str
    impact: tuple[str, ...]
    effort: tuple[str, ...]


@record
class PlanRules:
    """How the ranked gaps become a 30/60/90-day plan (the rubric's ``plan``)."""

    capacity: tuple[Capacity, ...]
    assumed_team_size: int
    first_actions: int
    fix_first: int
    quadrants: tuple[Quadrant, ...]

    def effort_per_phase(self, team_size: int) -> int:
        for rule in self.capacity:
            if rule.up_to_team is None or team_size <= rule.up_to_team:
                return rule.effort_per_phase
        return self.capacity[-1].effort_per_phase

    def quadrant(self, impact: str, effort: str) -> Quadrant:
        for quadrant in self.quadrants:
            if impact in quadrant.impact and effort in quadrant.effort:
                return quadrant
        return self.quadrants[-1]  # the schema check makes every cell covered


@dataclass(frozen=True)  # not a record: its indexes are cached_property
class Rubric:
    id: str
    version: str
    title: str
    description: str
    levels: tuple[Level, ...]
    stages: tuple[Stage, ...]
    tactics: tuple[Tactic, ...]
    sources: tuple[Source, ...]
    grades: tuple[Grade, ...]
    rules: tuple[Rule, ...]
    balance: Balance
    plan: PlanRules
    evidence_valid_months: int | None = None  # None: evidence never goes stale
    stale_rule: Rule | None = None
    expired_waiver_rule: Rule | None = None
    origin: str = ""  # file the rubric (or its last overlay) came from
    lineage: tuple[str, ...] = ()  # ids of the rubrics it extends, nearest first
    # The level from which a practice counts as in place (a prerequisite met):
    # one rule for ranking and plan alike.
    in_place_from: str = ""
    files: tuple[str, ...] = ()  # every file of its chain: outputs must never replace one

    # Lookups by id are frequent while scoring; the indexes are built once.
    @cached_property
    def _levels(self) -> dict[str, Level]:
        return {item.id: item for item in self.levels}

    @cached_property
    def _stages(self) -> dict[str, Stage]:
        return {item.id: item for item in self.stages}

    @cached_property
    def _tactics(self) -> dict[str, Tactic]:
        return {item.id: item for item in self.tactics}

    @cached_property
    def _sources(self) -> dict[str, Source]:
        return {item.id: item for item in self.sources}

    def level(self, level_id: str) -> Level:
        return self._levels[level_id]

    def stage(self, stage_id: str) -> Stage:
        return self._stages[stage_id]

    def tactic(self, tactic_id: str) -> Tactic:
        return self._tactics[tactic_id]

    def source(self, source_id: str) -> Source:
        return self._sources[source_id]

    def tactics_in(self, stage_id: str) -> tuple[Tactic, ...]:
        return tuple(t for t in self.tactics if t.stage == stage_id)

    @cached_property
    def in_place_score(self) -> float:
        """The score from which a practice counts as in place."""
        if self.in_place_from in self._levels:
            return self._levels[self.in_place_from].score
        # No level named: the middle of the scale, as the schema documents.
        return 0.5


# ---------------------------------------------------------- questionnaire


@record
class Answer:
    tactic: str
    stage: str
    level: str | None  # None when N/A
    na_reason: str = ""
    evidence: str = ""
    note: str = ""  # Markdown from the client: untrusted
    owner: str = ""
    position: Position | None = None
    checked: str = ""  # ISO date the evidence was last confirmed, or ""
    until: str = ""  # with N/A: ISO date the waiver ends, or ""

    @property
    def is_na(self) -> bool:
        return self.level is None


@record
class Organisation:
    name: str
    audited: str  # ISO date, kept as text
    auditor: str = ""
    respondents: tuple[str, ...] = ()
    # A value or, for keys that allow several (purchase, offering), a tuple of them.
    profile: Mapping[str, str | int | float | tuple[str, ...]] = field(default_factory=dict)
    currency: str = ""
    metrics: Mapping[str, float] = field(default_factory=dict)
    team: str = ""  # in a workshop: the team, who answered, and their role
    respondent: str = ""
    role: str = "self"  # or "assessor": an outsider rated the team


@record
class Questionnaire:
    version: int
    rubric: str
    organisation: Organisation
    answers: Mapping[str, Answer]  # tactic id -> answer
    other_tactics: tuple[str, ...] = ()
    origin: str = ""


# ------------------------------------------------------------------ audit

TacticStatus = Literal["scored", "na", "unknown", "not-applicable"]


@record
class TacticResult:
    tactic: Tactic
    status: TacticStatus
    score: float | None  # 0..1 when scored
    answer: Answer | None
    reason: str = ""  # why not applicable / N/A reason


@record
class StageResult:
    stage: Stage
    score: float | None  # 0..100, None when nothing was answered
    scored: int
    na: int
    unknown: int
    not_applicable: int

    @property
    def applicable(self) -> int:
        return self.scored + self.na + self.unknown

    @property
    def coverage(self) -> float:
        return 1.0 if self.applicable == 0 else (self.scored + self.na) / self.applicable


@record
class SideResult:
    side: Side
    score: float | None
    scored: int


@record
class BalanceVerdict:
    verdict: Literal["balanced", "on-sales-ahead", "off-sales-ahead", "unknown"]
    difference: float | None  # on-sales minus off-sales, points
    text: str


@record
class ValueAtStake:
    tactic: str
    amount: float  # per year, in the questionnaire's currency
    formula: str
    assumption: str


@record
class MoneySummary:
    currency: str
    annual_revenue: float | None
    revenue_formula: str
    lifetime_value: float | None
    lifetime_value_formula: str
    lifetime_value_assumptions: tuple[str, ...]
    acquisition_cost: float | None
    ratio: float | None  # lifetime value / acquisition cost
    to_measure: tuple[str, ...]  # plain-language list of missing metrics


@record
class Gap:
    tactic: Tactic
    score: float  # 0..1, current
    gain: float  # expected gain used for ranking
    gain_formula: str
    value: ValueAtStake | None = None
    # Metrics to measure before this gap can be sized in money (ids).
    value_needs: tuple[str, ...] = ()


@record
class Suggestion:
    rank: int
    gap: Gap
    why: tuple[str, ...]  # the trace: why suggested and why at this place


@record
class Exclusion:
    tactic: Tactic
    reason: str


@record
class Evidence:
    label: str
    value: str


@record
class Finding:
    rule: Rule
    evidence: tuple[Evidence, ...]


@record
class Audit:
    questionnaire: Questionnaire
    rubric: Rubric
    tactics: tuple[TacticResult, ...]
    stages: tuple[StageResult, ...]
    sides: tuple[SideResult, ...]
    overall: float | None
    grade: Grade | None
    coverage: float
    balance: BalanceVerdict
    gaps: tuple[Gap, ...]
    suggestions: tuple[Suggestion, ...]
    exclusions: tuple[Exclusion, ...]
    findings: tuple[Finding, ...]
    money: MoneySummary | None
    plan: Plan

    def stage_result(self, stage_id: str) -> StageResult:
        for result in self.stages:
            if result.stage.id == stage_id:
                return result
        raise KeyError(stage_id)

    def side_result(self, side: str) -> SideResult:
        for result in self.sides:
            if result.side == side:
                return result
        raise KeyError(side)

    def tactic_result(self, tactic_id: str) -> TacticResult:
        for result in self.tactics:
            if result.tactic.id == tactic_id:
                return result
        raise KeyError(tactic_id)

    def first_step(self, tactic: Tactic) -> str:
        """The tactic's first step for where this client stands today."""
        answer = self.tactic_result(tactic.id).answer
        level = answer.level if answer is not None else None
        return tactic.first_step_for(level, tuple(lv.id for lv in self.rubric.levels))
