# INSERT ... ON DUPLICATE KEY UPDATE (VALUES() and the 8.0.19 row alias), and INSERT IGNORE turning
# NOT NULL, missing-default, truncation and range errors into warnings.
#
# Affected rows per row: 1 inserted, 2 updated, 0 when the update changes nothing.  Auto-increment
# values a row that ends as an update consumes are engine-specific (InnoDB lock modes), so ids
# generated after such rows are not shown.
# Documented MySQL 8 / MariaDB differences (expectations are MySQL 8's):
# - The row alias (VALUES (...) AS new [(cols)] ... UPDATE c = new.c) is MySQL 8.0.19+ only.
# - VALUES(col) in ON DUPLICATE KEY UPDATE is deprecated in MySQL 8.0.20+ (a warning 1287 there;
#   Grove does not warn yet); MariaDB accepts it silently.
# - INSERT IGNORE over the NOT NULL column: MySQL 8 and MariaDB both store the implicit default (0, '').

CREATE TABLE u (id INT PRIMARY KEY AUTO_INCREMENT, k VARCHAR(10) UNIQUE, n INT NOT NULL DEFAULT 0, note VARCHAR(20));
----
OK 0

INSERT INTO u (k, n) VALUES ('a', 1) ON DUPLICATE KEY UPDATE n = n + 1;
----
OK 1 last_insert_id=1

INSERT INTO u (k, n) VALUES ('a', 1) ON DUPLICATE KEY UPDATE n = n + 1;
----
OK 2

SELECT k, n, note FROM u;
----
k	n	note
a	2	NULL

INSERT INTO u (k, n) VALUES ('a', 5) ON DUPLICATE KEY UPDATE n = VALUES(n);
----
OK 2

INSERT INTO u (k, n) VALUES ('a', 5) ON DUPLICATE KEY UPDATE n = VALUES(n);
----
OK 0

INSERT INTO u (k, n) VALUES ('A', 7), ('b', 1), ('a', 8) ON DUPLICATE KEY UPDATE n = n + VALUES(n);
----
OK 5 last_insert_id=6

SELECT k, n, note FROM u ORDER BY k;
----
k	n	note
a	20	NULL
b	1	NULL

# mariadb-differs: the INSERT row alias (VALUES (...) AS new [(cols)]) is MySQL 8.0.19+ only (MariaDB: 1064)
INSERT INTO u (k, n) VALUES ('b', 10) AS new ON DUPLICATE KEY UPDATE n = new.n * 2, note = 'dup';
----
OK 2

# mariadb-differs: the INSERT row alias (VALUES (...) AS new [(cols)]) is MySQL 8.0.19+ only (MariaDB: 1064)
INSERT INTO u (k, n) VALUES ('b', 3) AS new(kk, nn) ON DUPLICATE KEY UPDATE n = n + nn, note = CONCAT(note, '+', kk);
----
OK 2

# mariadb-differs: the INSERT row alias (VALUES (...) AS new [(cols)]) is MySQL 8.0.19+ only (MariaDB: 1064)
INSERT INTO u (k, n) VALUES ('b', 3) AS new(kk) ON DUPLICATE KEY UPDATE n = 0;
----
ERROR 1136 (21S01): Column count doesn't match value count at row 1

# mariadb-differs: follows from the row-alias upserts above, which MariaDB refuses (1064)
SELECT k, n, note FROM u ORDER BY k;
----
k	n	note
a	20	NULL
b	23	dup+b

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
INSERT INTO u (id, k, n) VALUES (1, 'zz', 0) ON DUPLICATE KEY UPDATE k = 'b';
----
ERROR 1062 (23000): Duplicate entry 'b' for key 'u.k'

INSERT INTO u (id, k, n) VALUES (1, 'zz', 0) ON DUPLICATE KEY UPDATE n = NULL;
----
ERROR 1048 (23000): Column 'n' cannot be null

# mariadb-differs: MySQL 8 names the clause in 1054/1052 as 'field list' / 'where clause' / 'on clause' / 'order clause'; MariaDB 10.11.8+ says SELECT / WHERE / ON / ORDER BY / INSERT INTO / UPDATE
INSERT INTO u (id, k, n) VALUES (1, 'zz', 0) ON DUPLICATE KEY UPDATE nope = 1;
----
ERROR 1054 (42S22): Unknown column 'nope' in 'field list'

# mariadb-differs: MySQL 8 names the clause in 1054/1052 as 'field list' / 'where clause' / 'on clause' / 'order clause'; MariaDB 10.11.8+ says SELECT / WHERE / ON / ORDER BY / INSERT INTO / UPDATE
INSERT INTO u (id, k, n) VALUES (1, 'zz', 0) ON DUPLICATE KEY UPDATE n = VALUES(nope);
----
ERROR 1054 (42S22): Unknown column 'nope' in 'field list'

INSERT INTO u (id, k, n) VALUES (1, 'zz', 0) ON DUPLICATE KEY UPDATE k = VALUES(k), n = n * 10;
----
OK 2

# mariadb-differs: follows from the row-alias upserts above, which MariaDB refuses (1064)
SELECT k, n, note FROM u ORDER BY k;
----
k	n	note
b	23	dup+b
zz	200	NULL

INSERT INTO u (k, n) SELECT k, 100 FROM u ON DUPLICATE KEY UPDATE n = VALUES(n) + 1;
----
OK 4 info=Records: 2  Duplicates: 2  Warnings: 0

# mariadb-differs: follows from the row-alias upserts above, which MariaDB refuses (1064)
SELECT k, n, note FROM u ORDER BY k;
----
k	n	note
b	101	dup+b
zz	101	NULL

CREATE TABLE v (id INT PRIMARY KEY AUTO_INCREMENT, k INT UNIQUE, n INT);
----
OK 0

INSERT INTO v (k, n) VALUES (1, 1) ON DUPLICATE KEY UPDATE n = 0;
----
OK 1 last_insert_id=1

SELECT LAST_INSERT_ID();
----
LAST_INSERT_ID()
1

INSERT INTO v (k, n) VALUES (1, 1) ON DUPLICATE KEY UPDATE n = 0;
----
OK 2

SELECT LAST_INSERT_ID();
----
LAST_INSERT_ID()
1

SELECT k, n FROM v;
----
k	n
1	0

CREATE TABLE nn (id INT PRIMARY KEY, a INT NOT NULL, s VARCHAR(3), t TINYINT UNSIGNED);
----
OK 0

INSERT INTO nn VALUES (1, NULL, 'abcdef', 1);
----
ERROR 1048 (23000): Column 'a' cannot be null

INSERT IGNORE INTO nn VALUES (1, NULL, 'abcdef', 1);
----
OK 1 warnings=2

SHOW WARNINGS;
----
Level	Code	Message
Warning	1048	Column 'a' cannot be null
Warning	1265	Data truncated for column 's' at row 1

INSERT IGNORE INTO nn (id, s) VALUES (2, 'x');
----
OK 1 warnings=1

SHOW WARNINGS;
----
Level	Code	Message
Warning	1364	Field 'a' doesn't have a default value

INSERT IGNORE INTO nn VALUES (3, 999999999999, 'x', -5), (4, -99999999999, 'y', 300);
----
OK 2 warnings=4

SHOW WARNINGS;
----
Level	Code	Message
Warning	1264	Out of range value for column 'a' at row 1
Warning	1264	Out of range value for column 't' at row 1
Warning	1264	Out of range value for column 'a' at row 2
Warning	1264	Out of range value for column 't' at row 2

INSERT IGNORE INTO nn VALUES (1, 5, 'dup', 0);
----
OK 0 warnings=1

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
SHOW WARNINGS;
----
Level	Code	Message
Warning	1062	Duplicate entry '1' for key 'nn.PRIMARY'

SELECT * FROM nn ORDER BY id;
----
id	a	s	t
1	0	abc	1
2	0	x	NULL
3	2147483647	x	0
4	-2147483648	y	255
