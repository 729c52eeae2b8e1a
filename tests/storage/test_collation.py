"""Collation sort keys: MySQL 8 results, and agreement with pyuca's UCA 9.0.0."""

from __future__ import annotations

import struct
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage import collation as collation_module
from storage.collation import get_collation

AI_CI = get_collation("utf8mb4_0900_ai_ci")
AS_CS = get_collation("utf8mb4_0900_as_cs")
BIN = get_collation("utf8mb4_bin")
BINARY = get_collation("binary")


def _pyuca_levels(s: str) -> tuple:
    """pyuca's own sort key (levels 1..3, 0-separated, then an empty level 4)."""
    return collation_module._uca().collator.sort_key(s)


def _pack(weights) -> bytes:
    return b"".join(struct.pack(">H", w) for w in weights)


def _classes(collation, words):
    """GROUP BY words under ``collation``: the set of equivalence classes."""
    groups: dict[bytes, set] = {}
    for w in words:
        groups.setdefault(collation.sort_key(w), set()).add(w)
    return {frozenset(g) for g in groups.values()}


# ------------------------------------------------------------ MySQL goldens


def test_ai_ci_sharp_s_equals_ss():
    assert AI_CI.equal("ß", "ss")
    assert AI_CI.equal("straße", "STRASSE")
    assert not AI_CI.equal("ß", "s")


def test_ai_ci_accent_and_case_insensitive():
    for other in ("A", "a", "á", "à", "ä", "â", "Ä", "ą"):
        assert AI_CI.equal("Å", other), other
    assert AI_CI.equal("Æ", "ae")  # UCA expands Æ to a+e
    assert AI_CI.equal("café", "CAFE")
    assert not AI_CI.equal("a", "b")


def test_ai_ci_order_by_mixed_case_accented():
    words = ["zebra", "Äpfel", "apple", "Zoo", "éclair", "Eclat", "banana", "Bär", "ápple"]
    ordered = sorted(words, key=AI_CI.sort_key)
    # MySQL: ORDER BY w COLLATE utf8mb4_0900_ai_ci -> case and accents ignored,
    # so 'apple' and 'ápple' tie and 'Äpfel' (a-p-f) precedes them.
    assert ordered[0] == "Äpfel"
    assert set(ordered[1:3]) == {"apple", "ápple"}
    assert ordered[3:] == ["banana", "Bär", "éclair", "Eclat", "zebra", "Zoo"]


def test_ai_ci_group_by_classes():
    words = ["a", "A", "á", "Á", "ä", "b", "B", "ss", "ß", "SS", "s"]
    assert _classes(AI_CI, words) == {
        frozenset({"a", "A", "á", "Á", "ä"}),
        frozenset({"b", "B"}),
        frozenset({"ss", "ß", "SS"}),
        frozenset({"s"}),
    }


def test_as_cs_distinguishes_case_and_accents():
    assert not AS_CS.equal("a", "A")
    assert not AS_CS.equal("a", "á")
    assert not AS_CS.equal("ß", "ss")
    assert AS_CS.equal("Å", "A\u030a")  # canonically equivalent forms stay equal
    # UCA order: accents (level 2) decide before case (level 3); lowercase first.
    assert sorted(["Á", "á", "A", "a"], key=AS_CS.sort_key) == ["a", "A", "á", "Á"]
    assert AS_CS.compare("a", "b") == -1 and AS_CS.compare("B", "a") == 1


def test_bin_orders_by_code_point():
    words = ["a", "B", "é", "Z", "z", "ä", "_", "1", "\u4e2d", "\U0001f600"]
    assert sorted(words, key=BIN.sort_key) == sorted(words)
    assert sorted(words, key=BINARY.sort_key) == sorted(words)
    assert BIN.compare("B", "a") == -1  # unlike ai_ci, where b > a
    assert AI_CI.compare("B", "a") == 1


def test_trailing_spaces_significant_in_no_pad_collations():
    for c in (AI_CI, AS_CS, BINARY):
        assert not c.equal("a", "a "), c.name
        assert c.compare("a", "a ") == -1, c.name


def test_bin_is_pad_space():
    assert BIN.pad_space and BIN.equal("a", "a   ")
    # PAD SPACE compares 'a' as 'a ', and TAB (0x09) sorts below a space.
    assert BIN.compare("a\t", "a") == -1
    assert BIN.compare("a!", "a") == 1
    assert BIN.compare("a \t", "a") == -1 and BIN.compare("a  !", "a") == 1


def test_unknown_collation_raises():
    with pytest.raises(ValueError):
        get_collation("utf8mb4_klingon_ci")


def test_names_and_flags():
    assert get_collation("UTF8MB4_0900_AI_CI") is AI_CI
    assert AI_CI.name == "utf8mb4_0900_ai_ci" and not AI_CI.is_binary
    assert BIN.is_binary and BINARY.is_binary and not BINARY.pad_space


def test_weights_come_from_pinned_uca_9_0_0():
    assert collation_module._uca().collator.UCA_VERSION == "9.0.0"


# ------------------------------------------------ agreement with pyuca itself

_text = st.text(
    st.one_of(
        st.characters(max_codepoint=0x24F),  # Latin, including combining marks below
        st.sampled_from("\u0300\u0301\u0308\u00b7lL \t\x00ßÅ\u4e2d\uac00\u0418\u0306"),
        st.characters(codec="utf-8"),
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(_text)
def test_sort_keys_match_pyuca(s):
    full = _pyuca_levels(s)
    primary = full[: full.index(0)]
    assert AI_CI.sort_key(s) == _pack(primary)
    assert AS_CS.sort_key(s) == _pack(full[:-1])  # levels 1..3 with separators


def test_fast_table_matches_pyuca_for_latin1_and_bmp_sample():
    for cp in list(range(0x250)) + list(range(0x370, 0x2000, 7)):
        ch = chr(cp)
        if unicodedata.category(ch) == "Cs":
            continue
        s = ch + "x" + ch
        full = _pyuca_levels(s)
        assert AI_CI.sort_key(s) == _pack(full[: full.index(0)]), hex(cp)
        assert AS_CS.sort_key(s) == _pack(full[:-1]), hex(cp)


def test_fast_table_covers_ascii_and_latin1():
    primary = collation_module._uca().primary
    missing = [hex(cp) for cp in range(0x100) if chr(cp) not in primary and chr(cp) != "\u00b7"]
    # Only precomposed letters (which NFD splits) may be missing; they go slow.
    assert all(unicodedata.normalize("NFD", chr(int(h, 16))) != chr(int(h, 16)) for h in missing)
    assert all(chr(cp) in primary for cp in range(0x80))


@settings(max_examples=200, deadline=None)
@given(_text, _text)
def test_compare_agrees_with_sort_key(a, b):
    for c in (AI_CI, AS_CS, BIN, BINARY):
        ka, kb = c.sort_key(a), c.sort_key(b)
        assert c.compare(a, b) == (ka > kb) - (ka < kb)
        assert c.equal(a, b) == (ka == kb)


_padded_text = st.text(st.one_of(st.sampled_from(" \t\x01\x05\x1fa!~é"), st.characters(codec="utf-8")), max_size=10)


@settings(max_examples=300, deadline=None)
@given(_padded_text, st.text(st.sampled_from(" \t\x05a"), max_size=4), _padded_text)
def test_bin_matches_pad_space_definition(a, suffix, c):
    # a + suffix shares a prefix with a: where PAD SPACE differs from plain order.
    for b in (a + suffix, c):
        width = max(len(a), len(b))
        pa, pb = a.ljust(width), b.ljust(width)  # PAD SPACE: compare as if space-padded
        assert BIN.compare(a, b) == (pa > pb) - (pa < pb), (a, b)
        assert BIN.reverse_key(BIN.sort_key(b)) == b.rstrip(" ")
