# One session's transactions: BEGIN/COMMIT/ROLLBACK, autocommit off, statement-level rollback.

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

# grove-differs: MySQL 8 supports SAVEPOINT (OK 0); Grove refuses it with 1235 until savepoints are implemented
SAVEPOINT sp1;
----
ERROR 1235 (42000): This version of MySQL doesn't yet support 'SAVEPOINT'

LOCK TABLES t WRITE;
----
OK 0

UNLOCK TABLES;
----
OK 0
