# Subqueries: scalar, IN / NOT IN (NULL semantics), EXISTS, ANY/ALL, correlated, derived tables,
# INSERT ... SELECT, UPDATE/DELETE with subqueries, UNION.
# Checked against MariaDB 10.11; where MySQL 8 differs the expectation is MySQL 8's: a derived table
# without an alias is 1248 (MariaDB: 1064), and UPDATE/DELETE whose subquery reads the target table is
# 1093 (MariaDB 10.3+ allows it).

CREATE TABLE t1 (a INT PRIMARY KEY, b INT, c VARCHAR(10));
----
OK 0

CREATE TABLE t2 (a INT PRIMARY KEY, x INT);
----
OK 0

INSERT INTO t1 VALUES (1, 10, 'p'), (2, 20, 'q'), (3, NULL, 'r'), (4, 20, 'S');
----
OK 4 info=Records: 4  Duplicates: 0  Warnings: 0

INSERT INTO t2 VALUES (1, 100), (3, 300), (5, NULL);
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

SELECT (SELECT MAX(b) FROM t1), (SELECT x FROM t2 WHERE a = 3), (SELECT x FROM t2 WHERE a = 99);
----
(SELECT MAX(b) FROM t1)	(SELECT x FROM t2 WHERE a = 3)	(SELECT x FROM t2 WHERE a = 99)
20	300	NULL

SELECT a FROM t1 WHERE b > (SELECT AVG(b) FROM t1) ORDER BY a;
----
a
2
4

SELECT (SELECT a FROM t1);
----
ERROR 1242 (21000): Subquery returns more than 1 row

SELECT (SELECT a, b FROM t1 WHERE a = 1);
----
ERROR 1241 (21000): Operand should contain 1 column(s)

SELECT a, (SELECT COUNT(*) FROM t1 AS x WHERE x.b < t1.b) AS smaller FROM t1 ORDER BY a;
----
a	smaller
1	0
2	1
3	0
4	1

SELECT a FROM t1 WHERE a IN (SELECT a FROM t2) ORDER BY a;
----
a
1
3

SELECT a FROM t1 WHERE a NOT IN (SELECT a FROM t2) ORDER BY a;
----
a
2
4

SELECT a, a IN (SELECT x FROM t2), a NOT IN (SELECT x FROM t2) FROM t1 ORDER BY a;
----
a	a IN (SELECT x FROM t2)	a NOT IN (SELECT x FROM t2)
1	NULL	NULL
2	NULL	NULL
3	NULL	NULL
4	NULL	NULL

SELECT 100 IN (SELECT x FROM t2), NULL IN (SELECT x FROM t2), NULL IN (SELECT x FROM t2 WHERE a = 99), 7 NOT IN (SELECT x FROM t2 WHERE a = 99);
----
100 IN (SELECT x FROM t2)	NULL IN (SELECT x FROM t2)	NULL IN (SELECT x FROM t2 WHERE a = 99)	7 NOT IN (SELECT x FROM t2 WHERE a = 99)
1	NULL	0	1

SELECT 's' IN (SELECT c FROM t1), 'x' IN (SELECT c FROM t1), '2' IN (SELECT a FROM t1);
----
's' IN (SELECT c FROM t1)	'x' IN (SELECT c FROM t1)	'2' IN (SELECT a FROM t1)
1	0	1

SELECT a FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.a = t1.a) ORDER BY a;
----
a
1
3

SELECT a FROM t1 WHERE NOT EXISTS (SELECT * FROM t2 WHERE t2.a = t1.a) ORDER BY a;
----
a
2
4

SELECT EXISTS (SELECT * FROM t2 WHERE x IS NULL), EXISTS (SELECT * FROM t2 WHERE a > 10);
----
EXISTS (SELECT * FROM t2 WHERE x IS NULL)	EXISTS (SELECT * FROM t2 WHERE a > 10)
1	0

SELECT 50 < ANY (SELECT b FROM t1), 50 > ALL (SELECT b FROM t1), 50 > ALL (SELECT b FROM t1 WHERE b IS NOT NULL), 5 = ANY (SELECT b FROM t1 WHERE a > 9), 5 > ALL (SELECT b FROM t1 WHERE a > 9);
----
50 < ANY (SELECT b FROM t1)	50 > ALL (SELECT b FROM t1)	50 > ALL (SELECT b FROM t1 WHERE b IS NOT NULL)	5 = ANY (SELECT b FROM t1 WHERE a > 9)	5 > ALL (SELECT b FROM t1 WHERE a > 9)
NULL	NULL	1	0	1

SELECT a, (SELECT x FROM t2 WHERE t2.a = t1.a) AS x FROM t1 WHERE (SELECT COUNT(*) FROM t2 WHERE t2.a <= t1.a) >= 1 ORDER BY a;
----
a	x
1	100
2	NULL
3	300
4	NULL

SELECT b, (SELECT COUNT(*) FROM t2 WHERE t2.a < t1.b) AS n FROM t1 GROUP BY b ORDER BY b;
----
b	n
NULL	0
10	3
20	3

SELECT a FROM t1 WHERE b = (SELECT MAX(b) FROM t1 AS i WHERE i.a < t1.a) ORDER BY a;
----
a
4

SELECT a FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE EXISTS (SELECT 1 FROM t1 AS z WHERE z.a = t2.a AND z.b = t1.b)) ORDER BY a;
----
a
1

SELECT * FROM (SELECT a, b * 2 AS bb FROM t1 WHERE b IS NOT NULL) AS d WHERE d.bb > 20 ORDER BY a;
----
a	bb
2	40
4	40

SELECT d.n, COUNT(*) FROM (SELECT b AS n FROM t1) AS d GROUP BY d.n ORDER BY d.n;
----
n	COUNT(*)
NULL	1
10	1
20	2

SELECT t2.a, d.c FROM t2 JOIN (SELECT a, c FROM t1) AS d ON d.a = t2.a ORDER BY t2.a;
----
a	c
1	p
3	r

# mariadb-differs: a derived table without an alias: MySQL 8 1248 "Every derived table must have its own alias"; MariaDB 1064
SELECT * FROM (SELECT a FROM t1);
----
ERROR 1248 (42000): Every derived table must have its own alias

SELECT * FROM (SELECT a, a FROM t1) AS d;
----
ERROR 1060 (42S21): Duplicate column name 'a'

SELECT a FROM t1 UNION SELECT a FROM t2 ORDER BY a;
----
a
1
2
3
4
5

SELECT b FROM t1 UNION ALL SELECT x FROM t2 ORDER BY 1 DESC LIMIT 3;
----
b
300
100
20

SELECT 1 AS v UNION SELECT 1 UNION SELECT 2;
----
v
1
2

SELECT a FROM t1 UNION SELECT a, x FROM t2;
----
ERROR 1222 (21000): The used SELECT statements have a different number of columns

CREATE TABLE t3 (id INT PRIMARY KEY, v INT);
----
OK 0

INSERT INTO t3 SELECT a, b FROM t1 WHERE b IS NOT NULL;
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

INSERT INTO t3 (id) SELECT id + 10 FROM t3;
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

SELECT * FROM t3 ORDER BY id;
----
id	v
1	10
2	20
4	20
11	NULL
12	NULL
14	NULL

INSERT INTO t3 SELECT a FROM t1;
----
ERROR 1136 (21S01): Column count doesn't match value count at row 1

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
INSERT INTO t3 SELECT a, b FROM t1 WHERE a = 1;
----
ERROR 1062 (23000): Duplicate entry '1' for key 't3.PRIMARY'

UPDATE t3 SET v = (SELECT MAX(x) FROM t2) WHERE id IN (SELECT a FROM t2);
----
OK 1 info=Rows matched: 1  Changed: 1  Warnings: 0

DELETE FROM t3 WHERE id > (SELECT MAX(a) FROM t1);
----
OK 3

SELECT * FROM t3 ORDER BY id;
----
id	v
1	300
2	20
4	20

# mariadb-differs: UPDATE/DELETE whose subquery reads the target table: MySQL 8 1093; MariaDB 10.3+ allows it
UPDATE t3 SET v = 0 WHERE id IN (SELECT id FROM t3);
----
ERROR 1093 (HY000): You can't specify target table 't3' for update in FROM clause

# mariadb-differs: UPDATE/DELETE whose subquery reads the target table: MySQL 8 1093; MariaDB 10.3+ allows it
DELETE FROM t3 WHERE v = (SELECT MIN(v) FROM t3);
----
ERROR 1093 (HY000): You can't specify target table 't3' for update in FROM clause
