"""A guided interview that fills in a questionnaire, one question at a time.

Built for an owner who has never seen YAML: the business first (profile and
metrics, read from the questionnaire schema), then each tactic of the rubric
that fits the business. The file is saved after every answer, in the same
shape ``cycleaudit init`` writes, so stopping at any point loses at most the
question on screen, and a later run continues at the first unanswered one.

Input and output are injected (``Console``) so the interview knows nothing
of terminals or click; the words it shows live in
``templates/intake/interview.yaml``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

import yaml

from cycleaudit.datafiles import data_dir
from cycleaudit.engine import conditions
from cycleaudit.formats.blank import Filled, blank_questionnaire
from cycleaudit.intake.questions import KeyQuestion, key_questions, text_limits
from cycleaudit.model import Rubric, Stage, Tactic

# Until the owner has answered a few, a question is assumed to take this long.
SECONDS_PER_QUESTION = 25.0


class Console(Protocol):
    def ask(self, prompt: str) -> str:
        """One line of input; raises EOFError when input has ended."""

    def say(self, text: str) -> None: ...


@cache
def words() -> dict[str, str]:
    path = data_dir("templates") / "intake" / "interview.yaml"
    loaded: dict[str, str] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def _w(message: str, /, **values: Any) -> str:
    return words()[message].format(**values).rstrip("\n")


def _clean(text: str) -> str:
    """Typed text as it can be stored: no lone surrogates (undecodable bytes), trimmed."""
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text).strip()


@dataclass
class Session:
    rubric: Rubric
    rubric_ref: str
    name: str
    audited: str
    filled: Filled = field(default_factory=Filled)

    def text(self) -> str:
        return blank_questionnaire(
            self.rubric, self.rubric_ref, self.name, self.audited, self.filled
        )

    def answer(self, tactic: Tactic) -> dict[str, Any] | None:
        return self.filled.answers.get(tactic.stage, {}).get(tactic.id)

    def set_answer(self, tactic: Tactic, answer: dict[str, Any]) -> None:
        self.filled.answers.setdefault(tactic.stage, {})[tactic.id] = answer

    def applicable(self) -> list[Tactic]:
        """The tactics to ask, in rubric order: those the profile does not rule out."""
        facts = conditions.Facts(profile=self.filled.profile)
        return [
            tactic
            for stage in self.rubric.stages
            for tactic in self.rubric.tactics_in(stage.id)
            if tactic.applies_when is None
            or conditions.evaluate(tactic.applies_when, facts) is not False
        ]


def session_from_data(rubric: Rubric, rubric_ref: str, data: Mapping[str, Any]) -> Session:
    """A session continuing a questionnaire already on disk (already validated)."""
    organisation = data.get("organisation") or {}
    filled = Filled(
        auditor=str(organisation.get("auditor") or ""),
        respondents=[str(r) for r in organisation.get("respondents") or []],
        profile=dict(organisation.get("profile") or {}),
        metrics=dict(organisation.get("metrics") or {}),
        other_tactics=[str(t) for t in data.get("other-tactics") or []],
    )
    for stage_id, answers in (data.get("answers") or {}).items():
        for tactic_id, answer in (answers or {}).items():
            mapping = {"level": answer} if isinstance(answer, str) else dict(answer)
            filled.answers.setdefault(stage_id, {})[tactic_id] = mapping
    return Session(
        rubric,
        rubric_ref,
        str(organisation.get("name", "")),
        str(organisation.get("audited", "")),
        filled,
    )


@dataclass
class Outcome:
    answered: int
    asked: int
    finished: bool  # False: input ended before the last question


class Interview:
    def __init__(
        self,
        session: Session,
        console: Console,
        save: Callable[[str], None],
        check: Callable[[], list[str]],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session = session
        self.console = console
        self._save = save
        self.check = check
        self.clock = clock
        self.limits = text_limits()
        self.durations: list[float] = []

    def save(self) -> None:
        self._save(self.session.text())

    # -------------------------------------------------------------- prompts

    def _ask(self, prompt: str) -> str:
        return _clean(self.console.ask(prompt))

    def _ask_text(self, prompt: str, limit: int, *, required: bool = False) -> str:
        while True:
            text = self._ask(prompt)
            if len(text) > limit:
                self.console.say(_w("too-long", limit=f"{limit:,}", length=f"{len(text):,}"))
            elif required and not text:
                self.console.say(_w("required"))
            else:
                return text

    def _ask_key(self, question: KeyQuestion, current: Any) -> Any:
        """A profile or metric value; None when skipped."""
        self.console.say("")
        self.console.say(_w("key-title", key=question.key, meaning=question.meaning))
        shown = "" if current is None else _w("key-current", value=_shown(current))
        while True:
            raw = self._ask(_w("key-prompt", hint=question.hint(), current=shown))
            if not raw:
                return current
            if raw == "-":
                return None
            value, why = question.parse(raw)
            if value is not None:
                return value
            self.console.say(_w("invalid", why=why))

    # -------------------------------------------------------------- parts

    def ask_business(self) -> None:
        s = self.session
        self.console.say(_w("welcome", rubric=s.rubric.title))
        s.name = self._ask_text(_w("name-prompt", current=s.name), self.limits["name"]) or s.name
        while True:
            audited = self._ask(_w("date-prompt", current=s.audited)) or s.audited
            if _valid_date(audited):
                s.audited = audited
                break
            self.console.say(_w("bad-date"))
        names = self._ask(_w("respondents-prompt"))
        if names:
            s.filled.respondents = [n.strip() for n in names.split(",") if n.strip()]
        self.console.say("")
        self.console.say(_w("profile-intro"))
        for question in key_questions("profile"):
            value = self._ask_key(question, s.filled.profile.get(question.key))
            _store(s.filled.profile, question.key, value)
        self.save()
        self.ask_metrics()

    def ask_metrics(self) -> None:
        s = self.session
        self.console.say("")
        self.console.say(_w("metrics-intro"))
        while True:
            if self._ask(_w("metrics-start")).lower() in ("n", "no", "s", "skip"):
                return
            for question in key_questions("metrics"):
                value = self._ask_key(question, s.filled.metrics.get(question.key))
                _store(s.filled.metrics, question.key, value)
            self.save()
            problems = self.check()
            if not problems:
                return
            self.console.say(_w("metrics-problems"))
            for problem in problems:
                self.console.say(f"  - {problem}")

    def ask_tactics(self, start_at_first_unanswered: bool) -> Outcome:
        s = self.session
        tactics = s.applicable()
        skipped = _skipped_per_stage(s.rubric, tactics)
        index = 0
        if start_at_first_unanswered:
            index = next((i for i, t in enumerate(tactics) if s.answer(t) is None), len(tactics))
            if index:
                self.console.say(_w("resuming", done=index, total=len(tactics)))
        told: set[str] = set()
        while index < len(tactics):
            tactic = tactics[index]
            stage = s.rubric.stage(tactic.stage)
            for earlier in s.rubric.stages:  # stages none of whose questions fit are said too
                if earlier.id not in told:
                    told.add(earlier.id)
                    self._stage_intro(earlier, tactics, skipped.get(earlier.id, 0))
                if earlier.id == stage.id:
                    break
            started = self.clock()
            step = self._ask_tactic(tactic, tactics, index)
            if step == 0:
                self.console.say(_w("first-question"))
                continue
            self.durations.append(self.clock() - started)
            self.save()
            index = max(0, index + step)
        answered = sum(1 for t in tactics if s.answer(t) is not None)
        return Outcome(answered=answered, asked=len(tactics), finished=True)

    def _stage_intro(self, stage: Stage, tactics: list[Tactic], skipped: int) -> None:
        s = self.session
        number = [st.id for st in s.rubric.stages].index(stage.id) + 1
        count = sum(1 for t in tactics if t.stage == stage.id)
        self.console.say("")
        self.console.say(
            _w(
                "stage-title",
                number=number,
                stages=len(s.rubric.stages),
                title=stage.title,
                summary=stage.summary,
                count=count,
            )
        )
        if skipped:
            self.console.say(_w("stage-skipped", count=skipped))

    def _minutes_left(self, remaining: int) -> int:
        recent = self.durations[-8:]
        each = sum(recent) / len(recent) if len(recent) >= 3 else SECONDS_PER_QUESTION
        return max(1, round(remaining * each / 60))

    def _ask_tactic(self, tactic: Tactic, tactics: list[Tactic], index: int) -> int:
        """Ask one tactic; returns +1 to go on, -1 to go back, 0 when back is impossible."""
        s = self.session
        in_stage = [t for t in tactics if t.stage == tactic.stage]
        levels = s.rubric.levels
        current = s.answer(tactic)
        self.console.say("")
        self.console.say(
            _w(
                "progress",
                stage=s.rubric.stage(tactic.stage).title,
                k=in_stage.index(tactic) + 1,
                n=len(in_stage),
                done=index,
                total=len(tactics),
                minutes=self._minutes_left(len(tactics) - index),
            )
        )
        self.console.say(_w("tactic-title", title=tactic.title, question=tactic.question))
        for number, level in enumerate(levels, 1):
            described = tactic.levels.get(level.id, level.description)
            self.console.say(_w("level-line", number=number, title=level.title, text=described))
        now = ""
        if current is not None:
            now = _w("tactic-current", answer=_answer_shown(current, s.rubric))
        while True:
            raw = self._ask(_w("tactic-prompt", last=len(levels), current=now))
            choice = raw.lower()
            if not raw:
                if current is not None:
                    return 1
                self.console.say(_w("tactic-help", last=len(levels)))
                continue
            if choice == "?":
                self.console.say(_w("advice", advice=tactic.advice, step=tactic.first_step))
                continue
            if choice == "b":
                return -1 if index > 0 else 0
            if choice == "s":
                return 1
            if choice == "n":
                reason = self._ask_text(_w("na-prompt"), self.limits["na"], required=True)
                s.set_answer(tactic, {"na": reason})
                return 1
            chosen = _level_choice(choice, [lv.id for lv in levels], [lv.title for lv in levels])
            if chosen is None:
                self.console.say(_w("tactic-help", last=len(levels)))
                continue
            answer: dict[str, Any] = {"level": chosen}
            old = current or {}
            for key in ("evidence", "note"):
                shown = _w("kept", value=_short(str(old[key]))) if old.get(key) else ""
                text = self._ask_text(_w(f"{key}-prompt", current=shown), self.limits[key])
                if text == "-":
                    continue
                if text or old.get(key):
                    answer[key] = text or old[key]
            for key, value in old.items():  # owner, checked, ...: never dropped
                if key not in ("level", "na", "evidence", "note"):
                    answer[key] = value
            s.set_answer(tactic, answer)
            return 1


def _store(target: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _short(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _answer_shown(answer: Mapping[str, Any], rubric: Rubric) -> str:
    if "na" in answer:
        return _w("answer-na", reason=_short(str(answer["na"])))
    titles = {level.id: level.title for level in rubric.levels}
    return titles.get(str(answer.get("level")), str(answer.get("level")))


def _level_choice(choice: str, ids: list[str], titles: list[str]) -> str | None:
    if choice.isdigit() and 1 <= int(choice) <= len(ids):
        return ids[int(choice) - 1]
    for level_id, title in zip(ids, titles, strict=True):
        if choice in (level_id.lower(), title.lower()):
            return level_id
    return None


def _skipped_per_stage(rubric: Rubric, asked: list[Tactic]) -> dict[str, int]:
    ids = {t.id for t in asked}
    counts: dict[str, int] = {}
    for tactic in rubric.tactics:
        if tactic.id not in ids:
            counts[tactic.stage] = counts.get(tactic.stage, 0) + 1
    return counts


def _valid_date(text: str) -> bool:
    from datetime import date

    if len(text) != 10:
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
