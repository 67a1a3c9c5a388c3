"""Records (the model's frozen dataclasses) behave as frozen dataclasses do."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from cycleaudit.model import Answer, Organisation, Position


def test_a_record_cannot_change() -> None:
    answer = Answer("follow-up", "retention", "defined", position=Position("q.yaml", 3, 5))
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.level = "measured"  # type: ignore[misc]
    assert answer.evidence == "" and answer.position == Position("q.yaml", 3, 5)


def test_records_compare_hash_copy_and_replace_like_dataclasses() -> None:
    first = Position("q.yaml", 3, 5)
    assert first == Position("q.yaml", 3, 5) and hash(first) == hash(Position("q.yaml", 3, 5))
    assert repr(first) == "Position(file='q.yaml', line=3, column=5)"
    assert dataclasses.replace(first, line=4) == Position("q.yaml", 4, 5)
    assert pickle.loads(pickle.dumps(first)) == first
    assert copy.deepcopy(first) == first
    with pytest.raises(TypeError):
        Position("q.yaml", 3)  # type: ignore[call-arg]


def test_default_factories_give_each_record_its_own_value() -> None:
    one, two = Organisation("A", "2026-01-01"), Organisation("B", "2026-01-01")
    assert one.profile == {} and one.profile is not two.profile
    assert Organisation(name="C", audited="2026-01-01", role="assessor").role == "assessor"
