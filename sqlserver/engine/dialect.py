"""Grove's sqlglot dialect: MySQL's, minus the rewrites that lose what the client typed.

sqlglot canonicalizes some MySQL syntax for transpiling, which is wrong for
an engine that must evaluate it:

* ``DATE_FORMAT(d, '%i')``, ``STR_TO_DATE``, ``FROM_UNIXTIME(n, fmt)``
  become strftime-style nodes whose format literal is rewritten (``%i`` ->
  ``%M``) and loses its source offset, so the planner could not map it to
  its parameter slot;
* ``JSON_EXTRACT(j, '$.a')`` and ``j->'$.a'`` parse the path into a lossy
  structure (``$**.a`` becomes two wildcards);
* ``TO_DAYS(d)`` becomes ``DATEDIFF(d, '0000-01-01') + 1``, which is not
  MySQL's day count for years before 1583;
* ``INTERVAL 1 DAY`` turns the number into a new string literal without
  its offset (not fixable here: the planner plans such a statement for its
  text only).

So these functions parse as plain calls (``exp.Anonymous``) whose arguments
are the literals as written, and JSON paths stay literals.  The planner (``Binder._func``) and the function
tables (``datetime_functions``, ``json_functions``, ``regexp_functions``)
take it from there.  One keyword is remapped too: ``REAL`` means DOUBLE, as in MySQL.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.dialects.mysql import MySQL
from sqlglot.tokens import TokenType

# functions whose sqlglot builders rewrite their arguments: parsed as exp.Anonymous instead
_RAW_FUNCTIONS = frozenset((
    "DATE_FORMAT", "STR_TO_DATE", "FROM_UNIXTIME", "TO_DAYS", "MONTHNAME", "DAYNAME", "CONVERT_TZ",
    "DATEDIFF", "LAST_DAY", "QUARTER", "WEEK", "WEEKOFYEAR", "DAYOFYEAR", "MAKETIME",
    "JSON_EXTRACT", "JSON_KEYS", "JSON_TYPE", "JSON_SET", "JSON_REMOVE", "JSON_ARRAY_APPEND",
    "JSON_ARRAY_INSERT", "REGEXP_LIKE", "REGEXP_REPLACE", "REGEXP_SUBSTR", "REGEXP_INSTR",
))


# functions sqlglot parses with a dedicated grammar narrower than MySQL's (JSON_OBJECT('k', 1 = 1) fails,
# JSON_OBJECT('k') is a syntax error instead of 1582): parsed as plain calls too
_RAW_FUNCTION_PARSERS = frozenset(("JSON_OBJECT",))

for _name in _RAW_FUNCTIONS:
    # sqlglot's parser classes are compiled (mypyc) and cannot be subclassed, so the MySQL parser's own
    # table is edited; Grove is the only parser of MySQL text in the process (parser.py)
    MySQL.Parser.FUNCTIONS.pop(_name, None)
for _name in _RAW_FUNCTION_PARSERS:
    MySQL.Parser.FUNCTION_PARSERS.pop(_name, None)

# a prepared statement's ``?`` must carry its source offset, as literals do, so the planner can map it to its
# parameter slot (driver.run_prepared); sqlglot's Placeholder records no position.  The table is the base
# Parser's (MySQL's shares it).
MySQL.Parser.PLACEHOLDER_PARSERS[TokenType.PLACEHOLDER] = (
    lambda self: self.expression(exp.Placeholder()).update_positions(self._prev))


# REAL is DOUBLE in MySQL (FLOAT only under sql_mode REAL_AS_FLOAT, which Grove does not offer); sqlglot reads
# it as FLOAT, which is single precision here (sqltypes.single_precision)
MySQL.Tokenizer.KEYWORDS["REAL"] = TokenType.DOUBLE


class Grove(MySQL):
    def to_json_path(self, path):
        return path  # evaluated by json_functions with MySQL's path grammar


__all__ = ["Grove"]
