"""The README's examples work: its questionnaire validates, its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from cycleaudit import api
from cycleaudit.cli import main

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_readme_questionnaire_validates(tmp_path: Path) -> None:
    (questionnaire,) = [b for b in _blocks("yaml") if b.startswith("cycleaudit: 1")]
    path = tmp_path / "readme.yaml"
    path.write_text(questionnaire, encoding="utf-8")
    audit = api.audit_file(path)
    assert audit.questionnaire.organisation.name == "Northwind Coffee Roasters"
    assert audit.tactic_result("loyalty-programme").status in ("na", "not-applicable")


def test_readme_overlay_names_real_ids() -> None:
    (overlay,) = [b for b in _blocks("yaml") if b.startswith("cycleaudit-rubric: 1")]
    rubric = api.load_rubric("default")
    tactic_ids = {t.id for t in rubric.tactics}
    for tactic_id in re.findall(r"- id: ([a-z-]+)\s", overlay):
        if tactic_id not in ("quarterly-review", "acme-playbook"):  # what the example adds
            assert tactic_id in tactic_ids | {s.id for s in rubric.stages}
    assert set(re.findall(r"tactics: \[([a-z-]+)\]", overlay)) <= tactic_ids


def test_readme_commands_exist() -> None:
    commands = set(main.commands)  # type: ignore[attr-defined]
    for line in _blocks("sh"):
        for used in re.findall(r"cycleaudit (\w+)", line):
            assert used in commands, used
    assert len(_blocks("sh")) >= 2
