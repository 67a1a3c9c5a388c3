"""Evidence that goes stale and waivers that expire."""

from __future__ import annotations

import datetime
from pathlib import Path

from click.testing import CliRunner

from cycleaudit import api
from cycleaudit.cli import main
from cycleaudit.engine.evidence import add_months, stale_answers

EVIDENCE = Path(__file__).parent.parent / "fixtures" / "evidence"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_old_evidence_is_flagged_and_fresh_evidence_is_not() -> None:
    audit = api.audit_file(EVIDENCE / "dated.yaml")
    stale = {s.tactic.id: s for s in stale_answers(audit.questionnaire, audit.rubric)}
    # Checked 2025-01-15, valid 12 months, audited 2026-06-01.
    assert set(stale) == {"define-ideal-customer"}
    assert stale["define-ideal-customer"].valid_until == "2026-01-15"
    finding = next(f for f in audit.findings if f.rule.id == "stale-evidence")
    assert [e.label for e in finding.evidence] == ["Know who your best buyers are"]
    assert "2025-01-15" in finding.evidence[0].value


def test_a_tactic_can_set_its_own_validity() -> None:
    audit = api.audit_file(EVIDENCE / "dated-quarterly.yaml")
    stale = {s.tactic.id for s in stale_answers(audit.questionnaire, audit.rubric)}
    # segment-prospects: checked 2026-02-01, valid three months in this overlay.
    assert stale == {"define-ideal-customer", "segment-prospects"}


def test_an_expired_waiver_counts_as_unanswered_with_a_finding() -> None:
    audit = api.audit_file(EVIDENCE / "dated.yaml")
    assert audit.tactic_result("offer-demos").status == "unknown"
    assert audit.tactic_result("consultative-selling").status == "na"  # until 2027
    finding = next(f for f in audit.findings if f.rule.id == "expired-waiver")
    assert [e.label for e in finding.evidence] == ["Let buyers see it working"]
    assert "2026-03-31" in finding.evidence[0].value


def test_waiver_without_end_date_still_holds(tmp_path: Path) -> None:
    text = (EVIDENCE / "dated.yaml").read_text(encoding="utf-8")
    lasting = tmp_path / "lasting.yaml"
    lasting.write_text(text.replace('      until: "2026-03-31"\n', ""), encoding="utf-8")
    before = api.audit_file(EVIDENCE / "dated.yaml")
    after = api.audit_file(lasting)
    assert after.tactic_result("offer-demos").status == "na"
    stage = before.tactic_result("offer-demos").tactic.stage
    assert after.stage_result(stage).unknown == before.stage_result(stage).unknown - 1
    assert not [f for f in after.findings if f.rule.id == "expired-waiver"]


def test_report_and_summary_say_so() -> None:
    code, report, _ = run("report", str(EVIDENCE / "dated.yaml"), "-f", "md")
    assert code == 0
    assert "Some answers rest on old evidence" in report
    assert 'A "does not apply" has run out' in report
    code, summary, _ = run("summary", str(EVIDENCE / "dated.yaml"), "-o", "-")
    assert code == 0
    assert "Know who your best buyers are (last checked 2025-01-15)" in summary
    assert "Let buyers see it working (not applicable until 2026-03-31)" in summary


def test_bad_dates_are_positioned_errors() -> None:
    code, _, stderr = run("validate", str(EVIDENCE / "bad-dates.yaml"))
    assert code == 2
    lines = stderr.splitlines()
    assert any(
        line.startswith(f"{EVIDENCE / 'bad-dates.yaml'}:10:16: error: checked: '2026-02-30'")
        for line in lines
    )
    assert any(":13:14: error: `until` belongs to a not-applicable answer" in x for x in lines)
    assert any(":16:16: error: checked 2026-07-01 is after the audit date" in x for x in lines)
    assert any(":20:14: error: until: '31/03/2026' is not a date" in x for x in lines)


def test_months_roll_over_year_ends_and_short_months() -> None:
    assert add_months(datetime.date(2025, 11, 30), 3) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2024, 1, 31), 12) == datetime.date(2025, 1, 31)
