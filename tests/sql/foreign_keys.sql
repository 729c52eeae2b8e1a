# FOREIGN KEY constraints: declaration, enforcement on child and parent, actions, foreign_key_checks.
#
# InnoDB semantics, checked row by row.  Concurrent transactions: see
# tests/sqlserver/test_transactions.py (a COMMIT that would leave an orphan fails with 1213).
# Documented MySQL 8 / MariaDB differences (expectations are MySQL 8's):
# - SHOW CREATE TABLE: MySQL 8 lists the FK's supporting index (`KEY fk1 (pid)`) and names unnamed
#   FKs <table>_ibfk_<n>; MariaDB names them <table>_ibfk_<n> too but prints int(11).
# - 1824/1822/3730 are MySQL 8's messages; MariaDB answers 1005 "Can't create table ... (errno: 150
#   "Foreign key constraint is incorrectly formed")" and 1451 for DROP TABLE of a referenced parent.
# - ALTER TABLE ... ADD FOREIGN KEY over orphan rows: MySQL 8 names its temporary table
#   (`db`.`#sql-...`) in the 1452 message; Grove names the table itself.
# - An unspecified ON DELETE/UPDATE is NO ACTION in MySQL 8 (not printed; an explicit RESTRICT is);
#   MariaDB's default is RESTRICT (not printed; an explicit NO ACTION is).
# - Changing a referenced value only in case ('d' -> 'D' under a case-insensitive collation) counts
#   as a change (1451 with RESTRICT), as InnoDB compares the bytes; MariaDB agrees.

CREATE TABLE p (id INT PRIMARY KEY, name VARCHAR(10), UNIQUE KEY uname (name));
----
OK 0

CREATE TABLE c (id INT PRIMARY KEY, pid INT, CONSTRAINT fk1 FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE ON UPDATE CASCADE);
----
OK 0

CREATE TABLE d (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES p (id));
----
OK 0

CREATE TABLE e (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES p (id) ON DELETE SET NULL ON UPDATE SET NULL);
----
OK 0

CREATE TABLE f (id INT PRIMARY KEY, pname VARCHAR(10), KEY (pname), FOREIGN KEY (pname) REFERENCES p (name) ON DELETE RESTRICT ON UPDATE NO ACTION);
----
OK 0

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE c;
----
Table	Create Table
c	CREATE TABLE `c` (\n  `id` int NOT NULL,\n  `pid` int DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `fk1` (`pid`),\n  CONSTRAINT `fk1` FOREIGN KEY (`pid`) REFERENCES `p` (`id`) ON DELETE CASCADE ON UPDATE CASCADE\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE d;
----
Table	Create Table
d	CREATE TABLE `d` (\n  `id` int NOT NULL,\n  `pid` int DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `pid` (`pid`),\n  CONSTRAINT `d_ibfk_1` FOREIGN KEY (`pid`) REFERENCES `p` (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE e;
----
Table	Create Table
e	CREATE TABLE `e` (\n  `id` int NOT NULL,\n  `pid` int DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `pid` (`pid`),\n  CONSTRAINT `e_ibfk_1` FOREIGN KEY (`pid`) REFERENCES `p` (`id`) ON DELETE SET NULL ON UPDATE SET NULL\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

# mariadb-differs: MySQL 8 prints the FK's actions as declared (ON DELETE RESTRICT; unspecified is NO ACTION, not shown); MariaDB's default is RESTRICT and it prints ON UPDATE NO ACTION; SHOW CREATE TABLE int(11)
SHOW CREATE TABLE f;
----
Table	Create Table
f	CREATE TABLE `f` (\n  `id` int NOT NULL,\n  `pname` varchar(10) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `pname` (`pname`),\n  CONSTRAINT `f_ibfk_1` FOREIGN KEY (`pname`) REFERENCES `p` (`name`) ON DELETE RESTRICT\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

INSERT INTO p VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd');
----
OK 4 info=Records: 4  Duplicates: 0  Warnings: 0

INSERT INTO c VALUES (10, 1), (11, 1), (12, 2);
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

INSERT INTO c VALUES (13, 9);
----
ERROR 1452 (23000): Cannot add or update a child row: a foreign key constraint fails (`db`.`c`, CONSTRAINT `fk1` FOREIGN KEY (`pid`) REFERENCES `p` (`id`) ON DELETE CASCADE ON UPDATE CASCADE)

INSERT INTO c VALUES (14, NULL);
----
OK 1

INSERT INTO d VALUES (20, 2);
----
OK 1

INSERT INTO e VALUES (30, 3), (31, 1);
----
OK 2 info=Records: 2  Duplicates: 0  Warnings: 0

INSERT INTO f VALUES (40, 'D');
----
OK 1

# mariadb-differs: MySQL 8 prints the FK's actions as declared (ON DELETE RESTRICT; unspecified is NO ACTION, not shown); MariaDB's default is RESTRICT and it prints ON UPDATE NO ACTION
INSERT INTO f VALUES (41, 'zz');
----
ERROR 1452 (23000): Cannot add or update a child row: a foreign key constraint fails (`db`.`f`, CONSTRAINT `f_ibfk_1` FOREIGN KEY (`pname`) REFERENCES `p` (`name`) ON DELETE RESTRICT)

SELECT * FROM f;
----
id	pname
40	D

DELETE FROM p WHERE id = 2;
----
ERROR 1451 (23000): Cannot delete or update a parent row: a foreign key constraint fails (`db`.`d`, CONSTRAINT `d_ibfk_1` FOREIGN KEY (`pid`) REFERENCES `p` (`id`))

DELETE FROM p WHERE id = 1;
----
OK 1

SELECT * FROM c ORDER BY id;
----
id	pid
12	2
14	NULL

SELECT * FROM e ORDER BY id;
----
id	pid
30	3
31	NULL

UPDATE p SET id = 5 WHERE id = 3;
----
OK 1 info=Rows matched: 1  Changed: 1  Warnings: 0

SELECT * FROM e ORDER BY id;
----
id	pid
30	NULL
31	NULL

UPDATE c SET pid = 7 WHERE id = 12;
----
ERROR 1452 (23000): Cannot add or update a child row: a foreign key constraint fails (`db`.`c`, CONSTRAINT `fk1` FOREIGN KEY (`pid`) REFERENCES `p` (`id`) ON DELETE CASCADE ON UPDATE CASCADE)

UPDATE c SET pid = 5 WHERE id = 12;
----
OK 1 info=Rows matched: 1  Changed: 1  Warnings: 0

UPDATE p SET id = 6 WHERE id = 2;
----
ERROR 1451 (23000): Cannot delete or update a parent row: a foreign key constraint fails (`db`.`d`, CONSTRAINT `d_ibfk_1` FOREIGN KEY (`pid`) REFERENCES `p` (`id`))

# mariadb-differs: MySQL 8 prints the FK's actions as declared (ON DELETE RESTRICT; unspecified is NO ACTION, not shown); MariaDB's default is RESTRICT and it prints ON UPDATE NO ACTION
DELETE FROM p WHERE id = 4;
----
ERROR 1451 (23000): Cannot delete or update a parent row: a foreign key constraint fails (`db`.`f`, CONSTRAINT `f_ibfk_1` FOREIGN KEY (`pname`) REFERENCES `p` (`name`) ON DELETE RESTRICT)

# mariadb-differs: MySQL 8 prints the FK's actions as declared (ON DELETE RESTRICT; unspecified is NO ACTION, not shown); MariaDB's default is RESTRICT and it prints ON UPDATE NO ACTION
UPDATE p SET name = 'x' WHERE id = 4;
----
ERROR 1451 (23000): Cannot delete or update a parent row: a foreign key constraint fails (`db`.`f`, CONSTRAINT `f_ibfk_1` FOREIGN KEY (`pname`) REFERENCES `p` (`name`) ON DELETE RESTRICT)

# mariadb-differs: MySQL 8 prints the FK's actions as declared (ON DELETE RESTRICT; unspecified is NO ACTION, not shown); MariaDB's default is RESTRICT and it prints ON UPDATE NO ACTION
UPDATE p SET name = 'D' WHERE id = 4;
----
ERROR 1451 (23000): Cannot delete or update a parent row: a foreign key constraint fails (`db`.`f`, CONSTRAINT `f_ibfk_1` FOREIGN KEY (`pname`) REFERENCES `p` (`name`) ON DELETE RESTRICT)

INSERT INTO p VALUES (1, 'a');
----
OK 1

INSERT INTO c VALUES (40, 1);
----
OK 1

UPDATE p SET id = 8 WHERE id = 1;
----
OK 1 info=Rows matched: 1  Changed: 1  Warnings: 0

SELECT * FROM c ORDER BY id;
----
id	pid
12	5
14	NULL
40	8

DELETE FROM d;
----
OK 1

DELETE FROM p WHERE id = 2;
----
OK 1

SELECT * FROM c ORDER BY id;
----
id	pid
12	5
14	NULL
40	8

SET foreign_key_checks = 0;
----
OK 0

INSERT INTO c VALUES (50, 99);
----
OK 1

DELETE FROM p WHERE id = 8;
----
OK 1

SET foreign_key_checks = 1;
----
OK 0

SELECT * FROM c ORDER BY id;
----
id	pid
12	5
14	NULL
40	8
50	99

# mariadb-differs: DROP TABLE of a referenced parent: MySQL 8 3730 "Cannot drop table 'p' referenced by a foreign key constraint ..."; MariaDB 1451
DROP TABLE p;
----
ERROR 3730 (HY000): Cannot drop table 'p' referenced by a foreign key constraint 'fk1' on table 'c'.

# mariadb-differs: 1701: MySQL 8 names only the child and constraint (`db`.`c`, CONSTRAINT `fk1`); MariaDB prints a whole FK definition (and picks another one)
TRUNCATE TABLE p;
----
ERROR 1701 (42000): Cannot truncate a table referenced in a foreign key constraint (`db`.`c`, CONSTRAINT `fk1`)

# mariadb-differs: dropping an FK column: MySQL 8 1828 "Cannot drop column 'pid': needed in a foreign key constraint 'fk1'"; MariaDB 1553 about the index
ALTER TABLE c DROP COLUMN pid;
----
ERROR 1828 (HY000): Cannot drop column 'pid': needed in a foreign key constraint 'fk1'

# mariadb-differs: 1829: MySQL 8 names the table 'c'; MariaDB `db`.`d` (and reports another FK)
ALTER TABLE p DROP COLUMN id;
----
ERROR 1829 (HY000): Cannot drop column 'id': needed in a foreign key constraint 'fk1' of table 'c'

ALTER TABLE c DROP INDEX fk1;
----
ERROR 1553 (HY000): Cannot drop index 'fk1': needed in a foreign key constraint

ALTER TABLE c DROP FOREIGN KEY fk1;
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

# mariadb-differs: 1091 reads "Can't DROP 'fk1'; check that column/key exists" in MySQL 8; MariaDB "Can't DROP FOREIGN KEY `fk1`; check that it exists"
ALTER TABLE c DROP FOREIGN KEY fk1;
----
ERROR 1091 (42000): Can't DROP 'fk1'; check that column/key exists

ALTER TABLE c DROP COLUMN pid;
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE c;
----
Table	Create Table
c	CREATE TABLE `c` (\n  `id` int NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

# mariadb-differs: MySQL 8 reports FK definition problems as 1822/1824/1830/3734; MariaDB answers 1005 (errno: 150 "Foreign key constraint is incorrectly formed")
CREATE TABLE x (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES nope (id));
----
ERROR 1824 (HY000): Failed to open the referenced table 'nope'

CREATE TABLE x (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES p (name, id));
----
ERROR 1239 (42000): Incorrect foreign key definition for 'foreign key without name': Key reference and table reference don't match

# mariadb-differs: MySQL 8 reports FK definition problems as 1822/1824/1830/3734; MariaDB answers 1005 (errno: 150 "Foreign key constraint is incorrectly formed")
CREATE TABLE x (id INT PRIMARY KEY, a INT, b INT, FOREIGN KEY (a, b) REFERENCES p (name, id));
----
ERROR 1822 (HY000): Failed to add the foreign key constraint. Missing index for constraint 'x_ibfk_1' in the referenced table 'p'

# mariadb-differs: MySQL 8 reports FK definition problems as 1822/1824/1830/3734; MariaDB answers 1005 (errno: 150 "Foreign key constraint is incorrectly formed")
CREATE TABLE x (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES p (nope));
----
ERROR 3734 (HY000): Failed to add the foreign key constraint. Missing column 'nope' for constraint 'x_ibfk_1' in the referenced table 'p'

# mariadb-differs: MySQL 8 reports FK definition problems as 1822/1824/1830/3734; MariaDB answers 1005 (errno: 150 "Foreign key constraint is incorrectly formed")
CREATE TABLE x (id INT PRIMARY KEY, pid INT NOT NULL, FOREIGN KEY (pid) REFERENCES p (id) ON DELETE SET NULL);
----
ERROR 1830 (HY000): Column 'pid' cannot be NOT NULL: needed in a foreign key constraint 'x_ibfk_1' SET NULL

CREATE TABLE tree (id INT PRIMARY KEY, parent INT, FOREIGN KEY (parent) REFERENCES tree (id) ON DELETE CASCADE);
----
OK 0

INSERT INTO tree VALUES (1, NULL), (2, 1), (3, 2), (4, 1);
----
OK 4 info=Records: 4  Duplicates: 0  Warnings: 0

INSERT INTO tree VALUES (5, 9);
----
ERROR 1452 (23000): Cannot add or update a child row: a foreign key constraint fails (`db`.`tree`, CONSTRAINT `tree_ibfk_1` FOREIGN KEY (`parent`) REFERENCES `tree` (`id`) ON DELETE CASCADE)

DELETE FROM tree WHERE id = 2;
----
OK 1

SELECT * FROM tree ORDER BY id;
----
id	parent
1	NULL
4	1

CREATE TABLE g (id INT PRIMARY KEY, pid INT);
----
OK 0

INSERT INTO g VALUES (1, 5), (2, 77);
----
OK 2 info=Records: 2  Duplicates: 0  Warnings: 0

# grove-differs: MySQL 8 adds the key by copying the table and its 1452 names the copy (`db`.`#sql-<pid>_<n>`, a name that changes per run); Grove names `db`.`g`
ALTER TABLE g ADD CONSTRAINT gfk FOREIGN KEY (pid) REFERENCES p (id);
----
ERROR 1452 (23000): Cannot add or update a child row: a foreign key constraint fails (`db`.`g`, CONSTRAINT `gfk` FOREIGN KEY (`pid`) REFERENCES `p` (`id`))

DELETE FROM g WHERE id = 2;
----
OK 1

ALTER TABLE g ADD CONSTRAINT gfk FOREIGN KEY (pid) REFERENCES p (id);
----
OK 1 info=Records: 1  Duplicates: 0  Warnings: 0

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE g;
----
Table	Create Table
g	CREATE TABLE `g` (\n  `id` int NOT NULL,\n  `pid` int DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `gfk` (`pid`),\n  CONSTRAINT `gfk` FOREIGN KEY (`pid`) REFERENCES `p` (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

DELETE FROM p WHERE id = 5;
----
ERROR 1451 (23000): Cannot delete or update a parent row: a foreign key constraint fails (`db`.`g`, CONSTRAINT `gfk` FOREIGN KEY (`pid`) REFERENCES `p` (`id`))

RENAME TABLE p TO parent;
----
OK 0

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation
SHOW CREATE TABLE g;
----
Table	Create Table
g	CREATE TABLE `g` (\n  `id` int NOT NULL,\n  `pid` int DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `gfk` (`pid`),\n  CONSTRAINT `gfk` FOREIGN KEY (`pid`) REFERENCES `parent` (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

INSERT INTO g VALUES (3, 4);
----
OK 1

INSERT IGNORE INTO g VALUES (4, 999);
----
OK 0 warnings=1

SHOW WARNINGS;
----
Level	Code	Message
Warning	1452	Cannot add or update a child row: a foreign key constraint fails (`db`.`g`, CONSTRAINT `gfk` FOREIGN KEY (`pid`) REFERENCES `parent` (`id`))

DROP TABLE g;
----
OK 0

SET foreign_key_checks = 0;
----
OK 0

CREATE TABLE later (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES not_yet (id));
----
OK 0

SET foreign_key_checks = 1;
----
OK 0

INSERT INTO later VALUES (1, 1);
----
ERROR 1452 (23000): Cannot add or update a child row: a foreign key constraint fails (`db`.`later`, CONSTRAINT `later_ibfk_1` FOREIGN KEY (`pid`) REFERENCES `not_yet` (`id`))
