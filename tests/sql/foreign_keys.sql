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
X

CREATE TABLE c (id INT PRIMARY KEY, pid INT, CONSTRAINT fk1 FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE ON UPDATE CASCADE);
----
X

CREATE TABLE d (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES p (id));
----
X

CREATE TABLE e (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES p (id) ON DELETE SET NULL ON UPDATE SET NULL);
----
X

CREATE TABLE f (id INT PRIMARY KEY, pname VARCHAR(10), KEY (pname), FOREIGN KEY (pname) REFERENCES p (name) ON DELETE RESTRICT ON UPDATE NO ACTION);
----
X

SHOW CREATE TABLE c;
----
X

SHOW CREATE TABLE d;
----
X

SHOW CREATE TABLE e;
----
X

SHOW CREATE TABLE f;
----
X

INSERT INTO p VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd');
----
X

INSERT INTO c VALUES (10, 1), (11, 1), (12, 2);
----
X

INSERT INTO c VALUES (13, 9);
----
X

INSERT INTO c VALUES (14, NULL);
----
X

INSERT INTO d VALUES (20, 2);
----
X

INSERT INTO e VALUES (30, 3), (31, 1);
----
X

INSERT INTO f VALUES (40, 'D');
----
X

INSERT INTO f VALUES (41, 'zz');
----
X

SELECT * FROM f;
----
X

DELETE FROM p WHERE id = 2;
----
X

DELETE FROM p WHERE id = 1;
----
X

SELECT * FROM c ORDER BY id;
----
X

SELECT * FROM e ORDER BY id;
----
X

UPDATE p SET id = 5 WHERE id = 3;
----
X

SELECT * FROM e ORDER BY id;
----
X

UPDATE c SET pid = 7 WHERE id = 12;
----
X

UPDATE c SET pid = 5 WHERE id = 12;
----
X

UPDATE p SET id = 6 WHERE id = 2;
----
X

DELETE FROM p WHERE id = 4;
----
X

UPDATE p SET name = 'x' WHERE id = 4;
----
X

UPDATE p SET name = 'D' WHERE id = 4;
----
X

INSERT INTO p VALUES (1, 'a');
----
X

INSERT INTO c VALUES (40, 1);
----
X

UPDATE p SET id = 8 WHERE id = 1;
----
X

SELECT * FROM c ORDER BY id;
----
X

DELETE FROM d;
----
X

DELETE FROM p WHERE id = 2;
----
X

SELECT * FROM c ORDER BY id;
----
X

SET foreign_key_checks = 0;
----
X

INSERT INTO c VALUES (50, 99);
----
X

DELETE FROM p WHERE id = 8;
----
X

SET foreign_key_checks = 1;
----
X

SELECT * FROM c ORDER BY id;
----
X

DROP TABLE p;
----
X

ALTER TABLE c DROP COLUMN pid;
----
X

ALTER TABLE p DROP COLUMN id;
----
X

ALTER TABLE c DROP INDEX fk1;
----
X

ALTER TABLE c DROP FOREIGN KEY fk1;
----
X

ALTER TABLE c DROP FOREIGN KEY fk1;
----
X

ALTER TABLE c DROP COLUMN pid;
----
X

SHOW CREATE TABLE c;
----
X

CREATE TABLE x (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES nope (id));
----
X

CREATE TABLE x (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES p (name, id));
----
X

CREATE TABLE x (id INT PRIMARY KEY, a INT, b INT, FOREIGN KEY (a, b) REFERENCES p (name, id));
----
X

CREATE TABLE x (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES p (nope));
----
X

CREATE TABLE x (id INT PRIMARY KEY, pid INT NOT NULL, FOREIGN KEY (pid) REFERENCES p (id) ON DELETE SET NULL);
----
X

CREATE TABLE tree (id INT PRIMARY KEY, parent INT, FOREIGN KEY (parent) REFERENCES tree (id) ON DELETE CASCADE);
----
X

INSERT INTO tree VALUES (1, NULL), (2, 1), (3, 2), (4, 1);
----
X

INSERT INTO tree VALUES (5, 9);
----
X

DELETE FROM tree WHERE id = 2;
----
X

SELECT * FROM tree ORDER BY id;
----
X

CREATE TABLE g (id INT PRIMARY KEY, pid INT);
----
X

INSERT INTO g VALUES (1, 5), (2, 77);
----
X

ALTER TABLE g ADD CONSTRAINT gfk FOREIGN KEY (pid) REFERENCES p (id);
----
X

DELETE FROM g WHERE id = 2;
----
X

ALTER TABLE g ADD CONSTRAINT gfk FOREIGN KEY (pid) REFERENCES p (id);
----
X

SHOW CREATE TABLE g;
----
X

DELETE FROM p WHERE id = 5;
----
X

RENAME TABLE p TO parent;
----
X

SHOW CREATE TABLE g;
----
X

INSERT INTO g VALUES (3, 4);
----
X

INSERT IGNORE INTO g VALUES (4, 999);
----
X

SHOW WARNINGS;
----
X

DROP TABLE g;
----
X

SET foreign_key_checks = 0;
----
X

CREATE TABLE later (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES not_yet (id));
----
X

SET foreign_key_checks = 1;
----
X

INSERT INTO later VALUES (1, 1);
----
X

