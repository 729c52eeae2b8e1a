# REPLACE (delete the rows holding the primary or a unique key, then insert; affected = deleted + inserted)
# and INSERT IGNORE (duplicate keys become 1062 warnings).  Checked against MariaDB 10.11; MySQL 8 names
# keys `table.key` in 1062 messages.

CREATE TABLE t1 (x INT PRIMARY KEY, y VARCHAR(16));
----
OK 0

INSERT INTO t1 VALUES (1, 'true'), (0, 'false');
----
OK 2 info=Records: 2  Duplicates: 0  Warnings: 0

REPLACE INTO t1 VALUES (2, 'replace');
----
OK 1

REPLACE INTO t1 VALUES (2, 'replace again');
----
OK 2

REPLACE INTO t1 VALUES (2, 'replace again');
----
OK 1

REPLACE t1 (x, y) VALUES (3, 'a'), (3, 'b'), (4, 'c');
----
OK 4 info=Records: 3  Duplicates: 1  Warnings: 0

SELECT x, y FROM t1 ORDER BY x;
----
x	y
0	false
1	true
2	replace again
3	b
4	c

CREATE TABLE t2 (id INT PRIMARY KEY AUTO_INCREMENT, u INT, v INT, w VARCHAR(4), UNIQUE KEY uu (u), UNIQUE KEY uv (v));
----
OK 0

INSERT INTO t2 (u, v, w) VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'c');
----
OK 3 last_insert_id=1 info=Records: 3  Duplicates: 0  Warnings: 0

REPLACE INTO t2 (u, v, w) VALUES (1, 2, 'x');
----
OK 3 last_insert_id=4

SELECT id, u, v, w FROM t2 ORDER BY id;
----
id	u	v	w
3	3	3	c
4	1	2	x

REPLACE INTO t2 VALUES (3, NULL, NULL, 'y');
----
OK 2 last_insert_id=3

SELECT id, u, v, w FROM t2 ORDER BY id;
----
id	u	v	w
3	NULL	NULL	y
4	1	2	x

INSERT IGNORE INTO t2 VALUES (3, 7, 7, 'z'), (5, 8, 8, 'q');
----
OK 1 last_insert_id=5 warnings=1 info=Records: 2  Duplicates: 1  Warnings: 1

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
SHOW WARNINGS;
----
Level	Code	Message
Warning	1062	Duplicate entry '3' for key 't2.PRIMARY'

INSERT IGNORE INTO t2 (u, v, w) VALUES (8, 9, 'dup');
----
OK 0 warnings=1

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
SHOW WARNINGS;
----
Level	Code	Message
Warning	1062	Duplicate entry '8' for key 't2.uu'

SELECT id, u, v, w FROM t2 ORDER BY id;
----
id	u	v	w
3	NULL	NULL	y
4	1	2	x
5	8	8	q

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
INSERT INTO t2 VALUES (5, 1, 1, 'e');
----
ERROR 1062 (23000): Duplicate entry '5' for key 't2.PRIMARY'

REPLACE INTO nope VALUES (1);
----
ERROR 1146 (42S02): Table 'db.nope' doesn't exist

REPLACE INTO t2 VALUES (1);
----
ERROR 1136 (21S01): Column count doesn't match value count at row 1
