# ALTER TABLE (columns, keys, rename), RENAME TABLE, CREATE TABLE ... LIKE / ... SELECT.
#
# Documented MySQL 8 / MariaDB differences (expectations are MySQL 8's):
# - SHOW CREATE TABLE text: MySQL 8 prints `int` (no display width), quoted numeric defaults ('7'),
#   and the table's COLLATE=utf8mb4_0900_ai_ci; MariaDB prints int(11) and its own collation.
# - ALTER TABLE ... ALTER COLUMN c DROP DEFAULT on a nullable column: MySQL then shows no DEFAULT
#   clause and refuses an INSERT without the column (1364); Grove keeps DEFAULT NULL (not covered here).
# - The OK info line of ALTER TABLE is "Records: 0  Duplicates: 0  Warnings: 0" for INSTANT / INPLACE
#   changes in MySQL 8 (adding, dropping, renaming or moving columns, NULL / NOT NULL, defaults,
#   indexes, ADD PRIMARY KEY); one that needs ALGORITHM=COPY there (a column type change, DROP PRIMARY KEY
#   without a new one, ADD CHECK, ADD FOREIGN KEY with foreign_key_checks on) reports the rows copied.
#   A plain RENAME TO answers a bare OK with no info line.
# - MODIFY to NOT NULL over existing NULLs: MySQL 8 refuses with 1138 "Invalid use of NULL value";
#   MariaDB says 1265 "Data truncated". Duplicate-key messages name the key `t.uc` in MySQL 8, `uc` in
#   MariaDB; 1091 reads "Can't DROP 'x'; check that column/key exists" in MySQL 8.

CREATE TABLE t (id INT PRIMARY KEY, a INT, b VARCHAR(10), KEY kb (b));
----
OK 0

INSERT INTO t VALUES (1, 10, 'x'), (2, 20, 'y');
----
OK 2 info=Records: 2  Duplicates: 0  Warnings: 0

ALTER TABLE t ADD COLUMN c INT NOT NULL DEFAULT 7 AFTER id;
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

SELECT * FROM t;
----
id	c	a	b
1	7	10	x
2	7	20	y

ALTER TABLE t ADD d VARCHAR(5);
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

SELECT * FROM t;
----
id	c	a	b	d
1	7	10	x	NULL
2	7	20	y	NULL

ALTER TABLE t ADD COLUMN first_col INT FIRST;
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

SELECT * FROM t;
----
first_col	id	c	a	b	d
NULL	1	7	10	x	NULL
NULL	2	7	20	y	NULL

ALTER TABLE t ADD COLUMN c INT;
----
ERROR 1060 (42S21): Duplicate column name 'c'

ALTER TABLE t ADD COLUMN z INT AFTER nope;
----
ERROR 1054 (42S22): Unknown column 'nope' in 't'

ALTER TABLE t DROP COLUMN a;
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

# mariadb-differs: 1091 reads "Can't DROP 'x'; check that column/key exists" in MySQL 8; MariaDB names the kind ("Can't DROP INDEX `x`; check that it exists")
ALTER TABLE t DROP COLUMN a;
----
ERROR 1091 (42000): Can't DROP 'a'; check that column/key exists

ALTER TABLE t DROP first_col;
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE t;
----
Table	Create Table
t	CREATE TABLE `t` (\n  `id` int NOT NULL,\n  `c` int NOT NULL DEFAULT '7',\n  `b` varchar(10) DEFAULT NULL,\n  `d` varchar(5) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `kb` (`b`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

SELECT * FROM t WHERE b = 'y';
----
id	c	b	d
2	7	y	NULL

ALTER TABLE t MODIFY c BIGINT FIRST;
----
OK 2 info=Records: 2  Duplicates: 0  Warnings: 0

ALTER TABLE t CHANGE b bb VARCHAR(20) NOT NULL;
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

ALTER TABLE t CHANGE nope x INT;
----
ERROR 1054 (42S22): Unknown column 'nope' in 't'

ALTER TABLE t RENAME COLUMN d TO dd, ALTER COLUMN c SET DEFAULT 9;
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE t;
----
Table	Create Table
t	CREATE TABLE `t` (\n  `c` bigint DEFAULT '9',\n  `id` int NOT NULL,\n  `bb` varchar(20) NOT NULL,\n  `dd` varchar(5) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `kb` (`bb`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

# mariadb-differs: DESCRIBE: MySQL 8 prints integer types without display width (int, bigint); MariaDB int(11), bigint(20)
DESCRIBE t;
----
Field	Type	Null	Key	Default	Extra
c	bigint	YES		9	
id	int	NO	PRI	NULL	
bb	varchar(20)	NO	MUL	NULL	
dd	varchar(5)	YES		NULL	

SELECT * FROM t WHERE bb = 'x';
----
c	id	bb	dd
7	1	x	NULL

INSERT INTO t (id, bb) VALUES (3, 'z');
----
OK 1

SELECT * FROM t ORDER BY id;
----
c	id	bb	dd
7	1	x	NULL
7	2	y	NULL
9	3	z	NULL

ALTER TABLE t MODIFY bb CHAR(1);
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

# mariadb-differs: MODIFY to NOT NULL over existing NULLs: MySQL 8 1138 "Invalid use of NULL value"; MariaDB 1265 "Data truncated"
ALTER TABLE t MODIFY dd INT NOT NULL;
----
ERROR 1138 (22004): Invalid use of NULL value

ALTER TABLE t MODIFY c INT UNSIGNED;
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

SELECT * FROM t ORDER BY id;
----
c	id	bb	dd
7	1	x	NULL
7	2	y	NULL
9	3	z	NULL

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
ALTER TABLE t ADD UNIQUE KEY uc (c);
----
ERROR 1062 (23000): Duplicate entry '7' for key 't.uc'

ALTER TABLE t DROP INDEX kb, ADD INDEX kbb (bb, c);
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE t;
----
Table	Create Table
t	CREATE TABLE `t` (\n  `c` int unsigned DEFAULT NULL,\n  `id` int NOT NULL,\n  `bb` char(1) DEFAULT NULL,\n  `dd` varchar(5) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `kbb` (`bb`,`c`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

SELECT id FROM t WHERE bb = 'z';
----
id
3

ALTER TABLE t DROP COLUMN id, DROP COLUMN c, DROP COLUMN bb, DROP COLUMN dd;
----
ERROR 1090 (42000): You can't delete all columns with ALTER TABLE; use DROP TABLE instead

ALTER TABLE t RENAME TO u;
----
OK 0

SELECT * FROM t;
----
ERROR 1146 (42S02): Table 'db.t' doesn't exist

SELECT * FROM u ORDER BY id;
----
c	id	bb	dd
7	1	x	NULL
7	2	y	NULL
9	3	z	NULL

RENAME TABLE u TO v, v TO w;
----
OK 0

SELECT * FROM w ORDER BY id;
----
c	id	bb	dd
7	1	x	NULL
7	2	y	NULL
9	3	z	NULL

RENAME TABLE nope TO x;
----
ERROR 1146 (42S02): Table 'db.nope' doesn't exist

CREATE TABLE other (i INT);
----
OK 0

RENAME TABLE w TO other;
----
ERROR 1050 (42S01): Table 'other' already exists

ALTER TABLE w DROP PRIMARY KEY;
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE w;
----
Table	Create Table
w	CREATE TABLE `w` (\n  `c` int unsigned DEFAULT NULL,\n  `id` int NOT NULL,\n  `bb` char(1) DEFAULT NULL,\n  `dd` varchar(5) DEFAULT NULL,\n  KEY `kbb` (`bb`,`c`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

INSERT INTO w (id, bb) VALUES (1, 'q');
----
OK 1

SELECT * FROM w ORDER BY id, bb;
----
c	id	bb	dd
NULL	1	q	NULL
7	1	x	NULL
7	2	y	NULL
9	3	z	NULL

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
ALTER TABLE w ADD PRIMARY KEY (id);
----
ERROR 1062 (23000): Duplicate entry '1' for key 'w.PRIMARY'

DELETE FROM w WHERE bb = 'q';
----
OK 1

ALTER TABLE w ADD PRIMARY KEY (id);
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

ALTER TABLE w ADD PRIMARY KEY (c);
----
ERROR 1068 (42000): Multiple primary key defined

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE w;
----
Table	Create Table
w	CREATE TABLE `w` (\n  `c` int unsigned DEFAULT NULL,\n  `id` int NOT NULL,\n  `bb` char(1) DEFAULT NULL,\n  `dd` varchar(5) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `kbb` (`bb`,`c`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

CREATE TABLE ai (id INT AUTO_INCREMENT PRIMARY KEY, v INT);
----
OK 0

INSERT INTO ai (v) VALUES (1), (2);
----
OK 2 last_insert_id=1 info=Records: 2  Duplicates: 0  Warnings: 0

ALTER TABLE ai DROP PRIMARY KEY;
----
ERROR 1075 (42000): Incorrect table definition; there can be only one auto column and it must be defined as a key

ALTER TABLE ai ADD COLUMN w INT NOT NULL;
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

INSERT INTO ai (v) VALUES (3);
----
ERROR 1364 (HY000): Field 'w' doesn't have a default value

SELECT * FROM ai ORDER BY id;
----
id	v	w
1	1	0
2	2	0

CREATE TABLE w2 LIKE w;
----
OK 0

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE w2;
----
Table	Create Table
w2	CREATE TABLE `w2` (\n  `c` int unsigned DEFAULT NULL,\n  `id` int NOT NULL,\n  `bb` char(1) DEFAULT NULL,\n  `dd` varchar(5) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `kbb` (`bb`,`c`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

SELECT COUNT(*) FROM w2;
----
COUNT(*)
0

CREATE TABLE w2 LIKE w;
----
ERROR 1050 (42S01): Table 'w2' already exists

CREATE TABLE w9 LIKE nope;
----
ERROR 1146 (42S02): Table 'db.nope' doesn't exist

CREATE TABLE w3 AS SELECT id, bb, c * 2 AS c2 FROM w;
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE w3;
----
Table	Create Table
w3	CREATE TABLE `w3` (\n  `id` int NOT NULL,\n  `bb` char(1) DEFAULT NULL,\n  `c2` bigint unsigned DEFAULT NULL\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

SELECT * FROM w3 ORDER BY id;
----
id	bb	c2
1	x	14
2	y	14
3	z	18

CREATE TABLE w4 (x INT PRIMARY KEY AUTO_INCREMENT, c2 INT) SELECT c * 3 AS c2, bb FROM w ORDER BY id;
----
OK 3 last_insert_id=1 info=Records: 3  Duplicates: 0  Warnings: 0

SELECT * FROM w4;
----
x	c2	bb
1	21	x
2	21	y
3	27	z

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
CREATE TABLE w6 (id INT PRIMARY KEY) SELECT 1 AS id UNION ALL SELECT 1;
----
ERROR 1062 (23000): Duplicate entry '1' for key 'w6.PRIMARY'

SHOW TABLES;
----
Tables_in_db
ai
other
w
w2
w3
w4
