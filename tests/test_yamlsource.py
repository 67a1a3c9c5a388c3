"""Strict YAML loading: every refusal is positioned, no surprise passes silently."""

from __future__ import annotations

import pytest

from cycleaudit.errors import InputError
from cycleaudit.formats.yamlsource import MAX_BYTES, decode, load_file, load_text

REFUSED = [
    # (snippet, line, column, words in the message)
    ("a: 1\na: 2\n", 2, 1, "duplicate key 'a'"),
    ("a:\n  b: 1\n  c: 2\n  b: 3\n", 4, 3, "duplicate key 'b'"),
    ("a: &x 1\n", 1, 4, "anchors"),
    ("a: [1]\nb: *x\n", 2, 4, "aliases"),
    ("a: {<<: {b: 1}}\n", 1, 5, "merge keys"),
    ("a: !!str 1\n", 1, 4, "explicit tags"),
    ("a: !custom x\n", 1, 4, "explicit tags"),
    ("a: 1\n---\nb: 2\n", 2, 1, "several YAML documents"),
    ("- 1\n- 2\n", 1, 1, "top level must be a mapping"),
    ("just text\n", 1, 1, "top level must be a mapping"),
    ("1: x\n", 1, 1, "must be text"),
    ("true: x\n", 1, 1, "must be text"),
    ("? [a]\n: 1\n", 1, 3, "keys must be plain text"),
    ("a: [\n", 2, 1, "YAML syntax error"),
    ("a: b: c\n", 1, 5, "YAML syntax error"),
    ("a:\n\tb: 1\n", 2, 1, "YAML syntax error"),
    ('a: "x\x01"\n', 1, 6, "not allowed"),
    ("", 1, 1, "empty"),
    ("# only a comment\n", 1, 1, "empty"),
    ("a:" + " [" * 50 + "\n", 1, 82, "nesting is deeper"),
]


@pytest.mark.parametrize(("snippet", "line", "column", "words"), REFUSED)
def test_refused_with_position(snippet: str, line: int, column: int, words: str) -> None:
    with pytest.raises(InputError) as caught:
        load_text(snippet, "t.yaml")
    first = caught.value.problems[0]
    assert (first.file, first.line, first.column) == ("t.yaml", line, column)
    assert words in first.message
    assert first.format().startswith(f"t.yaml:{line}:{column}: error: ")


READ_AS = [
    ("no", "no"),
    ("yes", "yes"),
    ("on", "on"),
    ("off", "off"),
    ("y", "y"),
    ("2024-02-30", "2024-02-30"),
    ("2026-11-20", "2026-11-20"),
    ("012", "012"),
    ("0x1F", "0x1F"),
    ("1_000", "1_000"),
    (".inf", ".inf"),
    ("12:30", "12:30"),
    ("true", True),
    ("false", False),
    ("~", None),
    ("null", None),
    ("", None),
    ("12", 12),
    ("-3", -3),
    ("0", 0),
    ("2.5", 2.5),
    ("0.28", 0.28),
    ("1e3", 1000.0),
    ('"12"', "12"),
    ("'true'", "true"),
    ("9" * 40, "9" * 40),
]


@pytest.mark.parametrize(("written", "value"), READ_AS)
def test_scalars_read_without_yaml_1_1_surprises(written: str, value: object) -> None:
    document = load_text(f"key: {written}\n", "t.yaml")
    assert document.data["key"] == value
    assert type(document.data["key"]) is type(value)


def test_positions_of_values_and_keys() -> None:
    document = load_text("top:\n  inner:\n    - a\n    - b: 1\n", "t.yaml")
    assert document.position(("top", "inner", 1, "b")) == (4, 10)
    assert document.key_position(("top", "inner")) == (2, 3)
    # A missing path falls back to its nearest parent.
    assert document.position(("top", "inner", 1, "nothing")) == (4, 7)


def test_several_problems_are_all_reported_in_file_order() -> None:
    with pytest.raises(InputError) as caught:
        load_text("a: 1\nb: &x 2\na: 3\nc: *x\n", "t.yaml")
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, 4), (3, 1), (4, 4)]


def test_billion_laughs_is_refused_before_expansion() -> None:
    laughs = "a: &a [lol, lol]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9)
    )
    with pytest.raises(InputError) as caught:
        load_text(laughs, "t.yaml")
    assert "anchors" in caught.value.problems[0].message


def test_very_deep_nesting_does_not_crash() -> None:
    with pytest.raises(InputError) as caught:
        load_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "t.yaml")
    assert "nesting is deeper" in caught.value.problems[0].message


def test_non_utf8_bytes_give_the_line() -> None:
    with pytest.raises(InputError) as caught:
        decode(b"name: ok\nnote: caf\xe9\n", "t.yaml")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (2, 10)
    assert "UTF-8" in problem.message


def test_utf8_bom_is_accepted() -> None:
    assert decode("\ufeffa: 1\n".encode(), "t.yaml") == "a: 1\n"


def test_file_size_cap(tmp_path) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * (MAX_BYTES + 10) + "\n")
    with pytest.raises(InputError) as caught:
        load_file(big)
    assert "too large" in caught.value.problems[0].message


@pytest.mark.parametrize("target", ["missing.yaml", ".", "/dev/zero"])
def test_not_a_readable_file(tmp_path, target: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / target if not target.startswith("/") else __import__("pathlib").Path(target)
    with pytest.raises(InputError) as caught:
        load_file(path)
    assert caught.value.problems[0].line == 1
