# JSON values, the JSON column type and the JSON functions (json_values, json_functions), as MySQL 8 has them.
# MySQL 8 and MariaDB differ a lot here; the expectations follow MySQL 8's documented behaviour:
# * MySQL 8 has a native JSON type: stored text is normalized (keys sorted by length then bytewise, the last
#   duplicate key kept, ", " and ": " separators); MariaDB's JSON is LONGTEXT kept as inserted;
# * MySQL 8 rejects invalid JSON on insert (3140) and in function arguments (3141) with the parser's message
#   and position; MariaDB checks with a CHECK (JSON_VALID) constraint (4025) and its functions return NULL;
# * a JSON value compares with a SQL value as JSON (j->'$.n' = 3 is numeric, j->'$.s' = 'x' compares
#   strings bytewise); MariaDB compares the text;
# * doubles print with a '.0' (JSON_ARRAY(1e0) is [1.0]); MariaDB prints 1;
# * JSON_TYPE, JSON_KEYS, JSON_DEPTH, JSON_LENGTH, JSON_CONTAINS agree on the values below.
# Known gap: MySQL 8's 3140 names the column with its table ('t.j'); Grove's says 'j'.

# mariadb-differs: MySQL 8's JSON type normalizes documents (keys sorted by length then bytes, last duplicate kept, doubles as 1.0); MariaDB keeps the text as given
SELECT JSON_OBJECT('b', 1, 'aa', 'x', 'a', NULL), JSON_OBJECT(), JSON_ARRAY(), JSON_ARRAY(1, 2.50, 'x', NULL, 1e0, '[1]');
----
JSON_OBJECT('b', 1, 'aa', 'x', 'a', NULL)	JSON_OBJECT()	JSON_ARRAY()	JSON_ARRAY(1, 2.50, 'x', NULL, 1e0, '[1]')
{"a": null, "b": 1, "aa": "x"}	{}	[]	[1, 2.50, "x", null, 1.0, "[1]"]

# mariadb-differs: MySQL 8's JSON type normalizes documents (keys sorted by length then bytes, last duplicate kept, doubles as 1.0); MariaDB keeps the text as given
SELECT JSON_OBJECT('a', 1, 'a', 2), JSON_OBJECT('k', JSON_ARRAY(1, JSON_OBJECT('z', 'y')));
----
JSON_OBJECT('a', 1, 'a', 2)	JSON_OBJECT('k', JSON_ARRAY(1, JSON_OBJECT('z', 'y')))
{"a": 2}	{"k": [1, {"z": "y"}]}

# mariadb-differs: a NULL member name: MySQL 8 3158 "JSON documents may not contain NULL member names."; MariaDB uses ""
SELECT JSON_OBJECT(NULL, 1);
----
ERROR 3158 (22032): JSON documents may not contain NULL member names.

CREATE TABLE t (id INT PRIMARY KEY, j JSON);
----
OK 0

INSERT INTO t VALUES (1, '{"name": "Ann", "tags": ["x", "y"], "n": 3, "name2": {"first": "A"}}'), (2, '[1, 2, {"a": true}]'), (3, '"just a string"'), (4, 'null'), (5, NULL), (6, '{"b":1,"a":2,"a":3}');
----
OK 6 info=Records: 6  Duplicates: 0  Warnings: 0

# mariadb-differs: MySQL 8's JSON type normalizes documents (keys sorted by length then bytes, last duplicate kept, doubles as 1.0); MariaDB keeps the text as given
SELECT id, j FROM t ORDER BY id;
----
id	j
1	{"n": 3, "name": "Ann", "tags": ["x", "y"], "name2": {"first": "A"}}
2	[1, 2, {"a": true}]
3	"just a string"
4	null
5	NULL
6	{"a": 3, "b": 1}

# mariadb-differs: MySQL 8 rejects invalid JSON for a JSON column with 3140; MariaDB's JSON is LONGTEXT with a JSON_VALID CHECK (4025)
INSERT INTO t VALUES (7, '{"a": 1');
----
ERROR 3140 (22032): Invalid JSON text: "Missing a comma or '}' after an object member." at position 7 in value for column 'j'.

# mariadb-differs: MySQL 8 rejects invalid JSON for a JSON column with 3140; MariaDB's JSON is LONGTEXT with a JSON_VALID CHECK (4025)
INSERT INTO t VALUES (7, '');
----
ERROR 3140 (22032): Invalid JSON text: "The document is empty." at position 0 in value for column 'j'.

# mariadb-differs: MySQL 8 rejects invalid JSON for a JSON column with 3140; MariaDB's JSON is LONGTEXT with a JSON_VALID CHECK (4025)
INSERT INTO t VALUES (7, '[1, 2');
----
ERROR 3140 (22032): Invalid JSON text: "Missing a comma or ']' after an array element." at position 5 in value for column 'j'.

# mariadb-differs: MySQL 8 rejects invalid JSON for a JSON column with 3140; MariaDB's JSON is LONGTEXT with a JSON_VALID CHECK (4025)
INSERT INTO t VALUES (7, '{"a" 1}');
----
ERROR 3140 (22032): Invalid JSON text: "Missing a colon after a name of object member." at position 5 in value for column 'j'.

# mariadb-differs: MySQL 8 rejects invalid JSON for a JSON column with 3140; MariaDB's JSON is LONGTEXT with a JSON_VALID CHECK (4025)
INSERT INTO t VALUES (7, 'tru');
----
ERROR 3140 (22032): Invalid JSON text: "Invalid value." at position 0 in value for column 'j'.

# mariadb-differs: MySQL 8 rejects invalid JSON for a JSON column with 3140; MariaDB's JSON is LONGTEXT with a JSON_VALID CHECK (4025)
INSERT INTO t VALUES (7, '[1] x');
----
ERROR 3140 (22032): Invalid JSON text: "The document root must not be followed by other values." at position 4 in value for column 'j'.

# mariadb-differs: MySQL 8 refuses a non-string for a JSON column (3140 "not a JSON text, may need CAST"); MariaDB stores 1
INSERT INTO t VALUES (7, 1);
----
ERROR 3140 (22032): Invalid JSON text: "not a JSON text, may need CAST" at position 0 in value for column 'j'.

# mariadb-differs: the -> / ->> operators are MySQL 8 only (MariaDB: 1064)
SELECT id, j->'$.name', j->>'$.name', j->'$.tags[0]', j->'$.tags[last]', j->'$.name2.first', j->'$[0]' FROM t ORDER BY id;
----
id	j->'$.name'	j->>'$.name'	j->'$.tags[0]'	j->'$.tags[last]'	j->'$.name2.first'	j->'$[0]'
1	"Ann"	Ann	"x"	"y"	"A"	{"n": 3, "name": "Ann", "tags": ["x", "y"], "name2": {"first": "A"}}
2	NULL	NULL	NULL	NULL	NULL	1
3	NULL	NULL	NULL	NULL	NULL	"just a string"
4	NULL	NULL	NULL	NULL	NULL	null
5	NULL	NULL	NULL	NULL	NULL	NULL
6	NULL	NULL	NULL	NULL	NULL	{"a": 3, "b": 1}

# mariadb-differs: MySQL 8's JSON type normalizes documents (keys sorted by length then bytes, last duplicate kept, doubles as 1.0); MariaDB keeps the text as given; MariaDB also holds the row stored above
SELECT id, JSON_TYPE(j), JSON_LENGTH(j), JSON_DEPTH(j), JSON_KEYS(j), JSON_VALID(j) FROM t ORDER BY id;
----
id	JSON_TYPE(j)	JSON_LENGTH(j)	JSON_DEPTH(j)	JSON_KEYS(j)	JSON_VALID(j)
1	OBJECT	4	3	["n", "name", "tags", "name2"]	1
2	ARRAY	3	3	NULL	1
3	STRING	1	1	NULL	1
4	NULL	1	1	NULL	1
5	NULL	NULL	NULL	NULL	NULL
6	OBJECT	2	2	["a", "b"]	1

# mariadb-differs: the -> / ->> operators are MySQL 8 only (MariaDB: 1064)
SELECT id FROM t WHERE j->'$.name' = 'Ann';
----
id
1

# mariadb-differs: the -> / ->> operators are MySQL 8 only (MariaDB: 1064)
SELECT id FROM t WHERE j->'$.name' = 'ann';
----
id

# mariadb-differs: the -> / ->> operators are MySQL 8 only (MariaDB: 1064)
SELECT id FROM t WHERE j->'$.n' = 3 OR j->'$[0]' = 1 ORDER BY id;
----
id
1
2

SELECT JSON_EXTRACT('{"a": [1, {"b": 2}]}', '$.a[1].b'), JSON_EXTRACT('{"a": [1, 2]}', '$.a[*]'), JSON_EXTRACT('[1, 2, 3]', '$[last]'), JSON_EXTRACT('[1, 2, 3]', '$[last-1]'), JSON_EXTRACT('[1, 2, 3, 4]', '$[1 to 2]');
----
JSON_EXTRACT('{"a": [1, {"b": 2}]}', '$.a[1].b')	JSON_EXTRACT('{"a": [1, 2]}', '$.a[*]')	JSON_EXTRACT('[1, 2, 3]', '$[last]')	JSON_EXTRACT('[1, 2, 3]', '$[last-1]')	JSON_EXTRACT('[1, 2, 3, 4]', '$[1 to 2]')
2	[1, 2]	3	2	[2, 3]

SELECT JSON_EXTRACT('{"a": {"b": 1}, "c": {"b": 2}}', '$**.b'), JSON_EXTRACT('{"a": 1, "bb": 2}', '$.*'), JSON_EXTRACT('[1, 2]', '$[0]', '$[1]'), JSON_EXTRACT('{"a": 1}', '$.b'), JSON_EXTRACT('5', '$[0]'), JSON_EXTRACT('{"a b": 1}', '$."a b"');
----
JSON_EXTRACT('{"a": {"b": 1}, "c": {"b": 2}}', '$**.b')	JSON_EXTRACT('{"a": 1, "bb": 2}', '$.*')	JSON_EXTRACT('[1, 2]', '$[0]', '$[1]')	JSON_EXTRACT('{"a": 1}', '$.b')	JSON_EXTRACT('5', '$[0]')	JSON_EXTRACT('{"a b": 1}', '$."a b"')
[1, 2]	[1, 2]	[1, 2]	NULL	5	1

# mariadb-differs: MySQL 8 raises an error for a bad JSON argument or path; MariaDB's JSON functions return NULL (with a warning)
SELECT JSON_EXTRACT('[1]', 'x');
----
ERROR 3143 (42000): Invalid JSON path expression. The error is around character position 1.

# mariadb-differs: MySQL 8 raises an error for a bad JSON argument or path; MariaDB's JSON functions return NULL (with a warning)
SELECT JSON_EXTRACT('[1]', '$[');
----
ERROR 3143 (42000): Invalid JSON path expression. The error is around character position 2.

# mariadb-differs: MySQL 8 raises an error for a bad JSON argument or path; MariaDB's JSON functions return NULL (with a warning)
SELECT JSON_EXTRACT('{"a": 1', '$.a');
----
ERROR 3141 (22032): Invalid JSON text in argument 1 to function json_extract: "Missing a comma or '}' after an object member." at position 7.

# mariadb-differs: MySQL 8 raises an error for a bad JSON argument or path; MariaDB's JSON functions return NULL (with a warning)
SELECT JSON_EXTRACT(1, '$');
----
ERROR 3146 (22032): Invalid data type for JSON data in argument 1 to function json_extract; a JSON string or JSON type is required.

SELECT JSON_UNQUOTE('"a\\u0041"'), JSON_UNQUOTE('abc'), JSON_UNQUOTE(JSON_EXTRACT('{"a": [1]}', '$.a')), JSON_QUOTE('a"b\\c'), JSON_QUOTE('x'), JSON_UNQUOTE(NULL);
----
JSON_UNQUOTE('"a\\u0041"')	JSON_UNQUOTE('abc')	JSON_UNQUOTE(JSON_EXTRACT('{"a": [1]}', '$.a'))	JSON_QUOTE('a"b\\c')	JSON_QUOTE('x')	JSON_UNQUOTE(NULL)
aA	abc	[1]	"a\"b\\c"	"x"	NULL

# mariadb-differs: JSON_TYPE of 18446744073709551615 is UNSIGNED INTEGER in MySQL 8; MariaDB says INTEGER
SELECT JSON_TYPE('1.5'), JSON_TYPE('1'), JSON_TYPE('true'), JSON_TYPE('null'), JSON_TYPE('"s"'), JSON_TYPE('[]'), JSON_TYPE('{}'), JSON_TYPE('18446744073709551615');
----
JSON_TYPE('1.5')	JSON_TYPE('1')	JSON_TYPE('true')	JSON_TYPE('null')	JSON_TYPE('"s"')	JSON_TYPE('[]')	JSON_TYPE('{}')	JSON_TYPE('18446744073709551615')
DOUBLE	INTEGER	BOOLEAN	NULL	STRING	ARRAY	OBJECT	UNSIGNED INTEGER

SELECT JSON_VALID('{'), JSON_VALID('{"a": [1, 2]}'), JSON_VALID('1'), JSON_VALID(NULL), JSON_LENGTH('[1, [2, 3]]', '$[1]'), JSON_LENGTH('{"a": 1}', '$.b'), JSON_DEPTH('[]'), JSON_DEPTH('[1, [2]]');
----
JSON_VALID('{')	JSON_VALID('{"a": [1, 2]}')	JSON_VALID('1')	JSON_VALID(NULL)	JSON_LENGTH('[1, [2, 3]]', '$[1]')	JSON_LENGTH('{"a": 1}', '$.b')	JSON_DEPTH('[]')	JSON_DEPTH('[1, [2]]')
0	1	1	NULL	2	NULL	1	3

SELECT JSON_CONTAINS('[1, 2, {"a": 3}]', '{"a": 3}'), JSON_CONTAINS('[1, 2]', '[2, 1]'), JSON_CONTAINS('{"a": 1, "b": 2}', '{"a": 1}'), JSON_CONTAINS('{"a": [1, 2]}', '1', '$.a'), JSON_CONTAINS('[1]', '"1"'), JSON_CONTAINS('{"a": 1}', '1');
----
JSON_CONTAINS('[1, 2, {"a": 3}]', '{"a": 3}')	JSON_CONTAINS('[1, 2]', '[2, 1]')	JSON_CONTAINS('{"a": 1, "b": 2}', '{"a": 1}')	JSON_CONTAINS('{"a": [1, 2]}', '1', '$.a')	JSON_CONTAINS('[1]', '"1"')	JSON_CONTAINS('{"a": 1}', '1')
1	1	1	1	0	0

SELECT JSON_CONTAINS_PATH('{"a": 1}', 'one', '$.a', '$.b'), JSON_CONTAINS_PATH('{"a": 1}', 'all', '$.a', '$.b'), JSON_CONTAINS_PATH('{"a": {"c": 1}}', 'one', '$**.c');
----
JSON_CONTAINS_PATH('{"a": 1}', 'one', '$.a', '$.b')	JSON_CONTAINS_PATH('{"a": 1}', 'all', '$.a', '$.b')	JSON_CONTAINS_PATH('{"a": {"c": 1}}', 'one', '$**.c')
1	0	1

# mariadb-differs: MySQL 8 raises an error for a bad JSON argument or path; MariaDB's JSON functions return NULL (with a warning)
SELECT JSON_CONTAINS_PATH('{"a": 1}', 'some', '$.a');
----
ERROR 3150 (42000): The oneOrAll argument to json_contains_path may take these values: 'one' or 'all'.

SELECT JSON_SET('{"a": 1}', '$.b', 2, '$.a', 3), JSON_INSERT('{"a": 1}', '$.a', 5, '$.c', '[1]'), JSON_REPLACE('{"a": 1}', '$.a', 9, '$.z', 1), JSON_SET('[1]', '$[5]', 2), JSON_SET('1', '$[1]', 2), JSON_SET('{"a": 1}', '$', 'x');
----
JSON_SET('{"a": 1}', '$.b', 2, '$.a', 3)	JSON_INSERT('{"a": 1}', '$.a', 5, '$.c', '[1]')	JSON_REPLACE('{"a": 1}', '$.a', 9, '$.z', 1)	JSON_SET('[1]', '$[5]', 2)	JSON_SET('1', '$[1]', 2)	JSON_SET('{"a": 1}', '$', 'x')
{"a": 3, "b": 2}	{"a": 1, "c": "[1]"}	{"a": 9}	[1, 2]	[1, 2]	"x"

SELECT JSON_SET('{"a": {}}', '$.a.b.c', 1), JSON_INSERT('[1, 2]', '$[0]', 9), JSON_REPLACE('[1, 2]', '$[last]', 9), JSON_SET('{"a": 1}', '$.b', JSON_ARRAY(1, 2)), JSON_SET('{"a": 1}', '$.b', NULL);
----
JSON_SET('{"a": {}}', '$.a.b.c', 1)	JSON_INSERT('[1, 2]', '$[0]', 9)	JSON_REPLACE('[1, 2]', '$[last]', 9)	JSON_SET('{"a": 1}', '$.b', JSON_ARRAY(1, 2))	JSON_SET('{"a": 1}', '$.b', NULL)
{"a": {}}	[1, 2]	[1, 9]	{"a": 1, "b": [1, 2]}	{"a": 1, "b": null}

SELECT JSON_REMOVE('[1, 2, 3]', '$[1]'), JSON_REMOVE('{"a": 1, "b": 2}', '$.a', '$.zz'), JSON_ARRAY_APPEND('{"a": 1}', '$.a', 2), JSON_ARRAY_APPEND('[1, [2]]', '$[1]', 3), JSON_ARRAY_APPEND('[1]', '$', 'x');
----
JSON_REMOVE('[1, 2, 3]', '$[1]')	JSON_REMOVE('{"a": 1, "b": 2}', '$.a', '$.zz')	JSON_ARRAY_APPEND('{"a": 1}', '$.a', 2)	JSON_ARRAY_APPEND('[1, [2]]', '$[1]', 3)	JSON_ARRAY_APPEND('[1]', '$', 'x')
[1, 3]	{"b": 2}	{"a": [1, 2]}	[1, [2, 3]]	[1, "x"]

# mariadb-differs: MySQL 8 raises an error for a bad JSON argument or path; MariaDB's JSON functions return NULL (with a warning)
SELECT JSON_SET('{"a": 1}', '$.*', 2);
----
ERROR 3149 (42000): In this situation, path expressions may not contain the * and ** tokens.

# mariadb-differs: MySQL 8 raises an error for a bad JSON argument or path; MariaDB's JSON functions return NULL (with a warning)
SELECT JSON_REMOVE('{"a": 1}', '$');
----
ERROR 3153 (42000): The path expression '$' is not allowed in this context.

SELECT JSON_MERGE_PATCH('{"a": 1, "b": 2}', '{"b": null, "c": 3}'), JSON_MERGE_PATCH('[1]', '{"a": 1}'), JSON_MERGE_PATCH('{"a": {"x": 1}}', '{"a": {"y": 2}}'), JSON_MERGE_PATCH('{"a": 1}', '5');
----
JSON_MERGE_PATCH('{"a": 1, "b": 2}', '{"b": null, "c": 3}')	JSON_MERGE_PATCH('[1]', '{"a": 1}')	JSON_MERGE_PATCH('{"a": {"x": 1}}', '{"a": {"y": 2}}')	JSON_MERGE_PATCH('{"a": 1}', '5')
{"a": 1, "c": 3}	{"a": 1}	{"a": {"x": 1, "y": 2}}	5

SELECT JSON_MERGE_PRESERVE('{"a": 1}', '{"a": 2}'), JSON_MERGE_PRESERVE('[1]', '[2]', '3'), JSON_MERGE_PRESERVE('{"a": 1}', '[2]'), JSON_MERGE_PRESERVE('1', NULL);
----
JSON_MERGE_PRESERVE('{"a": 1}', '{"a": 2}')	JSON_MERGE_PRESERVE('[1]', '[2]', '3')	JSON_MERGE_PRESERVE('{"a": 1}', '[2]')	JSON_MERGE_PRESERVE('1', NULL)
{"a": [1, 2]}	[1, 2, 3]	[{"a": 1}, 2]	NULL

# mariadb-differs: CAST(... AS JSON) is MySQL 8 only (MariaDB: 1064)
SELECT CAST('{"b":1,"a":2}' AS JSON), CAST(1 AS JSON), CAST('"x"' AS JSON), JSON_EXTRACT('{"a": 1.5}', '$.a') + 1, JSON_EXTRACT('{"a": 1}', '$.a') = 1, JSON_EXTRACT('[1, 2]', '$') = JSON_ARRAY(1, 2);
----
CAST('{"b":1,"a":2}' AS JSON)	CAST(1 AS JSON)	CAST('"x"' AS JSON)	JSON_EXTRACT('{"a": 1.5}', '$.a') + 1	JSON_EXTRACT('{"a": 1}', '$.a') = 1	JSON_EXTRACT('[1, 2]', '$') = JSON_ARRAY(1, 2)
{"a": 2, "b": 1}	1	"x"	2.5	1	1

# mariadb-differs: CAST(... AS JSON) is MySQL 8 only (MariaDB: 1064)
SELECT CAST('{' AS JSON);
----
ERROR 3141 (22032): Invalid JSON text in argument 1 to function cast_as_json: "Missing a name for object member." at position 1.

# mariadb-differs: MySQL 8 compares a JSON value with a SQL value as JSON (strings bytewise, '2' <> 2); MariaDB compares the text under the collation
SELECT JSON_EXTRACT('{"a": "x"}', '$.a') = 'x', JSON_EXTRACT('{"a": "x"}', '$.a') = 'X', JSON_EXTRACT('{"a": 2}', '$.a') < 10, JSON_EXTRACT('{"a": "2"}', '$.a') = 2;
----
JSON_EXTRACT('{"a": "x"}', '$.a') = 'x'	JSON_EXTRACT('{"a": "x"}', '$.a') = 'X'	JSON_EXTRACT('{"a": 2}', '$.a') < 10	JSON_EXTRACT('{"a": "2"}', '$.a') = 2
1	0	1	0

UPDATE t SET j = JSON_SET(j, '$.n', 4) WHERE id = 1;
----
OK 1 info=Rows matched: 1  Changed: 1  Warnings: 0

# mariadb-differs: the -> / ->> operators are MySQL 8 only (MariaDB: 1064)
SELECT j->'$.n', JSON_LENGTH(j) FROM t WHERE id = 1;
----
j->'$.n'	JSON_LENGTH(j)
4	4

# mariadb-differs: MySQL 8 rejects invalid JSON for a JSON column with 3140; MariaDB's JSON is LONGTEXT with a JSON_VALID CHECK (4025)
UPDATE t SET j = 'x' WHERE id = 1;
----
ERROR 3140 (22032): Invalid JSON text: "Invalid value." at position 0 in value for column 'j'.

# mariadb-differs: MySQL 8's JSON type normalizes documents (keys sorted by length then bytes, last duplicate kept, doubles as 1.0); MariaDB keeps the text as given
SELECT JSON_ARRAY(1 = 1, 1 > 2, NULL = 1), JSON_OBJECT('ok', 'a' REGEXP 'a', 'n', 1 = 1, 'x', JSON_OBJECT());
----
JSON_ARRAY(1 = 1, 1 > 2, NULL = 1)	JSON_OBJECT('ok', 'a' REGEXP 'a', 'n', 1 = 1, 'x', JSON_OBJECT())
[true, false, null]	{"n": true, "x": {}, "ok": true}

# 1582 names the function as the client typed it
SELECT JSON_OBJECT('a');
----
ERROR 1582 (42000): Incorrect parameter count in the call to native function 'JSON_OBJECT'

SELECT json_Object('a', 1, 'b');
----
ERROR 1582 (42000): Incorrect parameter count in the call to native function 'json_Object'

SELECT JSON_ARRAY_INSERT('[1, 2, 3]', '$[1]', 'x'), JSON_ARRAY_INSERT('[1, 2]', '$[9]', 'x'), JSON_ARRAY_INSERT('{"a": [1]}', '$.a[0]', 0);
----
JSON_ARRAY_INSERT('[1, 2, 3]', '$[1]', 'x')	JSON_ARRAY_INSERT('[1, 2]', '$[9]', 'x')	JSON_ARRAY_INSERT('{"a": [1]}', '$.a[0]', 0)
[1, "x", 2, 3]	[1, 2, "x"]	{"a": [0, 1]}

# mariadb-differs: MySQL 8 raises an error for a bad JSON argument or path; MariaDB's JSON functions return NULL (with a warning)
SELECT JSON_ARRAY_INSERT('[1]', '$.a', 1);
----
ERROR 3165 (42000): A path expression is not a path to a cell in an array.

SELECT JSON_OVERLAPS('[1, 3]', '[2, 3]'), JSON_OVERLAPS('{"a": 1}', '{"a": 2}'), JSON_OVERLAPS('5', '[5]');
----
JSON_OVERLAPS('[1, 3]', '[2, 3]')	JSON_OVERLAPS('{"a": 1}', '{"a": 2}')	JSON_OVERLAPS('5', '[5]')
1	0	1

SELECT JSON_SEARCH('["abc", {"x": "abd"}, "zz"]', 'all', 'ab%'), JSON_SEARCH('["abc", {"x": "abd"}]', 'one', 'ab%'), JSON_SEARCH('["a"]', 'one', 'q');
----
JSON_SEARCH('["abc", {"x": "abd"}, "zz"]', 'all', 'ab%')	JSON_SEARCH('["abc", {"x": "abd"}]', 'one', 'ab%')	JSON_SEARCH('["a"]', 'one', 'q')
["$[0]", "$[1].x"]	"$[0]"	NULL

# mariadb-differs: JSON_PRETTY: MySQL 8 indents by 2 and keeps [ / { on the key's line; MariaDB indents by 4 and breaks before them
SELECT JSON_PRETTY('{"a": [1, 2], "b": {}}');
----
JSON_PRETTY('{"a": [1, 2], "b": {}}')
{\n  "a": [\n    1,\n    2\n  ],\n  "b": {}\n}

# mariadb-differs: the -> / ->> operators are MySQL 8 only (MariaDB: 1064)
SELECT id FROM t WHERE j->'$[0]' IN (1, 'x') OR j->'$.name' IN ('Ann') ORDER BY id;
----
id
1
2

# mariadb-differs: the -> / ->> operators are MySQL 8 only (MariaDB: 1064)
SELECT id, j->'$.n' FROM t ORDER BY j->'$.n', id;
----
id	j->'$.n'
2	NULL
3	NULL
4	NULL
5	NULL
6	NULL
1	4
