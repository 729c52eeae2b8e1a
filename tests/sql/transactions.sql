# One session's transactions: BEGIN/COMMIT/ROLLBACK, autocommit off, statement-level rollback, savepoints.

CREATE TABLE t (id INT PRIMARY KEY, n INT);
----
OK 0

BEGIN;
----
OK 0

INSERT INTO t VALUES (1, 10);
----
OK 1

ROLLBACK;
----
OK 0

SELECT COUNT(*) FROM t;
----
COUNT(*)
0

START TRANSACTION;
----
OK 0

INSERT INTO t VALUES (1, 10), (2, 20);
----
OK 2 info=Records: 2  Duplicates: 0  Warnings: 0

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
INSERT INTO t VALUES (3, 30), (1, 99);
----
ERROR 1062 (23000): Duplicate entry '1' for key 't.PRIMARY'

SELECT * FROM t;
----
id	n
1	10
2	20

COMMIT;
----
OK 0

SELECT * FROM t;
----
id	n
1	10
2	20

SET autocommit = 0;
----
OK 0

UPDATE t SET n = n + 1;
----
OK 2 info=Rows matched: 2  Changed: 2  Warnings: 0

ROLLBACK;
----
OK 0

SELECT * FROM t;
----
id	n
1	10
2	20

DELETE FROM t WHERE id = 2;
----
OK 1

COMMIT;
----
OK 0

SET autocommit = 1;
----
OK 0

SELECT * FROM t;
----
id	n
1	10

BEGIN;
----
OK 0

INSERT INTO t VALUES (5, 50);
----
OK 1

CREATE TABLE t2 (a INT PRIMARY KEY);
----
OK 0

ROLLBACK;
----
OK 0

SELECT * FROM t;
----
id	n
1	10
5	50

SELECT * FROM t WHERE id = 1 FOR UPDATE;
----
id	n
1	10

# autocommit on and no BEGIN: SAVEPOINT is accepted but sets nothing (the statement is its own transaction)
SAVEPOINT sp1;
----
OK 0

ROLLBACK TO SAVEPOINT sp1;
----
ERROR 1305 (42000): SAVEPOINT sp1 does not exist

CREATE TABLE sp (id INT PRIMARY KEY, u INT, k INT, UNIQUE KEY uk (u), KEY ik (k));
----
OK 0

INSERT INTO sp VALUES (1, 100, 1), (2, 200, 2);
----
OK 2 info=Records: 2  Duplicates: 0  Warnings: 0

BEGIN;
----
OK 0

INSERT INTO sp VALUES (3, 300, 3);
----
OK 1

SAVEPOINT a;
----
OK 0

INSERT INTO sp VALUES (4, 400, 4);
----
OK 1

UPDATE sp SET k = 9 WHERE id = 1;
----
OK 1 info=Rows matched: 1  Changed: 1  Warnings: 0

DELETE FROM sp WHERE id = 2;
----
OK 1

SELECT * FROM sp ORDER BY id;
----
id	u	k
1	100	9
3	300	3
4	400	4

# undoes the insert, update and delete made after `a`, keeps the insert made before it
ROLLBACK TO SAVEPOINT a;
----
OK 0

SELECT * FROM sp ORDER BY id;
----
id	u	k
1	100	1
2	200	2
3	300	3

SELECT id FROM sp WHERE k = 9;
----
id

SELECT id FROM sp WHERE k = 1;
----
id
1

SELECT id FROM sp WHERE u = 400;
----
id

SELECT id, u FROM sp WHERE u = 200;
----
id	u
2	200

# the unique value rolled back is free again
INSERT INTO sp VALUES (5, 400, 5);
----
OK 1

SELECT id, u FROM sp WHERE u >= 300 ORDER BY u;
----
id	u
3	300
5	400

# the unique value whose delete was rolled back is taken again
# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (sp.uk), MariaDB just the key (uk)
INSERT INTO sp VALUES (6, 200, 6);
----
ERROR 1062 (23000): Duplicate entry '200' for key 'sp.uk'

# the savepoint stays after a rollback to it
ROLLBACK TO a;
----
OK 0

SELECT id FROM sp ORDER BY id;
----
id
1
2
3

ROLLBACK TO SAVEPOINT nosuch;
----
ERROR 1305 (42000): SAVEPOINT nosuch does not exist

# nested: rolling back to the outer savepoint deletes the inner one
SAVEPOINT b;
----
OK 0

INSERT INTO sp VALUES (6, 600, 6);
----
OK 1

SAVEPOINT c;
----
OK 0

INSERT INTO sp VALUES (7, 700, 7);
----
OK 1

ROLLBACK TO b;
----
OK 0

SELECT id FROM sp ORDER BY id;
----
id
1
2
3

ROLLBACK TO SAVEPOINT c;
----
ERROR 1305 (42000): SAVEPOINT c does not exist

# a savepoint of the same name (case-insensitive) replaces the old one, which moves after `b`
INSERT INTO sp VALUES (8, 800, 8);
----
OK 1

SAVEPOINT A;
----
OK 0

INSERT INTO sp VALUES (9, 900, 9);
----
OK 1

ROLLBACK WORK TO SAVEPOINT a;
----
OK 0

SELECT id FROM sp ORDER BY id;
----
id
1
2
3
8

ROLLBACK TO b;
----
OK 0

SELECT id FROM sp ORDER BY id;
----
id
1
2
3

ROLLBACK TO a;
----
ERROR 1305 (42000): SAVEPOINT a does not exist

# RELEASE deletes the savepoint and the later ones, and undoes nothing
SAVEPOINT r1;
----
OK 0

INSERT INTO sp VALUES (10, 1000, 10);
----
OK 1

SAVEPOINT r2;
----
OK 0

RELEASE SAVEPOINT r1;
----
OK 0

ROLLBACK TO r2;
----
ERROR 1305 (42000): SAVEPOINT r2 does not exist

RELEASE SAVEPOINT r1;
----
ERROR 1305 (42000): SAVEPOINT r1 does not exist

# COMMIT keeps what was not rolled back and deletes every savepoint
COMMIT;
----
OK 0

SELECT * FROM sp ORDER BY id;
----
id	u	k
1	100	1
2	200	2
3	300	3
10	1000	10

ROLLBACK TO b;
----
ERROR 1305 (42000): SAVEPOINT b does not exist

# ROLLBACK undoes the whole transaction, changes before the savepoint too, and deletes the savepoints
BEGIN;
----
OK 0

DELETE FROM sp WHERE id = 10;
----
OK 1

SAVEPOINT s;
----
OK 0

UPDATE sp SET u = u + 1;
----
OK 3 info=Rows matched: 3  Changed: 3  Warnings: 0

ROLLBACK;
----
OK 0

ROLLBACK TO s;
----
ERROR 1305 (42000): SAVEPOINT s does not exist

SELECT * FROM sp ORDER BY id;
----
id	u	k
1	100	1
2	200	2
3	300	3
10	1000	10

# DDL commits implicitly, which deletes the savepoints
BEGIN;
----
OK 0

SAVEPOINT d;
----
OK 0

CREATE TABLE sp2 (a INT PRIMARY KEY);
----
OK 0

ROLLBACK TO d;
----
ERROR 1305 (42000): SAVEPOINT d does not exist

# with autocommit off a savepoint may come before the transaction's first statement
SET autocommit = 0;
----
OK 0

SAVEPOINT e;
----
OK 0

INSERT INTO sp VALUES (11, 1100, 11);
----
OK 1

INSERT INTO sp2 VALUES (1);
----
OK 1

SAVEPOINT f;
----
OK 0

INSERT INTO sp2 VALUES (2);
----
OK 1

ROLLBACK TO f;
----
OK 0

SELECT * FROM sp2;
----
a
1

ROLLBACK TO e;
----
OK 0

COMMIT;
----
OK 0

SET autocommit = 1;
----
OK 0

SELECT COUNT(*) FROM sp WHERE id = 11;
----
COUNT(*)
0

SELECT COUNT(*) FROM sp2;
----
COUNT(*)
0

LOCK TABLES t WRITE;
----
OK 0

UNLOCK TABLES;
----
OK 0
