"""`cycleaudit summary`: consensus, disagreement, self against assessor, heatmap, shared gaps."""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from cycleaudit import api
from cycleaudit.cli import main
from cycleaudit.engine import evidence

WORKSHOP = Path(__file__).parent.parent / "fixtures" / "workshop"
EVIDENCE = Path(__file__).parent.parent / "fixtures" / "evidence"
GOOD = sorted(p for p in WORKSHOP.glob("*.yaml") if not p.name.startswith("zz-"))
LEVELS = ["none", "ad-hoc", "defined", "measured"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    out = tmp_path_factory.mktemp("summary") / "summary.json"
    code, _, stderr = run("summary", *map(str, GOOD), "-o", str(out))
    assert code == 0, stderr
    return json.loads(out.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def group(context: dict, label: str) -> dict:  # type: ignore[type-arg]
    return next(g for g in context["groups"] if g["label"] == label)


def test_groups_by_organisation_and_team(context: dict) -> None:  # type: ignore[type-arg]
    assert context["questionnaires"] == 28
    # Three organisations answered by several people, eighteen franchise teams once each.
    assert len(context["groups"]) == 21
    assert sorted(g["label"] for g in context["several"]) == [
        "Harbour Bakery",
        "Kestrel Tools",
        "Moss and Fern Florists",
    ]
    assert "Northwind Coffee: Leeds" in [g["label"] for g in context["groups"]]


def test_consensus_is_the_median_of_the_teams_own_answers(context: dict) -> None:  # type: ignore[type-arg]
    # Harbour Bakery: three staff and an outside assessor (Lars). The assessor's
    # answers show in the spread but stay out of the team's median.
    harbour = group(context, "Harbour Bakery")
    audits = [api.audit_file(p) for p in GOOD if p.name.startswith("harbour-")]
    team = [a for a in audits if a.questionnaire.organisation.role != "assessor"]
    assert len(team) == 3 and harbour["consensus_of"] == 3 and harbour["assessed"]
    titles = {lv.id: lv.title for lv in audits[0].rubric.levels}

    def levels(among: list, tactic: str) -> list[int]:  # type: ignore[type-arg]
        return [
            LEVELS.index(a.questionnaire.answers[tactic].level or "none")
            for a in among
            if tactic in a.questionnaire.answers
        ]

    moved = 0
    for row in harbour["spread"]:
        everyone, own = levels(audits, row["tactic"]), levels(team, row["tactic"])
        assert row["consensus"] == titles[LEVELS[statistics.median_low(own)]]
        assert row["spread"] == max(everyone) - min(everyone)
        moved += statistics.median_low(own) != statistics.median_low(everyone)
    assert moved, "the fixture should have tactics where the assessor would move the median"
    assert len(harbour["spread"][0]["said"]) == 4
    # Without an assessor, everyone's answers make the median.
    kestrel = group(context, "Kestrel Tools")
    assert not kestrel["assessed"] and kestrel["consensus_of"] == len(kestrel["respondents"])


def test_where_you_disagree_lists_the_widest_spread_first(context: dict) -> None:  # type: ignore[type-arg]
    for g in context["several"]:
        spreads = [d["spread"] for d in g["disagree"]]
        assert spreads == sorted(spreads, reverse=True)
        assert spreads and spreads[0] == max(r["spread"] for r in g["spread"])


def test_self_against_assessor_only_with_an_assessor(context: dict) -> None:  # type: ignore[type-arg]
    harbour = group(context, "Harbour Bakery")
    rows = harbour["self_vs_assessor"]
    assert rows[0]["stage"] == "Finding prospects"
    lars = api.audit_file(WORKSHOP / "harbour-lars.yaml")
    first = lars.rubric.stages[0].id
    assert rows[0]["assessor"] == round(lars.stage_result(first).score or 0, 1)
    assert all(r["gap"] == round(r["self"] - r["assessor"], 1) for r in rows)
    assert group(context, "Kestrel Tools")["self_vs_assessor"] is None


def test_heatmap_ranking_and_shared_gaps(context: dict) -> None:  # type: ignore[type-arg]
    for g in context["groups"]:
        known = {k: v for k, v in g["stages"].items() if v is not None}
        assert known[g["weakest"]] == min(known.values())
    scores = [r["overall"] for r in context["ranking"]]
    assert scores == sorted(scores, reverse=True)
    shared = {s["tactic"]: s["teams"] for s in context["shared_gaps"]}
    assert "thank-you-card" in shared
    never = sum("thank-you-card" in g["lowest_level"] for g in context["groups"])
    assert shared["thank-you-card"] == never >= len(context["groups"]) / 2
    cells = [c for row in context["heatmap"]["rows"] for c in row["cells"]]
    assert len(cells) == 21 * 5 and sum(c["weakest"] for c in cells) == 21


def test_markdown_and_text_say_it_in_words(tmp_path: Path) -> None:
    out = tmp_path / "summary.md"
    assert run("summary", str(WORKSHOP / "harbour-*.yaml"), "-o", str(out))[0] == 0
    text = out.read_text(encoding="utf-8")
    assert "### Where you disagree" in text
    assert "### Self-rating against the assessor" in text
    assert "Lars Berg (assessor)" in text
    code, plain, _ = run("summary", str(WORKSHOP / "kestrel-*.yaml"))
    assert code == 0 and "WORKSHOP SUMMARY" in plain and "Self-rating" not in plain


def test_bad_inputs_stop_the_summary(tmp_path: Path) -> None:
    out = tmp_path / "summary.md"
    code, _, stderr = run("summary", str(WORKSHOP), "-o", str(out))
    assert code == 2
    assert "zz-wrong-level.yaml:14:28: error" in stderr
    assert "zz-broken-syntax.yaml:15:18: error" in stderr
    assert not out.exists()


def test_summary_pdf_has_the_heatmap_and_the_disagreement(tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    files = [str(p) for p in GOOD if p.name.startswith(("harbour-", "northwind-0"))]
    code, _, stderr = run("summary", *files, "-o", str(out))
    assert code == 0, stderr
    assert "warning" not in stderr
    reader = PdfReader(out)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Scores by stage" in text and "Northwind Coffee: Aberdeen" in text
    assert "Where you disagree" in text and "Harbour Bakery: 4 respondents" in text


def _one(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def test_what_it_says_of_each_questionnaire_is_what_scoring_that_file_says(
    tmp_path: Path,
) -> None:
    # The summary keeps a little of each audit (a member); every figure taken
    # from one questionnaire is checked here against its audit, so a part
    # left out of the member cannot go unnoticed.
    out = tmp_path / "summary.json"
    files = [*GOOD, *(EVIDENCE / f"dated{n}.yaml" for n in ("", "-colleague", "-quarterly"))]
    code, _, stderr = run("summary", *map(str, files), "-o", str(out))
    assert code == 0, stderr
    context = json.loads(out.read_text(encoding="utf-8"))
    kinds = set()
    for g in context["groups"]:
        audits = [api.audit_file(r["file"]) for r in g["respondents"]]
        stale = []
        for r, audit in zip(g["respondents"], audits, strict=True):
            q = audit.questionnaire
            org = q.organisation
            assert r["who"] == (org.respondent or Path(q.origin).stem)
            assert (r["role"], r["overall"]) == (org.role, _one(audit.overall))
            for item in evidence.stale_answers(q, audit.rubric):
                stale.append([r["who"], item.tactic.title, "stale", item.checked])
            for answer in q.answers.values():
                if evidence.waiver_expired(answer, org.audited):
                    title = audit.rubric.tactic(answer.tactic).title
                    stale.append([r["who"], title, "expired", answer.until])
        assert [[s["who"], s["title"], s["kind"], s["date"]] for s in g["stale"]] == stale
        kinds |= {s["kind"] for s in g["stale"]}
        assert g["audited"] == max(a.questionnaire.organisation.audited for a in audits)
        if len(audits) == 1:
            (audit,) = audits
            assert g["overall"] == _one(audit.overall)
            assert g["grade"] == (audit.grade.label if audit.grade else None)
            assert g["stages"] == {s.stage.id: _one(s.score) for s in audit.stages}
            assert g["sides"] == {s.side: _one(s.score) for s in audit.sides}
            assert g["balance"] == audit.balance.verdict
            assert g["balance_difference"] == _one(audit.balance.difference)
            lowest = audit.rubric.levels[0].id
            assert g["lowest_level"] == sorted(
                t.tactic.id for t in audit.tactics if t.answer and t.answer.level == lowest
            )
        else:
            titles = {lv.id: lv.title for lv in audits[0].rubric.levels}
            for row in g["spread"]:
                said = []
                for audit in audits:
                    answer = audit.questionnaire.answers.get(row["tactic"])
                    level = None if answer is None else answer.level
                    said.append(
                        [
                            None if level is None else titles[level],
                            answer is not None and level is None,
                        ]
                    )
                assert [[s["level"], s["na"]] for s in row["said"]] == said
    assert kinds == {"stale", "expired"}, "the dated fixture has both kinds"


def test_a_large_team_s_answers_stay_on_the_page(tmp_path: Path) -> None:
    """Ten people in one team: their answer tables are split, no column runs off the paper."""
    from tests.renderers.pdfcheck import words

    source = (WORKSHOP / "harbour-ada.yaml").read_text(encoding="utf-8")
    assert "respondent: Ada" in source
    for number in range(1, 11):
        named = source.replace("respondent: Ada", f"respondent: Person{number:02d}")
        (tmp_path / f"p{number:02d}.yaml").write_text(named, encoding="utf-8")
    target = tmp_path / "summary.pdf"
    code, _, err = run("summary", str(tmp_path), "-o", str(target))
    assert code == 0 and "warning" not in err, err
    data = target.read_bytes()
    width = float(PdfReader(target).pages[0].mediabox.width)
    pages = words(data)
    for page in pages:
        assert all(word.x1 <= width for word in page), [w.text for w in page if w.x1 > width]
    printed = {word.text for page in pages for word in page}
    assert {f"Person{n:02d}" for n in range(1, 11)} <= printed  # every one of them shown
    assert "6 to 10 of 10 people" in " ".join(" ".join(w.text for w in p) for p in pages)


def test_past_ten_people_a_team_s_answers_are_counted_per_level(tmp_path: Path) -> None:
    """Twelve people: one table of how many gave each answer, not three of who said what."""
    ada = (WORKSHOP / "harbour-ada.yaml").read_text(encoding="utf-8")
    ines = (WORKSHOP / "harbour-ines.yaml").read_text(encoding="utf-8")
    for number in range(1, 13):
        source = ines if number == 12 else ada  # Ines answers differently somewhere
        named = re.sub(r"respondent: .*", f"respondent: Person{number:02d}", source)
        (tmp_path / f"p{number:02d}.yaml").write_text(named, encoding="utf-8")
    target = tmp_path / "summary.json"
    code, _, err = run("summary", str(tmp_path), "-o", str(target))
    assert code == 0, err
    (group,) = json.loads(target.read_text(encoding="utf-8"))["groups"]
    assert len(group["respondents"]) == 12
    for row in group["spread"]:
        answered = sum(1 for s in row["said"] if s["level"] is not None or s["na"])
        assert sum(row["counts"]) + row["not_applicable"] == answered
    widest = group["disagree"][0]
    assert 11 in widest["counts"] and 1 in widest["counts"]
    page = tmp_path / "summary.html"
    code, _, err = run("summary", str(tmp_path), "-o", str(page))
    assert code == 0, err
    html = page.read_text(encoding="utf-8")
    assert html.count("How many of the 12 people gave each answer") == 2  # disagree, every answer
    assert "<th>Person01</th>" not in html  # no column per person
