"""Where results go: special files, OS errors, inputs, interrupts, what reaches a terminal."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from cycleaudit.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
RUBRICS = FIXTURES / "rubrics"
ESCAPES = FIXTURES / "questionnaires" / "escapes"
GOOD = FIXTURES / "questionnaires" / "mini-good.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _client_folder(tmp_path: Path, rubric: str = "mini.yaml") -> Path:
    """A questionnaire with its rubric chain beside it (overlay.yaml extends mini.yaml)."""
    for name in ("mini.yaml", "overlay.yaml"):
        shutil.copy(RUBRICS / name, tmp_path / name)
    text = GOOD.read_text().replace("../rubrics/mini.yaml", rubric)
    text = text.replace("    packaging: defined\n", "")  # the overlay removes it
    (tmp_path / "q.yaml").write_text(text)
    return tmp_path / "q.yaml"


@pytest.mark.parametrize("rubric", ["mini.yaml", "overlay.yaml"])
def test_output_over_the_rubric_chain_is_refused(tmp_path: Path, rubric: str) -> None:
    questionnaire = _client_folder(tmp_path, rubric)
    base = tmp_path / "mini.yaml"
    before = base.read_text()
    code, _, err = run("score", str(questionnaire), "-o", str(base))
    assert code == 2 and "refusing to write the output over its own input file" in err
    assert base.read_text() == before
    code, _, err = run("report", str(questionnaire), "-f", "text", "-o", str(base))
    assert code == 2
    assert base.read_text() == before


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_output_onto_a_device_keeps_the_device(tmp_path: Path) -> None:
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the same device as /dev/null
    code, _, _ = run("score", str(GOOD), "-o", str(device))
    assert code == 0
    assert stat.S_ISCHR(os.stat(device).st_mode)


def test_output_onto_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    try:
        # The reader opens the pipe first; give it the moment it needs.
        for _ in range(200):
            code, _, err = run("score", str(GOOD), "-o", str(fifo))
            if code == 0 or "no program is reading" not in err:
                break
            threading.Event().wait(0.01)
    finally:
        if not received and code != 0:
            os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # unblock the reader
        reader.join(5)
    assert code == 0, err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert b"Overall:" in received[0]


def test_output_onto_a_fifo_nobody_reads_is_an_error(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = run("score", str(GOOD), "-o", str(fifo))
    assert code == 2 and "no program is reading this pipe" in err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_folder_that_refuses_writing_is_exit_2() -> None:
    code, _, err = run("score", str(GOOD), "-o", "/proc/cycleaudit-report.txt")
    assert code == 2
    assert err.startswith("error: /proc/cycleaudit-report.txt: cannot write:")


@pytest.mark.parametrize("redirect", [">&-", ">/dev/full"])
def test_closed_or_full_standard_output_is_exit_2(redirect: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        ["sh", "-c", f'exec "$0" -m cycleaudit score "$1" {redirect}', sys.executable, str(GOOD)],
        env=env,
        stderr=subprocess.PIPE,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(b"error: cannot write to standard output")


def _interrupt_while_writing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, interrupt: object
) -> tuple[int, str]:
    def fsync(fd: int) -> None:
        interrupt()  # type: ignore[operator]

    monkeypatch.setattr(os, "fsync", fsync)
    code, _, err = run("score", str(GOOD), "-o", str(tmp_path / "out.txt"))
    return code, err


def test_ctrl_c_while_writing_exits_130_and_cleans_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def ctrl_c() -> None:
        raise KeyboardInterrupt

    code, err = _interrupt_while_writing(monkeypatch, tmp_path, ctrl_c)
    assert code == 130 and "interrupted" in err
    assert list(tmp_path.iterdir()) == []


def test_sigterm_while_writing_exits_143_and_cleans_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    code, _ = _interrupt_while_writing(
        monkeypatch, tmp_path, lambda: os.kill(os.getpid(), signal.SIGTERM)
    )
    assert code == 143
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bound", ["nan", "inf", "-1", "101", "high"])
def test_fail_under_must_be_a_score(bound: str) -> None:
    code, _, err = run("score", str(GOOD), "--fail-under", bound)
    assert code == 2 and "--fail-under" in err


def test_source_date_epoch_garbage_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from cycleaudit.renderers import RenderError
    from cycleaudit.renderers.pdf import timestamp

    for value in ("garbage", "99999999999999999999", "-5"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        with pytest.raises(RenderError, match="SOURCE_DATE_EPOCH"):
            timestamp("2026-01-01")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert timestamp("2026-01-01") == "2026-01-01T00:00:00Z"


def test_a_value_cannot_erase_the_error_line() -> None:
    code, out, err = run("validate", str(ESCAPES / "erase-line.yaml"))
    assert code == 2
    assert "\x1b" not in err + out and "\r" not in err + out
    assert "unknown tactic 'collect\\x1b[2K\\x0d/tmp/q.yaml: ok (questionnaire)'" in err


@pytest.mark.parametrize("command", [["score"], ["report", "-f", "text"]])
def test_an_organisation_name_cannot_drive_the_terminal(command: list[str]) -> None:
    code, out, _ = run(*command, str(ESCAPES / "terminal-name.yaml"))
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "Evil\\x1b]0;pwned\\x07Shop\\x1b[31m" in out


def test_output_over_a_file_of_the_theme_is_refused(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(FIXTURES / "report" / "custom-theme", theme)
    before = (theme / "theme.css").read_text()
    code, _, err = run(
        "report", str(GOOD), "-t", str(theme), "-f", "html", "-o", str(theme / "theme.css")
    )
    assert code == 2 and "over its own input file" in err
    assert (theme / "theme.css").read_text() == before


def test_score_json_keeps_values_but_escapes_every_control(tmp_path: Path) -> None:
    questionnaire = tmp_path / "q.yaml"
    shutil.copy(ESCAPES / "mini.yaml", tmp_path / "mini.yaml")
    questionnaire.write_text(
        (ESCAPES / "terminal-name.yaml").read_text().replace("Evil", "Evil\\u009b2J\\u202e")
    )
    code, out, _ = run("score", str(questionnaire), "-f", "json")
    assert code == 0
    assert "\x9b" not in out and "\u202e" not in out and "\x1b" not in out
    name = json.loads(out)["organisation"]["name"]
    assert name.startswith("Evil\x9b2J\u202e\x1b]0;pwned")


def test_an_output_made_again_easily_skips_the_sync_but_not_the_rename(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from cycleaudit.output import write_atomic

    synced: list[int] = []
    monkeypatch.setattr(os, "fsync", synced.append)
    target = tmp_path / "report.json"
    write_atomic(str(target), b"{}\n", durable=False)
    assert synced == [] and target.read_bytes() == b"{}\n"
    write_atomic(str(target), b"[]\n")  # the default: synced before the rename
    assert len(synced) == 1 and target.read_bytes() == b"[]\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary left
