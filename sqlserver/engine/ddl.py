"""DDL: CREATE TABLE syntax -> storage.schema.Schema, and back to SHOW CREATE TABLE text.

Storage keeps a column's type as its canonical SQL text (``SqlType.sql()``),
its default as SQL literal text (``'x'``, ``1.50``, ``NULL``,
``CURRENT_TIMESTAMP``), and character columns' collation explicitly
(``utf8mb4_0900_ai_ci`` unless declared), so what a table means never
depends on server defaults that might change.

A table declared without a primary key gets a hidden one: column
``__grove_row_id bigint unsigned`` with AUTO_INCREMENT, last in the row.
Rows need a key in a prolly map, and MySQL accepts such tables, so we keep
them working; the column is left out of SELECT *, DESCRIBE, SHOW CREATE
TABLE and name resolution (sqlserver.engine.planner.HIDDEN_PK).
"""

from __future__ import annotations

from sqlglot import exp

from sqlserver.engine.parser import unescape_string
from sqlserver.engine.planner import HIDDEN_PK
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType
from storage.collation import DEFAULT_COLLATION, SUPPORTED
from storage.schema import Column, Index, Schema

_CHARSET_DEFAULT_COLLATION = {"utf8mb4": DEFAULT_COLLATION, "utf8": "utf8mb4_bin", "utf8mb3": "utf8mb4_bin",
                              "binary": "binary", "latin1": "utf8mb4_bin", "ascii": "utf8mb4_bin"}


def _type_text(dt: exp.DataType) -> str:
    return dt.sql(dialect="mysql").lower()


def _default_text(e) -> str:
    if isinstance(e, exp.Null):
        return "NULL"
    if isinstance(e, exp.Literal):
        if e.is_string:
            return "'" + e.this.replace("\\", "\\\\").replace("'", "''") + "'"
        return e.this
    if isinstance(e, exp.Neg) and isinstance(e.this, exp.Literal) and not e.this.is_string:
        return "-" + e.this.this
    if isinstance(e, exp.Boolean):
        return "1" if e.this else "0"
    if isinstance(e, (exp.CurrentTimestamp,)) or isinstance(e, exp.Anonymous) and str(e.this).lower() == "now":
        return "CURRENT_TIMESTAMP"
    if isinstance(e, exp.Paren):
        return _default_text(e.this)
    raise SQLError.of("NOT_SUPPORTED_YET", "expression defaults")


def default_value(text: str, t: SqlType):
    """The value (or, for CURRENT_TIMESTAMP, a function of the context) of a stored default."""
    if text.upper() == "NULL":
        return None
    if text.upper().startswith("CURRENT_TIMESTAMP"):
        return lambda ctx: ctx.now
    if text.startswith("'"):
        v = unescape_string(text.replace("''", "\\'") if "''" in text else text)
    else:
        v = text
    return t.coerce(v)


def implicit_default(t: SqlType):
    """MySQL's implicit default of a type: what a NOT NULL column gets when a lenient statement has no value.

    (https://dev.mysql.com/doc/refman/8.0/en/data-type-defaults.html): 0 for numbers, '' for strings,
    the first member for ENUM, the "zero" value for temporal types.
    """
    if t.is_integer or t.name in ("decimal", "float", "double", "bit", "year"):
        return 0
    if t.name == "date":
        return "0000-00-00"
    if t.name in ("datetime", "timestamp"):
        return "0000-00-00 00:00:00"
    if t.name == "time":
        return "00:00:00"
    if t.name == "enum":
        return 1
    return ""


def collation_for_name(name: str) -> str:
    """The collation Grove uses for a name in ``COLLATE name`` (1273 if unknown)."""
    return _collation_for("", None, name, None)


def _collation_for(t_name: str, charset: str | None, collation: str | None, table_collation: str | None):
    if collation is not None:
        c = collation.lower()
        if c not in SUPPORTED:
            if c.startswith("utf8mb4_") or c.startswith("utf8_"):
                c = "utf8mb4_bin" if c.endswith("_bin") else DEFAULT_COLLATION
            else:
                raise SQLError(1273, "HY000", f"Unknown collation: '{collation}'")
        return c
    if charset is not None:
        cs = charset.lower()
        if cs not in _CHARSET_DEFAULT_COLLATION:
            raise SQLError(1115, "42000", f"Unknown character set: '{charset}'")
        return _CHARSET_DEFAULT_COLLATION[cs]
    return table_collation or DEFAULT_COLLATION


def schema_from_create(tree: exp.Create) -> tuple[exp.Table, Schema]:
    """The table and schema a CREATE TABLE statement declares; MySQL's errors for bad ones."""
    target = tree.this
    if not isinstance(target, exp.Schema):
        if tree.expression is not None:
            raise SQLError.of("NOT_SUPPORTED_YET", "CREATE TABLE ... SELECT")
        raise SQLError.of("NOT_SUPPORTED_YET", "CREATE TABLE ... LIKE")
    table = target.this
    table_collation = None
    options = {}
    for p in (tree.args.get("properties").expressions if tree.args.get("properties") else ()):
        if isinstance(p, exp.CollateProperty):
            table_collation = _collation_for("", None, p.this.name, None)
        elif isinstance(p, exp.CharacterSetProperty) and table_collation is None:
            table_collation = _collation_for("", p.this.name, None, None)
        elif isinstance(p, exp.EngineProperty):
            options["engine"] = p.this.name
        elif isinstance(p, exp.SchemaCommentProperty):
            options["comment"] = p.this.this
    columns: list[Column] = []
    pk: list[str] = []
    indexes: list[Index] = []
    seen = set()

    def add_index(name, cols, unique, desc=(), lengths=()):
        if name is None:  # MySQL names an unnamed index after its first column: c, c_2, c_3, ...
            name = unnamed_index_name(cols, [i.name for i in indexes])
        indexes.append(Index(name, tuple(cols), unique, tuple(lengths), _desc_extra(desc)))

    pending_indexes = []
    pending_checks: list[tuple[str | None, exp.Expression]] = []  # (name, condition)
    pending_fks: list[tuple[str | None, exp.ForeignKey]] = []
    for item in target.expressions:
        if isinstance(item, exp.ColumnDef):
            name = item.name
            if name.lower() in seen:
                raise SQLError.of("DUP_FIELDNAME", name)
            seen.add(name.lower())
            col, inline = column_from_def(item, table_collation)
            if inline["primary"]:
                if pk:
                    raise SQLError.of("MULTIPLE_PRI_KEY")
                pk = [name]
            if inline["unique"]:
                pending_indexes.append((None, [exp.to_identifier(name)], True))
            pending_checks.extend((None, c) for c in inline["checks"])
            columns.append(col)
        elif isinstance(item, exp.PrimaryKey):
            if pk:
                raise SQLError.of("MULTIPLE_PRI_KEY")
            pk = [_col_name(x) for x in item.expressions]
        elif isinstance(item, exp.UniqueColumnConstraint):
            s = item.this
            pending_indexes.append((s.this.name if s is not None and s.this is not None else None,
                                    list(s.expressions if s is not None else []), True))
        elif isinstance(item, exp.IndexColumnConstraint):
            pending_indexes.append((item.this.name if item.this is not None else None,
                                    list(item.expressions), False))
        elif isinstance(item, exp.Constraint):
            for sub in item.expressions:
                if isinstance(sub, exp.UniqueColumnConstraint):
                    s = sub.this
                    nm = s.this.name if s is not None and s.this is not None else item.name
                    pending_indexes.append((nm, list(s.expressions), True))
                elif isinstance(sub, exp.PrimaryKey):
                    if pk:
                        raise SQLError.of("MULTIPLE_PRI_KEY")
                    pk = [_col_name(x) for x in sub.expressions]
                elif isinstance(sub, exp.CheckColumnConstraint):
                    pending_checks.append((item.name or None, sub.this))
                elif isinstance(sub, exp.ForeignKey):
                    pending_fks.append((item.name or None, sub))
                else:
                    raise SQLError.of("NOT_SUPPORTED_YET", "this constraint")
        elif isinstance(item, exp.CheckColumnConstraint):
            pending_checks.append((None, item.this))
        elif isinstance(item, exp.ForeignKey):
            pending_fks.append((None, item))
        else:
            raise SQLError.of("NOT_SUPPORTED_YET", f"table element {item.sql(dialect='mysql')}")
    if not columns:
        raise SQLError(1113, "42000", "A table must have at least 1 column")
    names = {c.name.lower(): c.name for c in columns}
    for col in pk:
        if col.lower() not in names:
            raise SQLError(1072, "42000", f"Key column '{col}' doesn't exist in table")
    pk = [names[c.lower()] for c in pk]
    # primary key columns are NOT NULL (MySQL makes them so silently; explicit NULL is an error)
    columns = [Column(c.name, c.sql_type, False, c.default, c.auto_increment, c.collation, c.comment)
               if c.name in pk else c for c in columns]
    by_name = {c.name: c for c in columns}
    for nm, items, unique in pending_indexes:
        cols, desc, lengths = index_parts(items)
        for col in cols:
            if col.lower() not in names:
                raise SQLError(1072, "42000", f"Key column '{col}' doesn't exist in table")
        cols = [names[c.lower()] for c in cols]
        for col, n in zip(cols, lengths):
            _check_key_part(by_name[col], n)
        if nm is not None and nm.lower() in {i.name.lower() for i in indexes}:
            raise SQLError.of("DUP_KEYNAME", nm)
        add_index(nm, cols, unique, desc, lengths)
    autos = [c for c in columns if c.auto_increment]
    if len(autos) > 1:
        raise SQLError.of("WRONG_AUTO_KEY")
    for a in autos:
        keyed = (pk and pk[0] == a.name) or any(i.columns[0] == a.name for i in indexes)
        if not keyed:
            raise SQLError.of("WRONG_AUTO_KEY")
    if not pk:
        if autos:
            # the hidden key shares the table's counter (one per table); keep the user's column auto
            pass
        columns.append(Column(HIDDEN_PK, "bigint unsigned", False, None, not autos, None))
        pk = [HIDDEN_PK]
    try:
        schema = Schema(tuple(columns), tuple(pk), tuple(indexes), options=options)
    except ValueError as e:
        raise SQLError.of("UNKNOWN", str(e)) from None
    for nm, cond in pending_checks:
        schema = with_check(schema, table.name, nm, cond)
    for nm, fk in pending_fks:
        schema = with_foreign_key(schema, table.name, nm, fk)
    return table, schema


def column_from_def(item: exp.ColumnDef, table_collation: str | None = None) -> tuple[Column, dict]:
    """One column definition as a Column, plus what it declares about the table.

    The dict holds ``primary`` / ``unique`` (inline PRIMARY KEY / UNIQUE) and
    ``checks`` (inline CHECK conditions, which MySQL 8.0.16+ enforces as table
    constraints).  An inline ``REFERENCES`` is parsed and ignored, as MySQL
    does (https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html).
    """
    name = item.name
    kind = item.args.get("kind")
    if kind is None:
        raise SQLError.of("PARSE", name, 1)
    charset = collation = None
    nullable, default, auto, comment = True, None, False, ""
    inline = {"primary": False, "unique": False, "checks": []}
    for c in item.constraints:
        k = c.kind
        if isinstance(k, exp.NotNullColumnConstraint):
            nullable = bool(k.args.get("allow_null"))
        elif isinstance(k, exp.DefaultColumnConstraint):
            default = _default_text(k.this)
        elif isinstance(k, exp.AutoIncrementColumnConstraint):
            auto = True
        elif isinstance(k, exp.PrimaryKeyColumnConstraint):
            inline["primary"] = True
        elif isinstance(k, exp.UniqueColumnConstraint):
            inline["unique"] = True
        elif isinstance(k, exp.CollateColumnConstraint):
            collation = k.this.name
        elif isinstance(k, exp.CharacterSetColumnConstraint):
            charset = k.this.name
        elif isinstance(k, exp.CommentColumnConstraint):
            comment = k.this.this
        elif isinstance(k, exp.CheckColumnConstraint):
            inline["checks"].append(k.this)
    t = SqlType.parse(_type_text(kind))
    if t.collation is not None or charset or collation:
        if t.collation is None:
            if t.name not in ("enum", "set"):
                raise SQLError.of("PARSE", f"CHARACTER SET {charset or collation}", 1)
        coll = _collation_for(t.name, charset, collation, table_collation)
        t = SqlType.parse(_type_text(kind), coll)
    if default is not None and default != "NULL":
        if default == "CURRENT_TIMESTAMP" and t.name not in ("datetime", "timestamp"):
            raise SQLError(1067, "42000", f"Invalid default value for '{name}'")
        try:
            default_value(default, t)
        except SQLError:
            raise SQLError(1067, "42000", f"Invalid default value for '{name}'") from None
    if default == "NULL" and not nullable:
        raise SQLError(1067, "42000", f"Invalid default value for '{name}'")
    if auto and not (t.is_integer or t.name in ("float", "double")):
        raise SQLError(1063, "42000", f"Incorrect column specifier for column '{name}'")
    if inline["primary"]:
        nullable = False
    return Column(name, t.sql(), nullable, default, auto, t.collation, comment), inline


# --- CHECK and FOREIGN KEY constraints ---------------------------------------------------------


def schema_like(schema: Schema, source: str, target: str) -> Schema:
    """CREATE TABLE ``target`` LIKE ``source``: columns, keys and CHECKs; never foreign keys (as MySQL).

    Generated CHECK names (``<source>_chk_<n>``) are renamed for the new table, as MySQL does.
    """
    from storage.schema import Check

    prefix = f"{source}_chk_".lower()
    checks = tuple(Check(f"{target}_chk_{c.name[len(prefix):]}" if c.name.lower().startswith(prefix) else c.name,
                         c.expression, c.enforced) for c in schema.checks)
    return _replace(schema, foreign_keys=(), checks=checks)



def _replace(schema: Schema, **changes) -> Schema:
    fields = {"columns": schema.columns, "primary_key": schema.primary_key, "indexes": schema.indexes,
              "foreign_keys": schema.foreign_keys, "checks": schema.checks, "options": schema.options}
    fields.update(changes)
    try:
        return Schema(**fields)
    except ValueError as e:
        raise SQLError.of("UNKNOWN", str(e)) from None


def constraint_names(schema: Schema) -> set[str]:
    """Lower-cased CHECK and FOREIGN KEY names: one namespace per table (and per schema, in MySQL)."""
    return {c.name.lower() for c in schema.checks} | {f.name.lower() for f in schema.foreign_keys}


def _next_generated(schema: Schema, table: str, infix: str, existing) -> str:
    n = 1
    taken = constraint_names(schema)
    prefix = f"{table}_{infix}_".lower()
    for name in existing:
        if name.lower().startswith(prefix) and name[len(prefix):].isdigit():
            n = max(n, int(name[len(prefix):]) + 1)
    while f"{table}_{infix}_{n}".lower() in taken:
        n += 1
    return f"{table}_{infix}_{n}"


def with_check(schema: Schema, table: str, name: str | None, cond: exp.Expression) -> Schema:
    """``schema`` plus CHECK (``cond``); unnamed checks are ``<table>_chk_<n>`` as in MySQL.

    The condition is stored as MySQL-dialect SQL text with quoted identifiers;
    it must name only columns of the table (3820 otherwise) and no
    non-deterministic functions (not checked yet).
    """
    from storage.schema import Check

    if name is None:
        name = _next_generated(schema, table, "chk", [c.name for c in schema.checks])
    elif name.lower() in constraint_names(schema):
        raise SQLError(3822, "HY000", f"Duplicate check constraint name '{name}'.")
    for col in cond.find_all(exp.Column):
        if schema.column(col.name) is None:
            raise SQLError(3820, "HY000", f"Check constraint '{name}' refers to non-existing column '{col.name}'.")
    text = cond.sql(dialect="mysql", identify=True)
    return _replace(schema, checks=(*schema.checks, Check(name, text)))


_FK_ACTIONS = ("RESTRICT", "CASCADE", "SET NULL", "NO ACTION", "SET DEFAULT")


def with_foreign_key(schema: Schema, table: str, name: str | None, fk: exp.ForeignKey) -> Schema:
    """``schema`` plus a FOREIGN KEY; adds an index on its columns when none starts with them (as InnoDB).

    The referenced table is checked when the statement runs
    (sqlserver.engine.constraints.validate_references), since it needs the catalog.
    """
    from storage.schema import ForeignKey

    cols = [_col_name(x) for x in fk.expressions]
    ref = fk.args.get("reference")
    ref_schema = ref.this
    ref_table = ref_schema.this if isinstance(ref_schema, exp.Schema) else ref_schema
    ref_cols = [_col_name(x) for x in (ref_schema.expressions if isinstance(ref_schema, exp.Schema) else [])]
    on_delete = on_update = "NO ACTION"
    for opt in ref.args.get("options") or ():
        text = " ".join(str(opt).upper().split())
        for verb in ("DELETE", "UPDATE"):
            if text.startswith(f"ON {verb} "):
                action = text[len(f"ON {verb} "):]
                if action not in _FK_ACTIONS:
                    raise SQLError.of("PARSE", text, 1)
                if verb == "DELETE":
                    on_delete = action
                else:
                    on_update = action
    resolved = []
    for c in cols:
        col = schema.column(c)
        if col is None:
            raise SQLError(1072, "42000", f"Key column '{c}' doesn't exist in table")
        resolved.append(col.name)
    if len(ref_cols) != len(resolved):
        raise SQLError(1239, "42000", f"Incorrect foreign key definition for '{name or 'foreign key without name'}': "
                                      "Key reference and table reference don't match")
    index_name = fk.args.get("index") if isinstance(fk.args.get("index"), str) else None
    if name is not None and name.lower() in constraint_names(schema):
        raise SQLError(1826, "HY000", f"Duplicate foreign key constraint name '{name}'")
    fk_name = name or _next_generated(schema, table, "ibfk", [f.name for f in schema.foreign_keys])
    for c in resolved:
        if "SET NULL" in (on_delete, on_update) and not schema.column(c).nullable:
            raise SQLError(1830, "HY000", f"Column '{c}' cannot be NOT NULL: needed in a foreign key constraint "
                                          f"'{fk_name}' SET NULL")
    lower = [c.lower() for c in resolved]
    covered = [c.lower() for c in schema.primary_key][:len(lower)] == lower or any(
        [c.lower() for c in ix.columns][:len(lower)] == lower for ix in schema.indexes)
    if not covered:
        schema = with_index(schema, index_name or name, resolved, False)
    fkey = ForeignKey(fk_name, tuple(resolved), ref_table.name, tuple(ref_cols), on_delete, on_update)
    return _replace(schema, foreign_keys=(*schema.foreign_keys, fkey))


# --- CREATE INDEX / DROP INDEX / ALTER TABLE ... ADD|DROP INDEX ------------------------------

_KEYLESS_TYPES = ("text", "tinytext", "mediumtext", "longtext", "blob", "tinyblob", "mediumblob", "longblob", "json")


def unnamed_index_name(cols, taken) -> str:
    """MySQL's name for an unnamed index: its first column, then c_2, c_3, ... while taken."""
    taken = {t.lower() for t in taken}
    base = name = cols[0]
    n = 2
    while name.lower() in taken or name.upper() == "PRIMARY":
        name = f"{base}_{n}"
        n += 1
    return name


def index_parts(items) -> tuple[list[str], list[bool], list[int | None]]:
    """(column names, descending flags, prefix lengths) of an index's key parts (``a``, ``b DESC``, ``c(10)``)."""
    names, desc, lengths = [], [], []
    for x in items:
        desc.append(bool(isinstance(x, exp.Ordered) and x.args.get("desc")))
        if isinstance(x, exp.Ordered):
            x = x.this
        n = None
        if isinstance(x, exp.ColumnPrefix):  # CREATE TABLE ... KEY (c(10))
            x, n = x.this, x.expression
        elif isinstance(x, exp.Anonymous) and len(x.expressions) == 1:  # CREATE INDEX ... (c(10)): a "call"
            x, n = exp.to_identifier(x.name), x.expressions[0]
        if n is not None:
            if not (isinstance(n, exp.Literal) and not n.is_string and n.this.isdigit() and int(n.this) > 0):
                raise SQLError.of("PARSE", n.sql(dialect="mysql"), 1)
            n = int(n.this)
        names.append(_col_name(x))
        lengths.append(n)
    return names, desc, lengths


def _desc_extra(desc) -> dict | None:
    return {"desc": list(desc)} if desc and any(desc) else None


def _check_key_part(col: Column, length: int | None) -> None:
    """1170: TEXT/BLOB needs a prefix length; 1089: a prefix on a non-string column."""
    t = SqlType.parse(col.sql_type, col.collation)
    if length is None:
        if t.name in _KEYLESS_TYPES:
            raise SQLError(1170, "42000", f"BLOB/TEXT column '{col.name}' used in key specification without "
                                          "a key length")
    elif t.name not in _KEYLESS_TYPES and t.name not in ("char", "varchar", "binary", "varbinary") or \
            t.name == "json":
        raise SQLError(1089, "HY000", "Incorrect prefix key; the used key part isn't a string, the used length is "
                                      "longer than the key part, or the storage engine doesn't support unique "
                                      "prefix keys")


def with_index(schema: Schema, name: str | None, cols: list[str], unique: bool,
               desc: list[bool] | None = None, lengths: list[int | None] | None = None) -> Schema:
    """``schema`` plus a secondary index; MySQL's errors for a bad one (1061, 1072, 1060, 1170, 1089, 1280).

    Descending key parts are remembered (``extra["desc"]``) for SHOW CREATE
    TABLE only: the map is kept in ascending order and read backwards when
    needed, which is the same set of entries and the same constraint.
    Prefix key parts (``c(10)``) index the first characters only
    (sqlserver.tables.IndexCodec.lengths).
    """
    lengths = list(lengths or [None] * len(cols))
    resolved = []
    for c, n in zip(cols, lengths):
        col = schema.column(c)
        if col is None or col.name == HIDDEN_PK:
            raise SQLError(1072, "42000", f"Key column '{c}' doesn't exist in table")
        if col.name in resolved:
            raise SQLError.of("DUP_FIELDNAME", col.name)
        _check_key_part(col, n)
        resolved.append(col.name)
    taken = [i.name for i in schema.indexes]
    if name is None:
        name = unnamed_index_name(resolved, taken)
    elif name.upper() == "PRIMARY":
        raise SQLError(1280, "42000", f"Incorrect index name '{name}'")
    elif name.lower() in {t.lower() for t in taken}:
        raise SQLError.of("DUP_KEYNAME", name)
    ix = Index(name, tuple(resolved), unique, tuple(lengths), _desc_extra(desc))
    return Schema(schema.columns, schema.primary_key, (*schema.indexes, ix), schema.foreign_keys, schema.checks,
                  schema.options)


def without_index(schema: Schema, name: str) -> tuple[Schema, str]:
    """(``schema`` without index ``name``, its stored name); 1091 if there is none.

    Dropping the primary key is not supported (a table's rows are keyed by it).
    """
    if name.upper() == "PRIMARY" and schema.primary_key != (HIDDEN_PK,):
        raise SQLError.of("NOT_SUPPORTED_YET", "dropping a primary key")
    ix = schema.index(name)
    if ix is None:
        raise SQLError.of("CANT_DROP_FIELD_OR_KEY", name)
    rest = tuple(i for i in schema.indexes if i is not ix)
    return Schema(schema.columns, schema.primary_key, rest, schema.foreign_keys, schema.checks,
                  schema.options), ix.name


def _col_name(x) -> str:
    if isinstance(x, exp.Ordered):
        x = x.this
    if isinstance(x, (exp.Column, exp.Identifier)):
        return x.name
    raise SQLError.of("NOT_SUPPORTED_YET", "index on an expression or prefix")


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def show_create_table(name: str, schema: Schema) -> str:
    """MySQL 8's SHOW CREATE TABLE text (the common parts)."""
    lines = []
    for c in schema.columns:
        if c.name == HIDDEN_PK:
            continue
        t = SqlType.parse(c.sql_type, c.collation)
        line = f"  {_q(c.name)} {t.sql()}"
        if t.collation is not None and t.collation != DEFAULT_COLLATION:
            line += f" COLLATE {t.collation}"
        if not c.nullable:
            line += " NOT NULL"
        if c.default is not None:
            if c.default == "NULL":
                line += " DEFAULT NULL"
            elif c.default.startswith("'") or c.default == "CURRENT_TIMESTAMP":
                line += f" DEFAULT {c.default}"
            else:
                line += f" DEFAULT '{default_value(c.default, t)}'"
        elif c.nullable and not c.auto_increment and t.name not in ("text", "tinytext", "mediumtext", "longtext",
                                                                     "blob", "json"):
            line += " DEFAULT NULL"
        if c.auto_increment and c.name != HIDDEN_PK:
            line += " AUTO_INCREMENT"
        if c.comment:
            line += " COMMENT '" + c.comment.replace("'", "''") + "'"
        lines.append(line)
    if schema.primary_key and schema.primary_key != (HIDDEN_PK,):
        lines.append(f"  PRIMARY KEY ({','.join(_q(c) for c in schema.primary_key)})")
    for ix in sorted(schema.indexes, key=lambda i: not i.unique):  # MySQL lists unique keys first
        desc = ix.extra.get("desc") or [False] * len(ix.columns)
        parts = ",".join(_q(c) + (f"({n})" if n is not None else "") + (" DESC" if d else "")
                         for c, d, n in zip(ix.columns, desc, ix.prefix_lengths))
        lines.append(f"  {'UNIQUE ' if ix.unique else ''}KEY {_q(ix.name)} ({parts})")
    for fk in sorted(schema.foreign_keys, key=lambda f: f.name):
        line = (f"  CONSTRAINT {_q(fk.name)} FOREIGN KEY ({', '.join(_q(c) for c in fk.columns)}) "
                f"REFERENCES {_q(fk.ref_table)} ({', '.join(_q(c) for c in fk.ref_columns)})")
        for verb, action in (("DELETE", fk.on_delete), ("UPDATE", fk.on_update)):
            if action != "NO ACTION":
                line += f" ON {verb} {action}"
        lines.append(line)
    for ck in sorted(schema.checks, key=lambda c: c.name):
        lines.append(f"  CONSTRAINT {_q(ck.name)} CHECK (({ck.expression}))")
    body = ",\n".join(lines)
    return (f"CREATE TABLE {_q(name)} (\n{body}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 "
            f"COLLATE=utf8mb4_0900_ai_ci")


def describe_rows(schema: Schema) -> list[tuple]:
    """DESCRIBE / SHOW COLUMNS rows: Field, Type, Null, Key, Default, Extra."""
    out = []
    unique_first = {ix.columns[0] for ix in schema.indexes if ix.unique and len(ix.columns) == 1}
    multi_first = {ix.columns[0] for ix in schema.indexes}
    for c in schema.columns:
        if c.name == HIDDEN_PK:
            continue
        t = SqlType.parse(c.sql_type, c.collation)
        key = "PRI" if c.name in schema.primary_key else "UNI" if c.name in unique_first else (
            "MUL" if c.name in multi_first else "")
        default = None
        if c.default is not None and c.default != "NULL":
            default = c.default if c.default == "CURRENT_TIMESTAMP" else str(default_value(c.default, t))
        extra = "auto_increment" if c.auto_increment else (
            "DEFAULT_GENERATED" if c.default == "CURRENT_TIMESTAMP" else "")
        out.append((c.name, t.sql(), "YES" if c.nullable else "NO", key, default, extra))
    return out
