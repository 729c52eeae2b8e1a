"""ALTER TABLE, RENAME TABLE and CREATE TABLE ... LIKE / ... SELECT: new table versions from old ones.

An ALTER TABLE statement is a list of actions applied in order to a
``Draft``: the new column list, where each new column's values come from
(an old column position, or its default), and the new keys and constraints.
The result is one new table version (``Transaction.replace_table``), so the
change is versioned like any other and, being a whole-table change, conflicts
with every concurrent write to the table at COMMIT (sqlserver.txn).

When the row layout stays the same (renames, defaults, comments, adding or
dropping secondary indexes and constraints, appending a nullable column with
no default: old rows decode with NULL there), only the schema and the
affected index maps change.  Otherwise every row is converted (each moved
column coerced to its new type with MySQL's strict-mode errors) and the
primary map and every secondary index are rebuilt with one sorted bulk
build each (``build_table``), never row-by-row mutation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from sqlserver.engine import constraints, ddl
from sqlserver.engine.planner import HIDDEN_PK
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType
from sqlserver.tables import _show, build_index, codec_for
from storage.prolly_map import ProllyMap
from storage.schema import Column, ForeignKey, Index, Schema
from storage.table import Table


# --- bulk table building -----------------------------------------------------------------------


def build_table(node_store, schema: Schema, rows, table_name: str, auto_increment: int = 1) -> Table:
    """A table of ``schema`` holding ``rows`` (full tuples): one sorted bulk build per map.

    1062 when two rows share a primary key (or, via build_index, a unique key).
    """
    codec = codec_for(schema)
    entries = sorted((codec.encode_key(r), codec.encode_value(r), r) for r in rows)
    for (k1, _, r1), (k2, _, _) in zip(entries, entries[1:]):
        if k1 == k2:
            shown = "-".join(_show(v) for v in codec.pk_values(r1))
            raise SQLError.of("DUP_ENTRY", shown, f"{table_name}.PRIMARY")
    primary = ProllyMap.from_sorted(node_store, ((k, v) for k, v, _ in entries))
    table = Table.create(node_store, schema, auto_increment=auto_increment).with_primary(primary.address)
    for ix in schema.indexes:
        table = build_index(table, node_store, ix.name, table_name)
    return table


# --- the draft of a new schema -------------------------------------------------------------------


@dataclass
class Draft:
    """A schema being altered; ``origin[i]`` is the old position column i is read from (None: new)."""

    columns: list[Column]
    origin: list[int | None]
    primary_key: list[str]
    indexes: list[Index]
    foreign_keys: list
    checks: list
    options: dict
    converted: set[str] = field(default_factory=set)  # names of columns whose type or nullability changed
    rebuilt: set[str] = field(default_factory=set)  # index names whose entries must be rebuilt
    pk_changed: bool = False
    table: str = ""
    # MySQL 8 (InnoDB) must run ALGORITHM=COPY, which reports the rows copied: a column's type changes, a
    # CHECK or (with foreign_key_checks) a FOREIGN KEY is added, the primary key is dropped and none added
    copy: bool = False
    pk_dropped: bool = False
    pk_added: bool = False

    @classmethod
    def of(cls, schema: Schema, table: str) -> Draft:
        return cls(list(schema.columns), list(range(len(schema.columns))), list(schema.primary_key),
                   list(schema.indexes), list(schema.foreign_keys), list(schema.checks), dict(schema.options),
                   table=table)

    def position(self, name: str) -> int | None:
        lname = name.lower()
        for i, c in enumerate(self.columns):
            if c.name.lower() == lname and c.name != HIDDEN_PK:
                return i
        return None

    def require(self, name: str) -> int:
        """The position of column ``name``; MySQL's 1054 "Unknown column 'x' in '<table>'" if none."""
        p = self.position(name)
        if p is None:
            raise SQLError.of("BAD_FIELD", name, self.table)
        return p

    def schema(self) -> Schema:
        return ddl._replace(Schema(tuple(self.columns)), primary_key=tuple(self.primary_key),
                            indexes=tuple(self.indexes), foreign_keys=tuple(self.foreign_keys),
                            checks=tuple(self.checks), options=self.options)

    def place(self, col: Column, origin: int | None, position) -> None:
        """Insert ``col`` FIRST, AFTER another column, or last (before the hidden key)."""
        if position is None:
            at = len(self.columns)
            if self.columns and self.columns[-1].name == HIDDEN_PK:
                at -= 1
        elif (position.args.get("position") or "").upper() == "FIRST":
            at = 0
        else:
            after = position.this.name if position.this is not None else ""
            at = self.require(after) + 1
        self.columns.insert(at, col)
        self.origin.insert(at, origin)

    def rename_everywhere(self, old: str, new: str) -> None:
        """A renamed column keeps its place in keys and foreign keys (MySQL renames it there too)."""
        lo = old.lower()
        ren = lambda cols: tuple(new if c.lower() == lo else c for c in cols)  # noqa: E731
        self.primary_key = list(ren(self.primary_key))
        self.indexes = [Index(i.name, ren(i.columns), i.unique, i.prefix_lengths, i.extra) for i in self.indexes]
        self.foreign_keys = [ForeignKey(f.name, ren(f.columns), f.ref_table, f.ref_columns, f.on_delete, f.on_update)
                             for f in self.foreign_keys]


# --- actions --------------------------------------------------------------------------------------


def _uses_in_check(draft: Draft, name: str) -> None:
    for ck in draft.checks:
        tree = _parse_check(ck.expression)
        if any(c.name.lower() == name.lower() for c in tree.find_all(exp.Column)):
            raise SQLError(3959, "HY000", f"Check constraint '{ck.name}' uses column '{name}', hence column cannot "
                                          "be dropped or renamed.")


def _parse_check(text: str):
    from sqlserver.engine.parser import parse_expression

    return parse_expression(text)


def _uses_in_fk(draft: Draft, name: str, children, what: str) -> None:
    for fk in draft.foreign_keys:
        if any(c.lower() == name.lower() for c in fk.columns):
            raise SQLError(1828, "HY000", f"Cannot {what} column '{name}': needed in a foreign key constraint "
                                          f"'{fk.name}'")
    for child, fk in children:
        if any(c.lower() == name.lower() for c in fk.ref_columns):
            raise SQLError(1829, "HY000", f"Cannot {what} column '{name}': needed in a foreign key constraint "
                                          f"'{fk.name}' of table '{child}'")


def add_column(draft: Draft, item: exp.ColumnDef, table: str) -> None:
    if draft.position(item.name) is not None:
        raise SQLError.of("DUP_FIELDNAME", item.name)
    col, inline = ddl.column_from_def(item, None)
    draft.place(col, None, item.args.get("position"))
    if inline["primary"]:
        if draft.primary_key and draft.primary_key != [HIDDEN_PK]:
            raise SQLError.of("MULTIPLE_PRI_KEY")
        set_primary_key(draft, [col.name])
    if inline["unique"]:
        add_index(draft, None, [col.name], True)
    for cond in inline["checks"]:
        draft.checks = list(ddl.with_check(draft.schema(), table, None, cond).checks)


def drop_column(draft: Draft, name: str, children) -> None:
    p = draft.position(name)
    if p is None:
        raise SQLError.of("CANT_DROP_FIELD_OR_KEY", name)
    real = draft.columns[p].name
    _uses_in_check(draft, real)
    _uses_in_fk(draft, real, children, "drop")
    if sum(1 for c in draft.columns if c.name != HIDDEN_PK) == 1:
        raise SQLError(1090, "42000", "You can't delete all columns with ALTER TABLE; use DROP TABLE instead")
    del draft.columns[p]
    del draft.origin[p]
    lo = real.lower()
    indexes = []
    for ix in draft.indexes:  # MySQL removes the column from every index; an emptied index goes
        keep = [(c, n) for c, n in zip(ix.columns, ix.prefix_lengths) if c.lower() != lo]
        if len(keep) != len(ix.columns):
            draft.rebuilt.add(ix.name)
            if not keep:
                continue
            ix = Index(ix.name, tuple(c for c, _ in keep), ix.unique, tuple(n for _, n in keep), None)
        indexes.append(ix)
    draft.indexes = indexes
    if any(c.lower() == lo for c in draft.primary_key):
        set_primary_key(draft, [c for c in draft.primary_key if c.lower() != lo])


def modify_column(draft: Draft, item: exp.ColumnDef, old_name: str, children) -> None:
    p = draft.require(old_name)
    old = draft.columns[p]
    new_name = item.name
    if new_name.lower() != old.name.lower():
        if draft.position(new_name) is not None:
            raise SQLError.of("DUP_FIELDNAME", new_name)
        _uses_in_check(draft, old.name)
        _uses_in_fk(draft, old.name, children, "change")
    col, inline = ddl.column_from_def(item, None)
    if old.name in draft.primary_key:
        col = Column(col.name, col.sql_type, False, col.default, col.auto_increment, col.collation, col.comment)
    if (col.sql_type, col.collation) != (old.sql_type, old.collation):
        for fk in draft.foreign_keys:
            if any(c.lower() == old.name.lower() for c in fk.columns):
                raise SQLError(3780, "HY000", f"Referencing column '{old.name}' and referenced column "
                                              f"'{fk.ref_columns[0]}' in foreign key constraint '{fk.name}' are "
                                              "incompatible.")
    if _type_change_copies(old, col):
        draft.copy = True
    if (col.sql_type, col.collation, col.nullable) != (old.sql_type, old.collation, old.nullable):
        draft.converted.add(col.name)
        for ix in draft.indexes:
            if any(c.lower() == old.name.lower() for c in ix.columns):
                draft.rebuilt.add(ix.name)
    origin = draft.origin[p]
    position = item.args.get("position")
    if position is not None:
        del draft.columns[p]
        del draft.origin[p]
        draft.place(col, origin, position)
    else:
        draft.columns[p] = col
    if col.name != old.name:
        draft.rename_everywhere(old.name, col.name)
    if inline["primary"]:
        set_primary_key(draft, [col.name])
    if inline["unique"]:
        add_index(draft, None, [col.name], True)


def _type_change_copies(old: Column, new: Column) -> bool:
    """Whether MySQL 8 copies the table to turn column ``old`` into ``new``: a change of data type, length,
    signedness, character set or AUTO_INCREMENT does, except lengthening a VARCHAR/VARBINARY within its
    length-byte class (up to 255 bytes, or from 256 on) and appending ENUM/SET members within the same
    storage size, which are in place (https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html).
    NULL / NOT NULL, defaults, renames and moves are in place too."""
    if old.auto_increment != new.auto_increment:
        return True
    if (old.sql_type, old.collation) == (new.sql_type, new.collation):
        return False
    a, b = SqlType.parse(old.sql_type, old.collation), SqlType.parse(new.sql_type, new.collation)
    if a == b:
        return False
    if a.name != b.name or a.collation != b.collation or a.unsigned != b.unsigned:
        return True
    if a.name in ("varchar", "varbinary"):
        per = 4 if a.collation is not None else 1  # utf8mb4
        x, y = (a.length or 0) * per, (b.length or 0) * per
        return not (y >= x and (x <= 255) == (y <= 255))
    if a.name in ("enum", "set") and b.values[:len(a.values)] == a.values:
        return _members_size(a) != _members_size(b)
    return True


def _members_size(t: SqlType) -> int:
    if t.name == "enum":
        return 1 if len(t.values) < 256 else 2
    n = (len(t.values) + 7) // 8
    return 8 if n > 4 else n


def rename_column(draft: Draft, old_name: str, new_name: str, children) -> None:
    p = draft.require(old_name)
    old = draft.columns[p]
    if new_name.lower() != old.name.lower() and draft.position(new_name) is not None:
        raise SQLError.of("DUP_FIELDNAME", new_name)
    _uses_in_check(draft, old.name)
    _uses_in_fk(draft, old.name, children, "change")
    draft.columns[p] = Column(new_name, old.sql_type, old.nullable, old.default, old.auto_increment, old.collation,
                              old.comment, old.on_update, old.extra)
    draft.rename_everywhere(old.name, new_name)


def alter_default(draft: Draft, name: str, default) -> None:
    """ALTER COLUMN c SET DEFAULT x (``default`` a sqlglot literal) or DROP DEFAULT (None)."""
    p = draft.require(name)
    c = draft.columns[p]
    if default is None:
        text = None  # DROP DEFAULT (a nullable column then defaults to NULL: see the tests' header)
    else:
        text = ddl._default_text(default)
        t = SqlType.parse(c.sql_type, c.collation)
        try:
            if text != "NULL":
                ddl.default_value(text, t)
        except SQLError:
            raise SQLError(1067, "42000", f"Invalid default value for '{c.name}'") from None
        if text == "NULL" and not c.nullable:
            raise SQLError(1067, "42000", f"Invalid default value for '{c.name}'")
    draft.columns[p] = Column(c.name, c.sql_type, c.nullable, text, c.auto_increment, c.collation, c.comment,
                              c.on_update, c.extra)


def set_primary_key(draft: Draft, cols: list[str]) -> None:
    draft.pk_changed = True
    if cols:
        draft.pk_added = True
    elif draft.primary_key and draft.primary_key != [HIDDEN_PK]:
        draft.pk_dropped = True
    hidden = next((i for i, c in enumerate(draft.columns) if c.name == HIDDEN_PK), None)
    if not cols:
        if hidden is None:
            draft.columns.append(Column(HIDDEN_PK, "bigint unsigned", False, None,
                                        not any(c.auto_increment for c in draft.columns), None))
            draft.origin.append(None)
        draft.primary_key = [HIDDEN_PK]
        return
    names = []
    for c in cols:
        p = draft.require(c)
        col = draft.columns[p]
        names.append(col.name)
        if col.nullable:  # primary key columns become NOT NULL (existing NULLs are then 1138)
            draft.columns[p] = Column(col.name, col.sql_type, False, col.default, col.auto_increment,
                                      col.collation, col.comment, col.on_update, col.extra)
            draft.converted.add(col.name)
    if hidden is not None:
        del draft.columns[hidden]
        del draft.origin[hidden]
    draft.primary_key = names


def add_index(draft: Draft, name, cols, unique, desc=None, lengths=None) -> str:
    schema = ddl.with_index(draft.schema(), name, cols, unique, desc, lengths)
    draft.indexes = list(schema.indexes)
    added = schema.indexes[-1].name
    draft.rebuilt.add(added)
    return added


# --- running an ALTER TABLE ------------------------------------------------------------------------


def convert_rows(old_ts, draft: Draft, new_schema: Schema, auto_start: int) -> list[tuple]:
    """Every row of ``old_ts`` in the new layout; MySQL's errors for values the new types refuse."""
    from sqlserver.engine.executor import _MISSING, column_defaults

    new_types = [SqlType.parse(c.sql_type, c.collation) for c in new_schema.columns]
    defaults = column_defaults(new_schema, new_types)
    converted = {new_schema.position(n) for n in draft.converted}
    hidden = new_schema.position(HIDDEN_PK)
    auto = [i for i, c in enumerate(new_schema.columns) if c.auto_increment]

    class _Ctx:
        import datetime as _dt
        now = _dt.datetime.now().replace(microsecond=0)

    ctx = _Ctx()
    out = []
    next_id = auto_start
    for rownum, row in enumerate(old_ts.scan(), 1):
        new = []
        for i, (src, col, t) in enumerate(zip(draft.origin, new_schema.columns, new_types)):
            if src is None:
                d = defaults[i]
                v = d(ctx) if callable(d) else (None if d is _MISSING else d)
            else:
                v = row[src]
            if v is None:
                if i in auto or i == hidden:
                    v = next_id
                    next_id += 1
                elif not col.nullable:
                    if src is None:
                        # a new NOT NULL column: existing rows get the type's implicit default
                        v = t.coerce(ddl.implicit_default(t), col.name, rownum)
                    else:
                        raise SQLError(1138, "22004", "Invalid use of NULL value")
            elif i in converted or src is None:
                v = t.coerce(v, col.name, rownum)
            new.append(v)
        out.append(tuple(new))
    return out


def apply(txn, ts, draft: Draft, table_name: str) -> Table:
    """The new table version for ``draft`` over ``ts`` (rows rewritten when the layout changed)."""
    new_schema = draft.schema()
    old_schema = ts.schema
    append_only = (
        not draft.pk_changed and not draft.converted
        and draft.origin[:len(old_schema.columns)] == list(range(len(old_schema.columns)))
        and all(o is None for o in draft.origin[len(old_schema.columns):])
        and all(c.nullable and c.default in (None, "NULL") and not c.auto_increment
                for c in new_schema.columns[len(old_schema.columns):])
        and (len(draft.origin) == len(old_schema.columns) or old_schema.column(HIDDEN_PK) is None)
    )
    old_table = ts.to_table()
    if append_only:
        table = old_table.with_schema(new_schema)
        present = {i.name for i in new_schema.indexes}
        for name in list(old_table.indexes):
            if name not in present:
                table = table.with_index(name, None)
        for ix in new_schema.indexes:
            if ix.name in draft.rebuilt or ix.name not in old_table.indexes:
                table = build_index(table, txn.db.node_store, ix.name, table_name)
        return table
    auto_start = max(old_table.auto_increment, ts.auto.next_value if ts.auto is not None else 1)
    rows = convert_rows(ts, draft, new_schema, auto_start)
    hidden_or_auto = [i for i, c in enumerate(new_schema.columns) if c.auto_increment]
    next_auto = auto_start
    for i in hidden_or_auto:
        for r in rows:
            if isinstance(r[i], int) and r[i] >= next_auto:
                next_auto = r[i] + 1
    return build_table(txn.db.node_store, new_schema, rows, table_name, next_auto)


def alter_table(state, target: exp.Table, actions, ctx) -> int:
    """Apply ALTER TABLE ``actions`` (parsed by statements.alter) to one table, as one new version.

    Returns the rows MySQL 8 reports as copied: the table's rows when the change needs ALGORITHM=COPY
    there (``Draft.copy``), else 0 (INSTANT and INPLACE changes).
    """
    txn = state.transaction(target.db or state.require_db())
    ts = txn.table(target.name)
    name = ts.name
    draft = Draft.of(ts.schema, name)
    children = constraints.children_of(txn, name)
    rename_to = None
    checks_on = bool(state.get_variable("foreign_key_checks"))
    new_checks = []
    for act in actions:
        kind = act[0]
        if kind == "add_column":
            add_column(draft, act[1], name)
            for cond in ddl.column_from_def(act[1], None)[1]["checks"]:
                new_checks.append(cond)
        elif kind == "drop_column":
            drop_column(draft, act[1], children)
        elif kind == "modify":
            modify_column(draft, act[1], act[2], children)
        elif kind == "rename_column":
            rename_column(draft, act[1], act[2], children)
        elif kind == "default":
            alter_default(draft, act[1], act[2])
        elif kind == "rename":
            rename_to = act[1]
        elif kind == "add_index":
            _, nm, unique, (cols, desc, lengths) = act
            add_index(draft, nm, cols, unique, desc, lengths)
        elif kind == "drop_index":
            schema, stored = ddl.without_index(draft.schema(), act[1])
            for fk in draft.foreign_keys:
                lower = [c.lower() for c in fk.columns]
                dropped = draft.schema().index(stored)
                if [c.lower() for c in dropped.columns][:len(lower)] == lower and not any(
                        [c.lower() for c in i.columns][:len(lower)] == lower for i in schema.indexes) and \
                        [c.lower() for c in schema.primary_key][:len(lower)] != lower:
                    raise SQLError(1553, "HY000", f"Cannot drop index '{stored}': needed in a foreign key "
                                                  "constraint")
            draft.indexes = list(schema.indexes)
        elif kind == "add_pk":
            if draft.primary_key and draft.primary_key != [HIDDEN_PK]:
                raise SQLError.of("MULTIPLE_PRI_KEY")
            set_primary_key(draft, act[1])
        elif kind == "drop_pk":
            if draft.primary_key == [HIDDEN_PK] or not draft.primary_key:
                raise SQLError.of("CANT_DROP_FIELD_OR_KEY", "PRIMARY")
            for c in draft.primary_key:
                if draft.columns[draft.require(c)].auto_increment:
                    raise SQLError.of("WRONG_AUTO_KEY")
            set_primary_key(draft, [])
        elif kind == "add_check":
            schema = ddl.with_check(draft.schema(), name, act[1], act[2])
            draft.checks = list(schema.checks)
            new_checks.append(act[2])
        elif kind == "add_fk":
            schema = ddl.with_foreign_key(draft.schema(), name, act[1], act[2])
            draft.foreign_keys = list(schema.foreign_keys)
            if len(schema.indexes) != len(draft.indexes):
                draft.indexes = list(schema.indexes)
                draft.rebuilt.add(schema.indexes[-1].name)
            constraints.validate_references(txn, name, schema, checks_on)
            if checks_on:
                draft.copy = True  # in place only with foreign_key_checks = 0
        elif kind == "drop_constraint":
            drop_constraint(draft, act[1], act[2])
        else:
            raise SQLError.of("NOT_SUPPORTED_YET", f"ALTER TABLE {kind}")
    if new_checks or draft.pk_dropped and not draft.pk_added:
        draft.copy = True  # ADD CHECK is COPY only; so is DROP PRIMARY KEY without ADD PRIMARY KEY
    copied = sum(1 for _ in ts.scan()) if draft.copy else 0
    table = apply(txn, ts, draft, name)
    new_schema = table.schema
    if new_checks or (checks_on and len(new_schema.foreign_keys) > len(ts.schema.foreign_keys)):
        _validate_existing(ctx, txn, name, table, ts.schema, checks_on)
    txn.replace_table(name, table)
    if rename_to is not None and rename_to.name.lower() != name.lower() or \
            rename_to is not None and rename_to.name != name:
        rename_table(state, txn, name, rename_to)
    return copied


def _validate_existing(ctx, txn, name, table, old_schema, checks_on) -> None:
    """ALTER TABLE ADD CHECK / ADD FOREIGN KEY over a table with rows: every row must satisfy them."""
    from sqlserver.tables import TableState

    probe = TableState(name, table, txn.db.node_store, None)
    old_fks = {f.name for f in old_schema.foreign_keys}
    new_fks = [f for f in table.schema.foreign_keys if f.name not in old_fks]
    for row in probe.scan():
        constraints.check_row(ctx, probe, row)
        for fk in new_fks if checks_on else ():
            values = [row[probe.schema.position(c)] for c in fk.columns]
            if any(v is None for v in values):
                continue
            parent = probe if fk.ref_table.lower() == name.lower() else txn.table(fk.ref_table)
            positions = tuple(parent.schema.position(c) for c in fk.ref_columns)
            if not parent.matching(positions, values, limit=1):
                raise SQLError(1452, "23000", "Cannot add or update a child row: a foreign key constraint fails "
                                              f"({constraints.describe(txn.sdb.name, name, fk)})")


def drop_constraint(draft: Draft, kind: str, name: str) -> None:
    """DROP CHECK / DROP FOREIGN KEY / DROP CONSTRAINT (either) ``name``."""
    lo = name.lower()
    if kind in ("CHECK", "CONSTRAINT"):
        kept = [c for c in draft.checks if c.name.lower() != lo]
        if len(kept) != len(draft.checks):
            draft.checks = kept
            return
    if kind in ("FOREIGN KEY", "CONSTRAINT"):
        kept = [f for f in draft.foreign_keys if f.name.lower() != lo]
        if len(kept) != len(draft.foreign_keys):
            draft.foreign_keys = kept
            return
    if kind == "CHECK":
        raise SQLError(3821, "HY000", f"Check constraint '{name}' is not found in the table.")
    if kind == "CONSTRAINT":
        raise SQLError(3940, "HY000", f"Constraint '{name}' does not exist.")
    raise SQLError.of("CANT_DROP_FIELD_OR_KEY", name)


def rename_table(state, txn, old: str, target: exp.Table) -> None:
    """Move table ``old`` to ``target``'s name; foreign keys that reference it follow (as in MySQL)."""
    new_db = target.db or None
    if new_db is not None and new_db.lower() != txn.sdb.name.lower():
        raise SQLError.of("NOT_SUPPORTED_YET", "RENAME TABLE across databases")
    new = target.name
    if txn.has_table(new) and new.lower() != old.lower():
        raise SQLError.of("TABLE_EXISTS", new)
    from sqlserver.engine import views

    if views.find(txn, new) is not None:
        raise SQLError.of("TABLE_EXISTS", new)
    ts = txn.table(old)
    table = ts.to_table()
    children = [(c, fk) for c, fk in constraints.children_of(txn, ts.name) if c.lower() != ts.name.lower()]
    if any(fk.ref_table.lower() == ts.name.lower() for fk in table.schema.foreign_keys):  # self-references
        fks = tuple(ForeignKey(f.name, f.columns, new if f.ref_table.lower() == ts.name.lower() else f.ref_table,
                               f.ref_columns, f.on_delete, f.on_update) for f in table.schema.foreign_keys)
        table = table.with_schema(ddl._replace(table.schema, foreign_keys=fks))
    txn.drop_table(ts.name)
    txn.create_table(new, table.schema, table)
    for child in dict.fromkeys(c for c, _ in children):
        cts = txn.table(child)
        fks = tuple(ForeignKey(f.name, f.columns, new if f.ref_table.lower() == ts.name.lower() else f.ref_table,
                               f.ref_columns, f.on_delete, f.on_update) for f in cts.schema.foreign_keys)
        txn.replace_table(cts.name, cts.to_table().with_schema(ddl._replace(cts.schema, foreign_keys=fks)))
    txn.fk_children = None
