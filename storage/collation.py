"""Collations: how strings compare, as byte strings that compare the same way.

Why sort keys: a prolly map orders its keys by raw bytes, and a unique index
must treat 'a' and 'A' as the same key under a case-insensitive collation.
So a collated string enters a key as its *sort key*: bytes such that

    sort_key(a) <  sort_key(b)  iff  a sorts before b
    sort_key(a) == sort_key(b)  iff  a and b are equal under the collation

That is the one invariant of this module; every comparison helper is defined
through it, so ``compare``/``equal`` can never disagree with the key order.

Collations (MySQL 8 names):

* ``utf8mb4_0900_ai_ci`` (MySQL 8's default): UCA 9.0.0 primary weights only,
  so accent- and case-insensitive ('ß' = 'ss', 'Å' = 'A' = 'a' = 'á').
  Variable weighting is non-ignorable (spaces and punctuation weigh), and the
  pad attribute is NO PAD: 'a ' > 'a'.
* ``utf8mb4_0900_as_cs``: UCA levels 1-3 (accent- and case-sensitive), NO PAD.
* ``utf8mb4_bin``: code point order, PAD SPACE (MySQL's pad attribute for it:
  'a' = 'a ', and 'a' compares with 'a\\t' as 'a ' does).
* ``binary``: the UTF-8 bytes themselves, NO PAD.

Weights come only from the UCA 9.0.0 table pyuca ships (allkeys-9.0.0.txt,
read through ``pyuca.collator.Collator_9_0_0``), never from an installed ICU,
so a sort key, and therefore every index built from one, is identical on
every machine.  Changing the table would change stored keys: don't.

UCA sort key layout (one u16 big-endian per non-zero weight)::

    ai_ci:  | P1 P2 ... Pn |
    as_cs:  | P1 ... Pn | 0000 | S1 ... Sm | 0000 | T1 ... Tk |

All weights are non-zero, so the 0000 level separator makes a shorter level
sort first, exactly like comparing the weight sequences level by level.

utf8mb4_bin (PAD SPACE) sort key: the UTF-8 bytes with trailing spaces
stripped, then 0x20 0x02, an end marker that compares like "spaces forever",
which is what PAD SPACE means.  That alone is right unless a run of spaces is
followed by a control byte (< 0x20): such a string sorts *below* its prefix
('a \\t' < 'a'), so each space of such a run is written 0x20 0x01, which
sorts below the end marker.  A plain space is never followed by 0x01 or
0x02, so the markers are unambiguous::

    'a'      -> 61 20 02
    'a  b'   -> 61 20 20 62 20 02
    'a\\t'    -> 61 09 20 02          (sorts before 'a', as MySQL does)
    'a \\t'   -> 61 20 01 09 20 02    (also before 'a')

The marker bytes make this key reversible (up to trailing spaces):
``Collation.reverse_key`` exists for ``utf8mb4_bin`` and ``binary`` only.

Speed: pyuca is pure Python (~50 us for a short string).  Most characters
map to fixed weights with no contraction involved, so a per-character table
built once from pyuca's trie (and extended on first sight of each CJK or
other implicitly weighted character) answers whole strings with
``b"".join(map(...))``.  Only strings holding a character whose weight
depends on its neighbours (combining marks, contraction starters followed by
their partner, Hangul syllables, ...) take pyuca's path, behind an LRU cache.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from struct import Struct
from typing import Callable

DEFAULT_COLLATION = "utf8mb4_0900_ai_ci"

# Sort keys of strings outside the fast table are cached: pyuca costs tens of
# microseconds per string and hot values (repeated group-by keys, index
# probes) repeat.  4096 entries of short keys is a few hundred KB at most.
_SLOW_CACHE_SIZE = 4096

# Characters with computed (implicit) weights are added to the fast table on
# first sight; the cap bounds its memory (~100 bytes each) if a table holds
# every code point there is.  Past it, such strings just take pyuca's path.
_MAX_LAZY_CHARS = 200_000

_U16 = Struct(">H")
_LEVEL_SEPARATOR = b"\x00\x00"


class Collation:
    """One named collation; use ``get_collation(name)`` instead of building it."""

    __slots__ = ("name", "is_binary", "pad_space", "sort_key", "reverse_key")

    def __init__(
        self,
        name: str,
        sort_key: Callable[[str], bytes],
        *,
        is_binary: bool,
        pad_space: bool,
        reverse_key: Callable[[bytes], str] | None = None,
    ):
        self.name = name
        self.is_binary = is_binary  # compares by code point / bytes, not by UCA weights
        self.pad_space = pad_space  # trailing spaces are insignificant
        # str -> bytes with the module invariant; an attribute, not a method,
        # so hot loops call the underlying function without a bound-method hop.
        self.sort_key = sort_key
        # bytes -> str inverting sort_key (trailing spaces lost under PAD
        # SPACE), or None when the key cannot be reversed (UCA collations).
        self.reverse_key = reverse_key

    def compare(self, a: str, b: str) -> int:
        """-1, 0 or 1 as ``a`` sorts before, equal to, or after ``b``."""
        ka, kb = self.sort_key(a), self.sort_key(b)
        return (ka > kb) - (ka < kb)

    def equal(self, a: str, b: str) -> bool:
        return self.sort_key(a) == self.sort_key(b)

    def __repr__(self) -> str:
        return f"Collation({self.name!r})"


# ---------------------------------------------------------------- binary ones


def _binary_key(s: str) -> bytes:
    return s.encode("utf-8")


def _binary_reverse(key: bytes) -> str:
    return key.decode("utf-8")


def _bin_pad_key(s: str) -> bytes:
    raw = s.encode("utf-8").rstrip(b" ")
    if not raw or min(raw) >= 0x20:  # no control bytes: nothing to mark
        return raw + b" \x02"
    return _LOW_SPACE_RUN.sub(_mark_low_run, raw) + b" \x02"


_LOW_SPACE_RUN = re.compile(rb" +(?=[\x00-\x1f])")


def _mark_low_run(match: re.Match) -> bytes:
    return match.group().replace(b" ", b" \x01")


def _bin_pad_reverse(key: bytes) -> str:
    if not key.endswith(b" \x02"):
        raise ValueError("not a utf8mb4_bin sort key")
    return key[:-2].replace(b" \x01", b" ").decode("utf-8")


# ------------------------------------------------------------------ UCA ones


class _UcaTables:
    """pyuca's 9.0.0 collator plus per-character weight tables derived from it.

    ``primary[ch]`` / ``secondary[ch]`` / ``tertiary[ch]`` hold the packed
    weights of a character that always weighs the same on its own: it is in
    the table, is its own NFD form, has combining class 0, and is never the
    second or later character of a contraction.  A string made only of such
    characters has no contraction and no normalization to do (NFD of a
    string of NFD-stable starters is itself), so its weights are the
    concatenation of its characters' weights: the result pyuca would give.
    Characters absent from allkeys (CJK ideographs, unassigned code points)
    get computed "implicit" weights and join no contraction, so they are
    added on first sight (``_WeightTable.__missing__``).
    """

    def __init__(self) -> None:
        from pyuca.collator import Collator_9_0_0

        self.collator = Collator_9_0_0()
        self.primary = _WeightTable(self, 0)
        self.secondary = _WeightTable(self, 1)
        self.tertiary = _WeightTable(self, 2)
        self.lazily_added = 0
        root = self.collator.table.root
        self.followers: set[int] = set()
        stack = [child for child in root.children.values() if child.children]
        while stack:  # bounded: the trie is finite and acyclic
            node = stack.pop()
            for cp, child in node.children.items():
                self.followers.add(cp)
                if child.children:
                    stack.append(child)
        for cp, node in root.children.items():
            if node.value is not None and self._simple(cp):
                self._add(chr(cp), node.value)

    def _simple(self, cp: int) -> bool:
        ch = chr(cp)
        return (
            cp not in self.followers
            and not unicodedata.combining(ch)
            and unicodedata.normalize("NFD", ch) == ch
        )

    def _add(self, ch: str, elements) -> None:
        p, s, t = _levels(elements)
        dict.__setitem__(self.primary, ch, _pack(p))
        dict.__setitem__(self.secondary, ch, _pack(s))
        dict.__setitem__(self.tertiary, ch, _pack(t))

    def add_implicit(self, ch: str) -> bool:
        """Add a character outside the table (CJK ideographs, unassigned code
        points): its weights are computed, never listed, and it takes part in
        no contraction.  False if it is not that simple."""
        cp = ord(ch)
        if (
            self.lazily_added >= _MAX_LAZY_CHARS
            or cp in self.collator.table.root.children
            or not self._simple(cp)
        ):
            return False
        self._add(ch, self.collator.implicit_weight(cp))
        self.lazily_added += 1
        return True

    def elements(self, s: str) -> list:
        return self.collator.collation_elements(unicodedata.normalize("NFD", s))


class _WeightTable(dict):
    """char -> packed weights of one level; learns implicit-weight characters
    on first sight, and raises KeyError (sending the string to pyuca) for a
    character whose weight depends on its neighbours."""

    __slots__ = ("tables", "level")

    def __init__(self, tables: _UcaTables, level: int):
        super().__init__()
        self.tables = tables
        self.level = level

    def __missing__(self, ch: str) -> bytes:
        with _tables_lock:
            if not self.tables.add_implicit(ch):
                raise KeyError(ch)
        return dict.__getitem__(self, ch)


def _levels(elements) -> tuple[list[int], list[int], list[int]]:
    """The non-zero weights of each of the first three levels."""
    return (
        [e[0] for e in elements if e[0]],
        [e[1] for e in elements if e[1]],
        [e[2] for e in elements if e[2]],
    )


def _pack(weights: list[int]) -> bytes:
    return b"".join(_U16.pack(w) for w in weights)


_tables: _UcaTables | None = None
_tables_lock = threading.RLock()


def _uca() -> _UcaTables:
    # Loaded on first use (~0.3 s): processes that only touch binary strings
    # never pay for parsing allkeys-9.0.0.txt.
    global _tables
    if _tables is None:
        with _tables_lock:
            if _tables is None:
                _tables = _UcaTables()
    return _tables


def _make_ai_ci() -> Callable[[str], bytes]:
    tables = _uca()
    primary = tables.primary.__getitem__
    join = b"".join

    @functools.lru_cache(maxsize=_SLOW_CACHE_SIZE)
    def slow(s: str) -> bytes:
        return _pack(_levels(tables.elements(s))[0])

    ascii_key = _ascii_level_key(tables.primary)

    def sort_key(s: str) -> bytes:
        if ascii_key is not None and s.isascii():
            return ascii_key(s)
        try:
            return join(map(primary, s))
        except KeyError:
            return slow(s)

    return sort_key


def _ascii_level_key(level: dict) -> Callable[[str], bytes] | None:
    """One level's packed weights of an ASCII string, computed by byte translation in C.

    Every ASCII character weighs at most one u16 per level, so the weights
    are two ``bytes.translate`` passes (high and low bytes, after deleting
    the ignorable characters) interleaved: ~5x faster than a dict lookup per
    character on a 120-character string.  None if some ASCII character is
    not simple or weighs more than one u16 (never so in UCA 9.0.0, but the
    fast path must not depend on that).
    """
    hi, lo, ignorable = bytearray(256), bytearray(256), bytearray()
    for cp in range(128):
        packed = dict.get(level, chr(cp))
        if packed is None or len(packed) > 2:
            return None
        if not packed:
            ignorable.append(cp)
        else:
            hi[cp], lo[cp] = packed[0], packed[1]
    hi_t, lo_t, drop = bytes(hi), bytes(lo), bytes(ignorable)

    def key(s: str) -> bytes:
        b = s.encode("ascii")
        if drop:
            b = b.translate(None, drop)
        out = bytearray(2 * len(b))
        out[0::2] = b.translate(hi_t)
        out[1::2] = b.translate(lo_t)
        return bytes(out)

    return key


def _make_as_cs() -> Callable[[str], bytes]:
    tables = _uca()
    primary = tables.primary.__getitem__
    secondary = tables.secondary.__getitem__
    tertiary = tables.tertiary.__getitem__
    join = b"".join
    sep = _LEVEL_SEPARATOR

    @functools.lru_cache(maxsize=_SLOW_CACHE_SIZE)
    def slow(s: str) -> bytes:
        p, s2, t = _levels(tables.elements(s))
        return _pack(p) + sep + _pack(s2) + sep + _pack(t)

    ascii_keys = [_ascii_level_key(t) for t in (tables.primary, tables.secondary, tables.tertiary)]
    if any(k is None for k in ascii_keys):
        ascii_keys = None
    else:
        k1, k2, k3 = ascii_keys

    def sort_key(s: str) -> bytes:
        if ascii_keys is not None and s.isascii():
            return k1(s) + sep + k2(s) + sep + k3(s)
        try:
            return join(map(primary, s)) + sep + join(map(secondary, s)) + sep + join(map(tertiary, s))
        except KeyError:
            return slow(s)

    return sort_key


# ------------------------------------------------------------------ registry


def _build(name: str) -> Collation:
    if name == "binary":
        return Collation(name, _binary_key, is_binary=True, pad_space=False, reverse_key=_binary_reverse)
    if name == "utf8mb4_bin":
        return Collation(name, _bin_pad_key, is_binary=True, pad_space=True, reverse_key=_bin_pad_reverse)
    if name == "utf8mb4_0900_ai_ci":
        return Collation(name, _make_ai_ci(), is_binary=False, pad_space=False)
    if name == "utf8mb4_0900_as_cs":
        return Collation(name, _make_as_cs(), is_binary=False, pad_space=False)
    raise ValueError(f"unknown collation {name!r}")


SUPPORTED = ("utf8mb4_0900_ai_ci", "utf8mb4_0900_as_cs", "utf8mb4_bin", "binary")

_registry: dict[str, Collation] = {}
_registry_lock = threading.Lock()


def get_collation(name: str) -> Collation:
    """The collation called ``name`` (case-insensitive); ValueError if unknown."""
    key = name.lower()
    found = _registry.get(key)
    if found is None:
        if key not in SUPPORTED:
            raise ValueError(f"unknown collation {name!r}")
        with _registry_lock:
            found = _registry.get(key)
            if found is None:
                found = _registry[key] = _build(key)
    return found
