# CREATE/DROP INDEX and ALTER TABLE ADD/DROP INDEX: indexes built over existing rows, kept in step on writes.
# Checked against MariaDB 10.11; where MySQL 8 differs (1062 names the key `table.key`, 1091's wording,
# 1170 for an unprefixed TEXT key where MariaDB silently adds a prefix) the expectation is MySQL 8's.

CREATE TABLE t1 (id INT PRIMARY KEY, x INT, y VARCHAR(8));
----
OK 0

INSERT INTO t1 VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 10, 'c'), (4, NULL, 'd'), (5, NULL, 'e');
----
OK 5 info=Records: 5  Duplicates: 0  Warnings: 0

CREATE INDEX ix ON t1 (x);
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

SELECT id FROM t1 WHERE x = 10 ORDER BY id;
----
id
1
3

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
CREATE UNIQUE INDEX ux ON t1 (x);
----
ERROR 1062 (23000): Duplicate entry '10' for key 't1.ux'

CREATE UNIQUE INDEX uy ON t1 (y DESC);
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
INSERT INTO t1 VALUES (6, 30, 'A');
----
ERROR 1062 (23000): Duplicate entry 'A' for key 't1.uy'

INSERT INTO t1 VALUES (6, 30, 'f');
----
OK 1

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
UPDATE t1 SET y = 'b' WHERE id = 1;
----
ERROR 1062 (23000): Duplicate entry 'b' for key 't1.uy'

UPDATE t1 SET y = 'z' WHERE id = 1;
----
OK 1 info=Rows matched: 1  Changed: 1  Warnings: 0

SELECT id, x, y FROM t1 ORDER BY id;
----
id	x	y
1	10	z
2	20	b
3	10	c
4	NULL	d
5	NULL	e
6	30	f

CREATE INDEX ix ON t1 (y);
----
ERROR 1061 (42000): Duplicate key name 'ix'

CREATE INDEX iz ON t1 (nope);
----
ERROR 1072 (42000): Key column 'nope' doesn't exist in table

CREATE INDEX iz ON t1 (x, x);
----
ERROR 1060 (42S21): Duplicate column name 'x'

CREATE INDEX iz ON missing (x);
----
ERROR 1146 (42S02): Table 'db.missing' doesn't exist

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE t1;
----
Table	Create Table
t1	CREATE TABLE `t1` (\n  `id` int NOT NULL,\n  `x` int DEFAULT NULL,\n  `y` varchar(8) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `uy` (`y` DESC),\n  KEY `ix` (`x`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

DROP INDEX ix ON t1;
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

# mariadb-differs: 1091 reads "Can't DROP 'x'; check that column/key exists" in MySQL 8; MariaDB names the kind ("Can't DROP INDEX `x`; check that it exists")
DROP INDEX ix ON t1;
----
ERROR 1091 (42000): Can't DROP 'ix'; check that column/key exists

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE t1;
----
Table	Create Table
t1	CREATE TABLE `t1` (\n  `id` int NOT NULL,\n  `x` int DEFAULT NULL,\n  `y` varchar(8) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `uy` (`y` DESC)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

ALTER TABLE t1 ADD INDEX (x, y), ADD UNIQUE KEY (x, id), DROP INDEX uy;
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE t1;
----
Table	Create Table
t1	CREATE TABLE `t1` (\n  `id` int NOT NULL,\n  `x` int DEFAULT NULL,\n  `y` varchar(8) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `x_2` (`x`,`id`),\n  KEY `x` (`x`,`y`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

# mariadb-differs: DESCRIBE: MySQL 8 prints integer types without display width (int, bigint); MariaDB int(11), bigint(20)
DESCRIBE t1;
----
Field	Type	Null	Key	Default	Extra
id	int	NO	PRI	NULL	
x	int	YES	MUL	NULL	
y	varchar(8)	YES		NULL	

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
ALTER TABLE t1 ADD UNIQUE (x);
----
ERROR 1062 (23000): Duplicate entry '10' for key 't1.x_3'

ALTER TABLE t1 ADD CONSTRAINT c1 UNIQUE (y);
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

ALTER TABLE t1 DROP KEY c1, DROP INDEX x;
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE t1;
----
Table	Create Table
t1	CREATE TABLE `t1` (\n  `id` int NOT NULL,\n  `x` int DEFAULT NULL,\n  `y` varchar(8) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `x_2` (`x`,`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

DELETE FROM t1 WHERE x = 10;
----
OK 2

SELECT id FROM t1 ORDER BY id;
----
id
2
4
5
6

CREATE TABLE t2 (a TEXT, b INT);
----
OK 0

# mariadb-differs: an unprefixed TEXT/BLOB key: MySQL 8 1170; MariaDB silently adds a prefix (a warning)
CREATE INDEX i ON t2 (a);
----
ERROR 1170 (42000): BLOB/TEXT column 'a' used in key specification without a key length

# mariadb-differs: 1091 reads "Can't DROP 'x'; check that column/key exists" in MySQL 8; MariaDB names the kind ("Can't DROP INDEX `x`; check that it exists")
DROP INDEX `PRIMARY` ON t2;
----
ERROR 1091 (42000): Can't DROP 'PRIMARY'; check that column/key exists

# mariadb-differs: the 1064 message names the server: "your MySQL server version" in MySQL 8, "your MariaDB server version" in MariaDB
DROP INDEX i;
----
ERROR 1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '' at line 1

CREATE TABLE t7 (a TEXT, UNIQUE (a(1)));
----
OK 0

INSERT INTO t7 VALUES ('b'), ('c');
----
OK 2 info=Records: 2  Duplicates: 0  Warnings: 0

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
INSERT INTO t7 VALUES ('bx');
----
ERROR 1062 (23000): Duplicate entry 'b' for key 't7.a'

INSERT INTO t7 VALUES (NULL), (NULL);
----
OK 2 info=Records: 2  Duplicates: 0  Warnings: 0

SELECT a FROM t7 ORDER BY a;
----
a
NULL
NULL
b
c

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE t7;
----
Table	Create Table
t7	CREATE TABLE `t7` (\n  `a` text,\n  UNIQUE KEY `a` (`a`(1))\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

CREATE TABLE t8 (a VARCHAR(20), b INT, c BLOB);
----
OK 0

INSERT INTO t8 VALUES ('hello', 1, 'x'), ('help', 2, 'y');
----
OK 2 info=Records: 2  Duplicates: 0  Warnings: 0

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
CREATE UNIQUE INDEX ua ON t8 (a(3));
----
ERROR 1062 (23000): Duplicate entry 'hel' for key 't8.ua'

CREATE UNIQUE INDEX ua ON t8 (a(4));
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

CREATE INDEX ib ON t8 (b(2));
----
ERROR 1089 (HY000): Incorrect prefix key; the used key part isn't a string, the used length is longer than the key part, or the storage engine doesn't support unique prefix keys

# mariadb-differs: an unprefixed TEXT/BLOB key: MySQL 8 1170; MariaDB silently adds a prefix (a warning)
CREATE INDEX ic ON t8 (c);
----
ERROR 1170 (42000): BLOB/TEXT column 'c' used in key specification without a key length

# mariadb-differs: follows from the CREATE INDEX ic above, which MariaDB accepted (1061 Duplicate key name)
ALTER TABLE t8 ADD INDEX ic (c(10), b DESC);
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

# mariadb-differs: follows from the CREATE INDEX ic above, which MariaDB accepted; SHOW CREATE TABLE int(11)
SHOW CREATE TABLE t8;
----
Table	Create Table
t8	CREATE TABLE `t8` (\n  `a` varchar(20) DEFAULT NULL,\n  `b` int DEFAULT NULL,\n  `c` blob,\n  UNIQUE KEY `ua` (`a`(4)),\n  KEY `ic` (`c`(10),`b` DESC)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
INSERT INTO t8 VALUES ('hello world', 3, 'z');
----
ERROR 1062 (23000): Duplicate entry 'hell' for key 't8.ua'
