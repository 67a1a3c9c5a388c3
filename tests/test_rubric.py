"""Rubrics: loading, overlays by id, and positioned problems across the extends chain."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.expectations import assert_explained

from cycleaudit import api
from cycleaudit.errors import InputError

RUBRICS = Path(__file__).parent / "fixtures" / "rubrics"
BAD = sorted((RUBRICS / "bad").glob("*.yaml"))


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_rubric_is_explained_at_its_position(path: Path) -> None:
    assert_explained(path, api.load_rubric)


def test_mini_rubric_loads_in_level_order() -> None:
    rubric = api.load_rubric(RUBRICS / "mini.yaml")
    assert [level.id for level in rubric.levels] == ["none", "ad-hoc", "defined", "measured"]
    assert rubric.tactic("packaging").side == "off-sales"  # declared: its stage bridges both
    assert rubric.tactic("define-prospects").side == "on-sales"  # from its stage
    assert rubric.tactic("collect-contacts").weight == 1  # the default
    assert rubric.grades[0].id == "A"  # highest minimum first


def test_overlay_reweights_rewrites_adds_and_removes() -> None:
    base = api.load_rubric(RUBRICS / "mini.yaml")
    rubric = api.load_rubric(RUBRICS / "overlay.yaml")
    assert (rubric.id, rubric.version, rubric.lineage) == ("mini-plus", "2.0.0", ("mini",))
    assert rubric.stage("retention").weight == 3
    assert rubric.stage("retention").title == base.stage("retention").title  # kept
    follow_up = rubric.tactic("follow-up")
    assert follow_up.advice.startswith("Call every buyer")
    assert follow_up.first_step == base.tactic("follow-up").first_step  # only advice replaced
    assert rubric.tactic("birthday-card").stage == "retention"
    assert "packaging" not in [t.id for t in rubric.tactics]
    assert rubric.balance == base.balance


def test_overlay_of_an_overlay() -> None:
    rubric = api.load_rubric(RUBRICS / "overlay-of-overlay.yaml")
    assert rubric.lineage == ("mini-plus", "mini")
    card = rubric.tactic("birthday-card")
    assert (card.weight, card.effort, card.impact) == (2, "high", "low")
    assert rubric.title == "Mini rubric, consultant edition"


def test_problem_in_base_value_points_at_the_base_file(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text(
        (RUBRICS / "mini.yaml")
        .read_text()
        .replace("    sources: [seed-a]\n    money", "    sources: [seed-z]\n    money")
    )
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(
        'cycleaudit-rubric: 1\nid: o\nversion: "1"\nextends: base.yaml\n'
        "tactics:\n  - {id: follow-up, weight: 3}\n"
    )
    with pytest.raises(InputError) as caught:
        api.load_rubric(overlay)
    problem = caught.value.problems[0]
    assert problem.file.endswith("base.yaml")
    assert "unknown source 'seed-z'" in problem.message


def test_overlay_value_problem_points_at_the_overlay_line(tmp_path: Path) -> None:
    (tmp_path / "mini.yaml").write_text((RUBRICS / "mini.yaml").read_text())
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(
        'cycleaudit-rubric: 1\nid: o\nversion: "1"\nextends: mini.yaml\n'
        "tactics:\n  - id: follow-up\n    effort: huge\n"
    )
    with pytest.raises(InputError) as caught:
        api.load_rubric(overlay)
    problem = caught.value.problems[0]
    assert (Path(problem.file).name, problem.line, problem.column) == ("overlay.yaml", 7, 13)
    assert "'huge' is not allowed" in problem.message


def test_an_edited_rubric_is_reloaded(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text((RUBRICS / "mini.yaml").read_text())
    assert api.load_rubric(path).title == "Mini rubric for tests"
    path.write_text(
        (RUBRICS / "mini.yaml").read_text().replace("title: Mini rubric for tests", "title: Edited")
    )
    import os

    os.utime(path, ns=(1, 2_000_000_000_000_000_000))
    assert api.load_rubric(path).title == "Edited"


def test_a_validated_rubric_skips_the_schema_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cycleaudit.formats import rubric as rubric_module
    from cycleaudit.formats import schemacheck

    monkeypatch.setenv("CYCLEAUDIT_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "r.yaml"
    path.write_text((RUBRICS / "mini.yaml").read_text())
    calls: list[str] = []
    real_check = schemacheck.check

    def counting(document: object, name: str) -> None:
        calls.append(name)
        real_check(document, name)  # type: ignore[arg-type]

    monkeypatch.setattr(schemacheck, "check", counting)
    rubric_module._load_cached.cache_clear()
    api.load_rubric(path)
    rubric_module._load_cached.cache_clear()
    api.load_rubric(path)
    assert calls == ["rubric"], "the second load is served by the cache"
    # Any change to the content is validated again, and problems still surface.
    path.write_text((RUBRICS / "mini.yaml").read_text().replace("effort: low", "effort: tiny", 1))
    rubric_module._load_cached.cache_clear()
    with pytest.raises(InputError) as caught:
        api.load_rubric(path)
    assert "'tiny' is not allowed" in caught.value.problems[0].message
    assert calls == ["rubric", "rubric"]


def test_editing_a_base_rubric_is_seen_through_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cycleaudit.formats import rubric as rubric_module

    monkeypatch.setenv("CYCLEAUDIT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "mini.yaml").write_text((RUBRICS / "mini.yaml").read_text())
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text((RUBRICS / "overlay.yaml").read_text())
    rubric_module._load_cached.cache_clear()
    first = api.load_rubric(overlay)
    rubric_module._load_cached.cache_clear()
    assert api.load_rubric(overlay) == first  # served from the cache, same rubric
    (tmp_path / "mini.yaml").write_text(
        (RUBRICS / "mini.yaml").read_text().replace("title: Know your prospects", "title: Buyers")
    )
    rubric_module._load_cached.cache_clear()
    assert api.load_rubric(overlay).tactic("define-prospects").title == "Buyers"


def test_a_damaged_cache_entry_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cycleaudit.formats import rubric as rubric_module

    cache = tmp_path / "cache"
    monkeypatch.setenv("CYCLEAUDIT_CACHE_DIR", str(cache))
    rubric_module._load_cached.cache_clear()
    expected = api.load_rubric(RUBRICS / "mini.yaml")
    (entry,) = cache.glob("rubric-*.json")
    entry.write_text("{not json", encoding="utf-8")
    rubric_module._load_cached.cache_clear()
    assert api.load_rubric(RUBRICS / "mini.yaml") == expected
