# WITH [RECURSIVE] common table expressions (sqlserver.engine.ctes).
# Checked against MariaDB 10.11.  Documented MySQL 8 / MariaDB differences (expectations are MySQL 8's):
# - runaway recursion: MySQL stops after @@cte_max_recursion_depth (1000) iterations with error 3636;
#   MariaDB has no such variable (max_recursive_iterations, default 4294967295) and keeps going.
# - duplicate CTE name: MySQL 1066 (MariaDB 4004); CTE column-list count mismatch: MySQL 1353 (MariaDB 4002).
# - a recursive row too long for the anchor's string type: 1406 in both, but MySQL numbers the row within
#   its iteration ("at row 1", as in the MySQL manual's example) and MariaDB within the whole result (row 2).

CREATE TABLE emp (id INT PRIMARY KEY, name VARCHAR(20), boss INT);
----
OK 0

INSERT INTO emp VALUES (1, 'ann', NULL), (2, 'bob', 1), (3, 'cid', 1), (4, 'dee', 2), (5, 'eve', 4);
----
OK 5 info=Records: 5  Duplicates: 0  Warnings: 0

WITH x AS (SELECT id, name FROM emp WHERE boss = 1) SELECT * FROM x ORDER BY id;
----
id	name
2	bob
3	cid

WITH x (a, b) AS (SELECT id, name FROM emp WHERE id < 3) SELECT b, a FROM x ORDER BY a;
----
b	a
ann	1
bob	2

WITH x AS (SELECT id FROM emp WHERE id <= 2), y AS (SELECT id * 10 AS v FROM x) SELECT * FROM y ORDER BY v;
----
v
10
20

WITH x AS (SELECT id, boss FROM emp) SELECT a.id, b.id FROM x a JOIN x b ON a.boss = b.id ORDER BY a.id;
----
id	id
2	1
3	1
4	2
5	4

WITH c AS (SELECT boss, COUNT(*) AS n FROM emp GROUP BY boss) SELECT e.name, c.n FROM emp e JOIN c ON c.boss = e.id ORDER BY e.id;
----
name	n
ann	2
bob	1
dee	1

SELECT (WITH x AS (SELECT MAX(id) AS m FROM emp) SELECT m FROM x) AS top;
----
top
5

SELECT * FROM (WITH x AS (SELECT id FROM emp WHERE id > 3) SELECT id FROM x) d ORDER BY id;
----
id
4
5

WITH x AS (SELECT 1 AS a UNION ALL SELECT 2) SELECT a FROM x UNION ALL SELECT a + 10 FROM x ORDER BY a;
----
a
1
2
11
12

# mariadb-differs: duplicate CTE name: MySQL 8 1066 "Not unique table/alias"; MariaDB 4004
WITH x AS (SELECT 1 AS a), x AS (SELECT 2 AS a) SELECT * FROM x;
----
ERROR 1066 (42000): Not unique table/alias: 'x'

# mariadb-differs: CTE column-list count mismatch: MySQL 8 1353; MariaDB 4002
WITH x (a, b) AS (SELECT 1) SELECT * FROM x;
----
ERROR 1353 (HY000): In definition of view, derived table or common table expression, SELECT list and column names list have different column counts

WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 5) SELECT n FROM seq;
----
n
1
2
3
4
5

WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 1000) SELECT COUNT(*), SUM(n) FROM seq;
----
COUNT(*)	SUM(n)
1000	500500

WITH RECURSIVE chain (id, name, depth) AS (SELECT id, name, 0 FROM emp WHERE boss IS NULL UNION ALL SELECT e.id, e.name, c.depth + 1 FROM emp e JOIN chain c ON e.boss = c.id) SELECT * FROM chain ORDER BY depth, id;
----
id	name	depth
1	ann	0
2	bob	1
3	cid	1
4	dee	2
5	eve	3

WITH RECURSIVE up (id, boss) AS (SELECT id, boss FROM emp WHERE id = 5 UNION ALL SELECT e.id, e.boss FROM emp e, up WHERE e.id = up.boss) SELECT id FROM up ORDER BY id;
----
id
1
2
4
5

WITH RECURSIVE fib (n, a, b) AS (SELECT 1, 0, 1 UNION ALL SELECT n + 1, b, a + b FROM fib WHERE n < 10) SELECT n, a FROM fib WHERE n > 7 ORDER BY n;
----
n	a
8	13
9	21
10	34

WITH RECURSIVE r (x) AS (SELECT 1 UNION SELECT (x + 1) % 3 FROM r) SELECT x FROM r ORDER BY x;
----
x
0
1
2

# mariadb-differs: MySQL 8 stops a recursive CTE after @@cte_max_recursion_depth iterations (3636); MariaDB has no such variable (1193) and keeps going
WITH RECURSIVE r (x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT COUNT(*) FROM r;
----
ERROR 3636 (HY000): Recursive query aborted after 1001 iterations. Try increasing @@cte_max_recursion_depth to a larger value.

# mariadb-differs: MySQL 8 stops a recursive CTE after @@cte_max_recursion_depth iterations (3636); MariaDB has no such variable (1193) and keeps going
SET @@cte_max_recursion_depth = 20;
----
OK 0

# mariadb-differs: MySQL 8 stops a recursive CTE after @@cte_max_recursion_depth iterations (3636); MariaDB has no such variable (1193) and keeps going
WITH RECURSIVE r (x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 21) SELECT COUNT(*) FROM r;
----
ERROR 3636 (HY000): Recursive query aborted after 21 iterations. Try increasing @@cte_max_recursion_depth to a larger value.

WITH RECURSIVE r (x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 20) SELECT COUNT(*) FROM r;
----
COUNT(*)
20

# mariadb-differs: MySQL 8 stops a recursive CTE after @@cte_max_recursion_depth iterations (3636); MariaDB has no such variable (1193) and keeps going
SET @@cte_max_recursion_depth = 1000;
----
OK 0

WITH RECURSIVE a (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM a WHERE n < 3), b (m) AS (SELECT n * 2 FROM a) SELECT * FROM b ORDER BY m;
----
m
2
4
6

CREATE TABLE nums (n INT PRIMARY KEY);
----
OK 0

INSERT INTO nums WITH RECURSIVE s (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 4) SELECT n FROM s;
----
OK 4 info=Records: 4  Duplicates: 0  Warnings: 0

SELECT * FROM nums;
----
n
1
2
3
4

# mariadb-differs: 1406 for a recursive row: MySQL 8 numbers the row within its iteration (row 1, as in the manual's example); MariaDB within the whole result (row 2)
WITH RECURSIVE c (n, s) AS (SELECT 1, 'abc' UNION ALL SELECT n + 1, CONCAT(s, s) FROM c WHERE n < 3) SELECT * FROM c;
----
ERROR 1406 (22001): Data too long for column 's' at row 1

WITH RECURSIVE c (n, s) AS (SELECT 1, CAST('abc' AS CHAR(20)) UNION ALL SELECT n + 1, CONCAT(s, s) FROM c WHERE n < 3) SELECT * FROM c;
----
n	s
1	abc
2	abcabc
3	abcabcabcabc
