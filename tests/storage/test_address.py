import hashlib

import pytest
from hypothesis import given, strategies as st

from storage.address import ZERO, address_of, from_text, is_text_address, to_text


def test_address_is_sha256_prefix():
    assert address_of(b"grove") == hashlib.sha256(b"grove").digest()[:20]


def test_text_form_alphabet_and_length():
    text = to_text(address_of(b"x"))
    assert len(text) == 32
    assert set(text) <= set("0123456789abcdefghijklmnopqrstuv")
    assert to_text(ZERO) == "0" * 32
    assert to_text(b"\xff" * 20) == "v" * 32


@given(st.binary(min_size=20, max_size=20), st.binary(min_size=20, max_size=20))
def test_text_round_trips_and_sorts_like_bytes(a, b):
    assert from_text(to_text(a)) == a
    assert (to_text(a) < to_text(b)) == (a < b)


@pytest.mark.parametrize("bad", ["", "0" * 31, "0" * 33, "w" * 32, "A" * 32, "é" * 32])
def test_bad_text_is_rejected(bad):
    assert not is_text_address(bad)
    with pytest.raises(ValueError):
        from_text(bad)
