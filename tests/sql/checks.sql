# CHECK constraints (MySQL 8.0.16+): declared inline or as table constraints, added and dropped by
# ALTER TABLE, enforced on INSERT and UPDATE (3819); NULL satisfies a CHECK; INSERT IGNORE skips the row.
#
# Documented MySQL 8 / MariaDB differences (expectations are MySQL 8's):
# - A violation is 3819 "Check constraint 'x' is violated." in MySQL 8; MariaDB says
#   4025 "CONSTRAINT `x` failed for `db`.`t`".
# - Unnamed checks are <table>_chk_<n> in MySQL 8 (MariaDB: CONSTRAINT_1, or the column name inline).
# - SHOW CREATE TABLE prints MySQL 8's CONSTRAINT `x` CHECK ((expr)) form.
# - MySQL 8 refuses to drop or rename a column a CHECK uses (3959); MariaDB drops the constraint.

CREATE TABLE c1 (id INT PRIMARY KEY, a INT CHECK (a > 0), b INT, CONSTRAINT b_small CHECK (b < 100), CHECK (a < b));
----
OK 0

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 names unnamed checks <table>_chk_<n> and prints CONSTRAINT `x` CHECK ((expr)); MariaDB CONSTRAINT_<n> or an inline column check, int(11)
SHOW CREATE TABLE c1;
----
Table	Create Table
c1	CREATE TABLE `c1` (\n  `id` int NOT NULL,\n  `a` int DEFAULT NULL,\n  `b` int DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  CONSTRAINT `b_small` CHECK ((`b` < 100)),\n  CONSTRAINT `c1_chk_1` CHECK ((`a` > 0)),\n  CONSTRAINT `c1_chk_2` CHECK ((`a` < `b`))\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

INSERT INTO c1 VALUES (1, 5, 10);
----
OK 1

# mariadb-differs: a CHECK violation is 3819 "Check constraint 'x' is violated." in MySQL 8; MariaDB 4025 "CONSTRAINT `x` failed for `db`.`t`"
INSERT INTO c1 VALUES (2, -1, 10);
----
ERROR 3819 (HY000): Check constraint 'c1_chk_1' is violated.

# mariadb-differs: a CHECK violation is 3819 "Check constraint 'x' is violated." in MySQL 8; MariaDB 4025 "CONSTRAINT `x` failed for `db`.`t`"
INSERT INTO c1 VALUES (3, 5, 200);
----
ERROR 3819 (HY000): Check constraint 'b_small' is violated.

INSERT INTO c1 VALUES (4, NULL, NULL);
----
OK 1

# mariadb-differs: a CHECK violation is 3819 "Check constraint 'x' is violated." in MySQL 8; MariaDB 4025 "CONSTRAINT `x` failed for `db`.`t`"
INSERT INTO c1 VALUES (5, 50, 10);
----
ERROR 3819 (HY000): Check constraint 'c1_chk_2' is violated.

# mariadb-differs: a CHECK violation is 3819 "Check constraint 'x' is violated." in MySQL 8; MariaDB 4025 "CONSTRAINT `x` failed for `db`.`t`"
INSERT INTO c1 VALUES (6, 1, 2), (7, 0, 2);
----
ERROR 3819 (HY000): Check constraint 'c1_chk_1' is violated.

SELECT * FROM c1 ORDER BY id;
----
id	a	b
1	5	10
4	NULL	NULL

# mariadb-differs: a CHECK violation is 3819 "Check constraint 'x' is violated." in MySQL 8; MariaDB 4025 "CONSTRAINT `x` failed for `db`.`t`"
UPDATE c1 SET b = 1000 WHERE id = 1;
----
ERROR 3819 (HY000): Check constraint 'b_small' is violated.

UPDATE c1 SET b = 99 WHERE id = 1;
----
OK 1 info=Rows matched: 1  Changed: 1  Warnings: 0

INSERT IGNORE INTO c1 VALUES (8, -5, 10), (9, 1, 3);
----
OK 1 warnings=1 info=Records: 1  Duplicates: 0  Warnings: 1

# mariadb-differs: a CHECK violation is 3819 "Check constraint 'x' is violated." in MySQL 8; MariaDB 4025 "CONSTRAINT `x` failed for `db`.`t`"
SHOW WARNINGS;
----
Level	Code	Message
Warning	3819	Check constraint 'c1_chk_1' is violated.

SELECT * FROM c1 ORDER BY id;
----
id	a	b
1	5	99
4	NULL	NULL
9	1	3

ALTER TABLE c1 ADD CHECK (id < 10);
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

# mariadb-differs: a CHECK violation is 3819 "Check constraint 'x' is violated." in MySQL 8; MariaDB 4025 "CONSTRAINT `x` failed for `db`.`t`"
ALTER TABLE c1 ADD CONSTRAINT big CHECK (id > 3);
----
ERROR 3819 (HY000): Check constraint 'big' is violated.

# mariadb-differs: duplicate check name: MySQL 8 3822 "Duplicate check constraint name 'x'."; MariaDB 1826
ALTER TABLE c1 ADD CONSTRAINT b_small CHECK (id > 0);
----
ERROR 3822 (HY000): Duplicate check constraint name 'b_small'.

# mariadb-differs: unknown column in a CHECK: MySQL 8 3820 "Check constraint 'x' refers to non-existing column 'c'."; MariaDB 1054
ALTER TABLE c1 ADD CONSTRAINT bad CHECK (nope > 0);
----
ERROR 3820 (HY000): Check constraint 'bad' refers to non-existing column 'nope'.

# mariadb-differs: a CHECK violation is 3819 "Check constraint 'x' is violated." in MySQL 8; MariaDB 4025 "CONSTRAINT `x` failed for `db`.`t`" (MariaDB also names the check CONSTRAINT_2)
INSERT INTO c1 VALUES (11, 1, 2);
----
ERROR 3819 (HY000): Check constraint 'c1_chk_3' is violated.

# mariadb-differs: ALTER TABLE ... DROP CHECK is MySQL 8 syntax (MariaDB: DROP CONSTRAINT only; 1064)
ALTER TABLE c1 DROP CHECK c1_chk_3;
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

# mariadb-differs: ALTER TABLE ... DROP CHECK is MySQL 8 syntax (MariaDB: DROP CONSTRAINT only; 1064)
ALTER TABLE c1 DROP CHECK nope;
----
ERROR 3821 (HY000): Check constraint 'nope' is not found in the table.

# mariadb-differs: dropping an unknown constraint: MySQL 8 3940 "Constraint 'x' does not exist."; MariaDB 1091
ALTER TABLE c1 DROP CONSTRAINT nope;
----
ERROR 3940 (HY000): Constraint 'nope' does not exist.

# mariadb-differs: follows from an earlier MySQL 8 / MariaDB difference in this file (MariaDB's CHECK names, DROP CHECK syntax, column drop/rename rules)
SHOW CREATE TABLE c1;
----
Table	Create Table
c1	CREATE TABLE `c1` (\n  `id` int NOT NULL,\n  `a` int DEFAULT NULL,\n  `b` int DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  CONSTRAINT `b_small` CHECK ((`b` < 100)),\n  CONSTRAINT `c1_chk_1` CHECK ((`a` > 0)),\n  CONSTRAINT `c1_chk_2` CHECK ((`a` < `b`))\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

# mariadb-differs: follows from an earlier MySQL 8 / MariaDB difference in this file (MariaDB's CHECK names, DROP CHECK syntax, column drop/rename rules)
INSERT INTO c1 VALUES (11, 1, 2);
----
OK 1

# mariadb-differs: MySQL 8 refuses to drop a column a CHECK uses (3959); MariaDB answers 1054 Unknown column 'b' in 'CHECK'
ALTER TABLE c1 DROP COLUMN b;
----
ERROR 3959 (HY000): Check constraint 'b_small' uses column 'b', hence column cannot be dropped or renamed.

# mariadb-differs: MySQL 8 refuses to rename a column a CHECK uses (3959); MariaDB renames it and rewrites the check
ALTER TABLE c1 RENAME COLUMN a TO aa;
----
ERROR 3959 (HY000): Check constraint 'c1_chk_1' uses column 'a', hence column cannot be dropped or renamed.

# mariadb-differs: ALTER TABLE ... DROP CHECK is MySQL 8 syntax (MariaDB: DROP CONSTRAINT only; 1064)
ALTER TABLE c1 DROP CONSTRAINT b_small, DROP CHECK c1_chk_2;
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

# mariadb-differs: follows from an earlier MySQL 8 / MariaDB difference in this file (MariaDB's CHECK names, DROP CHECK syntax, column drop/rename rules)
ALTER TABLE c1 DROP COLUMN b;
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

# mariadb-differs: MySQL 8 adds a column carrying a CHECK only with ALGORITHM=COPY and reports the rows copied (bugs.mysql.com/117450); MariaDB adds it instantly (Records: 0)
ALTER TABLE c1 ADD COLUMN s VARCHAR(10) NOT NULL DEFAULT 'ok' CHECK (s <> 'bad');
----
OK 4 info=Records: 4  Duplicates: 0  Warnings: 0

# mariadb-differs: follows from an earlier MySQL 8 / MariaDB difference in this file (MariaDB's CHECK names, DROP CHECK syntax, column drop/rename rules)
INSERT INTO c1 (id, a, s) VALUES (20, 1, 'bad');
----
ERROR 3819 (HY000): Check constraint 'c1_chk_2' is violated.

# mariadb-differs: follows from an earlier MySQL 8 / MariaDB difference in this file (MariaDB's CHECK names, DROP CHECK syntax, column drop/rename rules)
INSERT INTO c1 (id, a) VALUES (21, 1);
----
OK 1

# mariadb-differs: follows from an earlier MySQL 8 / MariaDB difference in this file (MariaDB's CHECK names, DROP CHECK syntax, column drop/rename rules)
SELECT * FROM c1 ORDER BY id;
----
id	a	s
1	5	ok
4	NULL	ok
9	1	ok
11	1	ok
21	1	ok

CREATE TABLE c2 LIKE c1;
----
OK 0

# mariadb-differs: follows from an earlier MySQL 8 / MariaDB difference in this file (MariaDB's CHECK names, DROP CHECK syntax, column drop/rename rules)
SHOW CREATE TABLE c2;
----
Table	Create Table
c2	CREATE TABLE `c2` (\n  `id` int NOT NULL,\n  `a` int DEFAULT NULL,\n  `s` varchar(10) NOT NULL DEFAULT 'ok',\n  PRIMARY KEY (`id`),\n  CONSTRAINT `c2_chk_1` CHECK ((`a` > 0)),\n  CONSTRAINT `c2_chk_2` CHECK ((`s` <> 'bad'))\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

# mariadb-differs: follows from an earlier MySQL 8 / MariaDB difference in this file (MariaDB's CHECK names, DROP CHECK syntax, column drop/rename rules)
INSERT INTO c2 VALUES (1, 0, 'x');
----
ERROR 3819 (HY000): Check constraint 'c2_chk_1' is violated.

CREATE TABLE c3 (id INT PRIMARY KEY, lo INT, hi INT, CONSTRAINT ordered CHECK (lo <= hi AND hi - lo < 10));
----
OK 0

# mariadb-differs: a CHECK violation is 3819 "Check constraint 'x' is violated." in MySQL 8; MariaDB 4025 "CONSTRAINT `x` failed for `db`.`t`"
INSERT INTO c3 VALUES (1, 1, 5), (2, 5, 1);
----
ERROR 3819 (HY000): Check constraint 'ordered' is violated.

# mariadb-differs: a CHECK violation is 3819 "Check constraint 'x' is violated." in MySQL 8; MariaDB 4025 "CONSTRAINT `x` failed for `db`.`t`"
INSERT INTO c3 VALUES (3, 1, 50);
----
ERROR 3819 (HY000): Check constraint 'ordered' is violated.

INSERT INTO c3 VALUES (4, 1, 5);
----
OK 1

UPDATE c3 SET hi = hi + 1;
----
OK 1 info=Rows matched: 1  Changed: 1  Warnings: 0

# mariadb-differs: a CHECK violation is 3819 "Check constraint 'x' is violated." in MySQL 8; MariaDB 4025 "CONSTRAINT `x` failed for `db`.`t`"
UPDATE c3 SET lo = lo + 10;
----
ERROR 3819 (HY000): Check constraint 'ordered' is violated.

SELECT * FROM c3 ORDER BY id;
----
id	lo	hi
4	1	6
