# CREATE [OR REPLACE] VIEW, DROP VIEW, reading through views (merged into the outer query), SHOW TABLES.
# Checked against MariaDB 10.11; MySQL 8's codes where they differ: DROP TABLE on a view and DROP VIEW of
# an unknown name are 1051, DROP VIEW on a table 1347 "'db.t' is not VIEW", 1054 says 'field list', and
# DROP VIEW of a list with an unknown name drops nothing (atomic DDL).
# Not yet: INSERT/UPDATE/DELETE through a view (1235), views needing a derived table (aggregates, DISTINCT,
# joins in the body) until the planner plans derived tables.

CREATE TABLE t1 (x INT, y VARCHAR(8));
----
OK 0

INSERT INTO t1 VALUES (1, 'true'), (0, 'false'), (NULL, 'NULL'), (2, 'two');
----
OK 4 info=Records: 4  Duplicates: 0  Warnings: 0

CREATE VIEW view1 AS SELECT x FROM t1 WHERE x > 0;
----
OK 0

CREATE VIEW view1 AS SELECT x FROM t1 WHERE x > 0;
----
ERROR 1050 (42S01): Table 'view1' already exists

SELECT x FROM view1 ORDER BY x;
----
x
1
2

SELECT * FROM view1 WHERE x < 2;
----
x
1

SELECT view1.x FROM view1 WHERE view1.x = 2;
----
x
2

SELECT COUNT(*), SUM(x) FROM view1;
----
COUNT(*)	SUM(x)
2	3

# mariadb-differs: MySQL 8 names the clause in 1054/1052 as 'field list' / 'where clause' / 'on clause' / 'order clause'; MariaDB 10.11.8+ says SELECT / WHERE / ON / ORDER BY / INSERT INTO / UPDATE
SELECT y FROM view1;
----
ERROR 1054 (42S22): Unknown column 'y' in 'field list'

INSERT INTO t1 VALUES (3, 'three');
----
OK 1

SELECT x FROM view1 ORDER BY x DESC LIMIT 1;
----
x
3

CREATE VIEW v2 (a, b) AS SELECT x + 1, UPPER(y) FROM t1;
----
OK 0

SELECT * FROM v2 ORDER BY a;
----
a	b
NULL	NULL
1	FALSE
2	TRUE
3	TWO
4	THREE

SELECT a * 10 AS z, b FROM v2 WHERE a > 1 ORDER BY z DESC;
----
z	b
40	THREE
30	TWO
20	TRUE

SELECT w.a FROM v2 AS w WHERE w.b = 'TRUE';
----
a
2

CREATE VIEW v3 AS SELECT x+1, 'lit', y AS yy FROM t1 WHERE x IS NOT NULL;
----
OK 0

SELECT * FROM v3 ORDER BY yy;
----
x+1	lit	yy
1	lit	false
4	lit	three
2	lit	true
3	lit	two

CREATE VIEW v4 AS SELECT * FROM t1;
----
OK 0

SELECT * FROM v4 WHERE v4.x = 1;
----
x	y
1	true

CREATE VIEW v5 AS SELECT a FROM v2 WHERE b = 'TRUE';
----
OK 0

SELECT * FROM v5;
----
a
2

CREATE OR REPLACE VIEW v5 AS SELECT b FROM v2 WHERE a = 3;
----
OK 0

SELECT * FROM v5;
----
b
TWO

SHOW TABLES;
----
Tables_in_db
t1
v2
v3
v4
v5
view1

SHOW FULL TABLES;
----
Tables_in_db	Table_type
t1	BASE TABLE
v2	VIEW
v3	VIEW
v4	VIEW
v5	VIEW
view1	VIEW

# mariadb-differs: 1353 reads "In definition of view, derived table or common table expression, SELECT list and column names list have different column counts" in MySQL 8; MariaDB "View's SELECT and view's field list have different column counts"
CREATE VIEW v7 (a) AS SELECT x, y FROM t1;
----
ERROR 1353 (HY000): In definition of view, derived table or common table expression, SELECT list and column names list have different column counts

CREATE VIEW v7 AS SELECT x, x FROM t1;
----
ERROR 1060 (42S21): Duplicate column name 'x'

# mariadb-differs: MySQL 8 names the clause in 1054/1052 as 'field list' / 'where clause' / 'on clause' / 'order clause'; MariaDB 10.11.8+ says SELECT / WHERE / ON / ORDER BY / INSERT INTO / UPDATE
CREATE VIEW v7 AS SELECT nope FROM t1;
----
ERROR 1054 (42S22): Unknown column 'nope' in 'field list'

CREATE VIEW v7 AS SELECT x FROM nope;
----
ERROR 1146 (42S02): Table 'db.nope' doesn't exist

CREATE VIEW t1 AS SELECT 1;
----
ERROR 1050 (42S01): Table 't1' already exists

# mariadb-differs: 1347 reads "'db.t1' is not VIEW" in MySQL 8; MariaDB "'db.t1' is not of type 'VIEW'"
CREATE OR REPLACE VIEW t1 AS SELECT 1;
----
ERROR 1347 (HY000): 'db.t1' is not VIEW

CREATE TABLE view1 (a INT);
----
ERROR 1050 (42S01): Table 'view1' already exists

# mariadb-differs: MySQL 8: DROP TABLE on a view / DROP VIEW of an unknown name is 1051 'Unknown table'; MariaDB 1965 / 4092 'Unknown VIEW'
DROP TABLE view1;
----
ERROR 1051 (42S02): Unknown table 'db.view1'

# mariadb-differs: DROP VIEW on a table: MySQL 8 1347 "'db.t1' is not VIEW"; MariaDB 4092 'Unknown VIEW'
DROP VIEW t1;
----
ERROR 1347 (HY000): 'db.t1' is not VIEW

DROP VIEW view1;
----
OK 0

# mariadb-differs: MySQL 8: DROP TABLE on a view / DROP VIEW of an unknown name is 1051 'Unknown table'; MariaDB 1965 / 4092 'Unknown VIEW'
DROP VIEW view1;
----
ERROR 1051 (42S02): Unknown table 'db.view1'

DROP VIEW IF EXISTS view1, v4;
----
OK 0 warnings=1

# mariadb-differs: MySQL 8: DROP TABLE on a view / DROP VIEW of an unknown name is 1051 'Unknown table'; MariaDB 1965 / 4092 'Unknown VIEW'
SHOW WARNINGS;
----
Level	Code	Message
Note	1051	Unknown table 'db.view1'

# mariadb-differs: MySQL 8: DROP TABLE on a view / DROP VIEW of an unknown name is 1051 'Unknown table'; MariaDB 1965 / 4092 'Unknown VIEW'
DROP VIEW nope1, v3;
----
ERROR 1051 (42S02): Unknown table 'db.nope1'

# mariadb-differs: follows from DROP VIEW nope1, v3: atomic in MySQL 8 (drops nothing), MariaDB drops v3
SELECT * FROM v3;
----
x+1	lit	yy
2	lit	true
1	lit	false
3	lit	two
4	lit	three

# mariadb-differs: follows from DROP VIEW nope1, v3: atomic in MySQL 8 (drops nothing), MariaDB drops v3
SHOW TABLES;
----
Tables_in_db
t1
v2
v3
v5
