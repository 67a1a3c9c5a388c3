"""The rubric cache can make a run faster, never change its result."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cycleaudit import api
from cycleaudit.formats import rubric as rubric_module

FIXTURES = Path(__file__).parent / "fixtures"
QUESTIONNAIRE = FIXTURES / "questionnaires" / "mini-good.yaml"
MINI = FIXTURES / "rubrics" / "mini.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CYCLEAUDIT_CACHE_DIR", str(folder))
    rubric_module._load_cached.cache_clear()
    yield folder
    rubric_module._load_cached.cache_clear()


def _overall() -> float | None:
    rubric_module._load_cached.cache_clear()
    return api.audit_file(QUESTIONNAIRE).overall


def _entry(cache: Path) -> Path:
    (entry,) = cache.glob("rubric-*.json")
    return entry


def _poison(record: dict) -> None:  # type: ignore[type-arg]
    """Every level scores full marks: any audit would get 100."""
    for level in record["data"]["levels"]:
        level["score"] = 1


def test_cache_folder_is_private(cache: Path) -> None:
    _overall()
    assert cache.stat().st_mode & 0o777 == 0o700


def test_a_planted_entry_cannot_change_the_score(cache: Path) -> None:
    honest = _overall()
    entry = _entry(cache)
    record = json.loads(entry.read_text())
    _poison(record)
    record["files"] = []
    entry.write_text(json.dumps(record))
    assert _overall() == honest
    # Even with the files kept, content that does not match its digest is ignored.
    record = json.loads(entry.read_text()) if entry.exists() else record
    entry.write_text(json.dumps(record))
    assert _overall() == honest


def test_an_entry_with_a_recomputed_digest_but_no_files_is_ignored(cache: Path) -> None:
    from cycleaudit.formats.rubriccache import _digest

    honest = _overall()
    entry = _entry(cache)
    record = json.loads(entry.read_text())
    _poison(record)
    record["files"] = []
    record["digest"] = _digest(record["files"], record["lineage"], record["data"])
    entry.write_text(json.dumps(record))
    assert _overall() == honest


def test_a_shared_cache_folder_is_not_used(cache: Path) -> None:
    honest = _overall()
    entry = _entry(cache)
    record = json.loads(entry.read_text())
    _poison(record)
    entry.write_text(json.dumps(record))
    cache.chmod(0o777)  # anyone could have written the entry
    assert _overall() == honest


@pytest.mark.parametrize(
    "damage",
    [
        "{not json",
        "[]",
        '{"files": 5, "lineage": [], "data": {}, "digest": ""}',
        '{"files": [["/dev/zero", "x"]], "lineage": [], "data": {}, "digest": ""}',
        '{"files": [[1, 2]], "lineage": [3], "data": [], "digest": 4}',
    ],
)
def test_damaged_entries_are_a_miss(cache: Path, damage: str) -> None:
    honest = _overall()
    _entry(cache).write_text(damage)
    assert _overall() == honest


def test_special_files_named_by_an_entry_are_not_read(cache: Path) -> None:
    from cycleaudit.formats.rubriccache import _digest

    honest = _overall()
    entry = _entry(cache)
    fifo = cache / "fifo"
    os.mkfifo(fifo)
    for special in ("/dev/zero", str(fifo)):
        record = json.loads(entry.read_text())
        record["files"] = [[str(MINI.resolve()), "0" * 64], [special, "0" * 64]]
        record["digest"] = _digest(record["files"], record["lineage"], record["data"])
        entry.write_text(json.dumps(record))
        assert _overall() == honest  # a miss: no hang on the FIFO, no endless read


def test_an_entry_that_is_a_fifo_is_a_miss(cache: Path) -> None:
    honest = _overall()
    entry = _entry(cache)
    entry.unlink()
    os.mkfifo(entry)
    assert _overall() == honest
