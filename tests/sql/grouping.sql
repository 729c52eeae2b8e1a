# GROUP BY extras (sqlserver.engine.grouping): WITH ROLLUP, GROUPING(), GROUP_CONCAT, COUNT(DISTINCT a, b).
# Checked against MariaDB 10.11.  Documented MySQL 8 / MariaDB differences (expectations are MySQL 8's):
# - GROUPING() is MySQL 8 only (MariaDB: 1305 FUNCTION GROUPING does not exist).
# - ORDER BY together with WITH ROLLUP is allowed since MySQL 8.0.12 (MariaDB: error 1221).

CREATE TABLE sales (region VARCHAR(10), item VARCHAR(10), qty INT, price DECIMAL(6,2));
----
OK 0

INSERT INTO sales VALUES ('east', 'pen', 3, 1.50), ('east', 'ink', 1, 4.00), ('west', 'pen', 5, 1.50), ('west', 'pen', 2, 1.75), ('north', NULL, 4, 2.00);
----
OK 5 info=Records: 5  Duplicates: 0  Warnings: 0

SELECT region, SUM(qty) FROM sales GROUP BY region WITH ROLLUP;
----
region	SUM(qty)
east	4
north	4
west	7
NULL	15

SELECT region, item, SUM(qty), COUNT(*) FROM sales GROUP BY region, item WITH ROLLUP;
----
region	item	SUM(qty)	COUNT(*)
east	ink	1	1
east	pen	3	1
east	NULL	4	2
north	NULL	4	1
north	NULL	4	1
west	pen	7	2
west	NULL	7	2
NULL	NULL	15	5

# mariadb-differs: GROUPING() is MySQL 8 only (MariaDB: 1305 FUNCTION GROUPING does not exist)
SELECT region, item, SUM(qty), GROUPING(region), GROUPING(item), GROUPING(region, item) FROM sales GROUP BY region, item WITH ROLLUP;
----
region	item	SUM(qty)	GROUPING(region)	GROUPING(item)	GROUPING(region, item)
east	ink	1	0	0	0
east	pen	3	0	0	0
east	NULL	4	0	1	1
north	NULL	4	0	0	0
north	NULL	4	0	1	1
west	pen	7	0	0	0
west	NULL	7	0	1	1
NULL	NULL	15	1	1	3

# mariadb-differs: GROUPING() is MySQL 8 only (MariaDB: 1305 FUNCTION GROUPING does not exist)
SELECT IF(GROUPING(region), 'all', region) AS r, SUM(qty) FROM sales GROUP BY region WITH ROLLUP HAVING SUM(qty) > 4;
----
r	SUM(qty)
west	7
all	15

# mariadb-differs: ORDER BY with WITH ROLLUP is allowed since MySQL 8.0.12; MariaDB refuses it (1221)
SELECT region, SUM(qty) AS s FROM sales GROUP BY region WITH ROLLUP ORDER BY s DESC, region;
----
region	s
NULL	15
west	7
east	4
north	4

# mariadb-differs: GROUPING() is MySQL 8 only (MariaDB: 1305 FUNCTION GROUPING does not exist)
SELECT SUM(qty) FROM sales GROUP BY region HAVING GROUPING(region) = 0;
----
ERROR 1111 (HY000): Invalid use of group function

# mariadb-differs: GROUPING() is MySQL 8 only (MariaDB: 1305 FUNCTION GROUPING does not exist)
SELECT region, GROUPING(qty) FROM sales GROUP BY region WITH ROLLUP;
----
ERROR 3602 (HY000): Argument #1 of GROUPING function is not in GROUP BY

SELECT region, GROUP_CONCAT(item ORDER BY item) FROM sales GROUP BY region ORDER BY region;
----
region	GROUP_CONCAT(item ORDER BY item)
east	ink,pen
north	NULL
west	pen,pen

SELECT GROUP_CONCAT(DISTINCT item ORDER BY item DESC SEPARATOR '; ') AS items FROM sales;
----
items
pen; ink

SELECT region, GROUP_CONCAT(qty, '@', price ORDER BY qty SEPARATOR ' ') AS l FROM sales GROUP BY region ORDER BY region;
----
region	l
east	1@4.00 3@1.50
north	4@2.00
west	2@1.75 5@1.50

SELECT GROUP_CONCAT(DISTINCT region), GROUP_CONCAT(DISTINCT qty) FROM sales;
----
GROUP_CONCAT(DISTINCT region)	GROUP_CONCAT(DISTINCT qty)
east,north,west	1,2,3,4,5

SELECT GROUP_CONCAT(qty ORDER BY price DESC, qty) FROM sales;
----
GROUP_CONCAT(qty ORDER BY price DESC, qty)
1,4,2,3,5

SELECT region, SUM(qty) FROM sales WHERE qty > 100 GROUP BY region WITH ROLLUP;
----
region	SUM(qty)

SELECT GROUP_CONCAT(qty) FROM sales WHERE qty > 100;
----
GROUP_CONCAT(qty)
NULL

SET SESSION group_concat_max_len = 5;
----
OK 0

SELECT GROUP_CONCAT(region ORDER BY region) FROM sales;
----
GROUP_CONCAT(region ORDER BY region)
east,

SHOW WARNINGS;
----
Level	Code	Message
Warning	1260	Row 2 was cut by GROUP_CONCAT()

SET SESSION group_concat_max_len = 1024;
----
OK 0

SELECT COUNT(DISTINCT region, item), COUNT(DISTINCT item), COUNT(DISTINCT qty, price) FROM sales;
----
COUNT(DISTINCT region, item)	COUNT(DISTINCT item)	COUNT(DISTINCT qty, price)
3	2	5

SELECT region, COUNT(DISTINCT item, price) FROM sales GROUP BY region ORDER BY region;
----
region	COUNT(DISTINCT item, price)
east	2
north	0
west	2

CREATE TABLE cw (a INT, b INT, g INT);
----
OK 0

INSERT INTO cw VALUES (1, 2, 1), (3, 4, 1), (5, 6, 2);
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

# CASE x WHEN NULL can never match: MySQL folds it to its ELSE before the only_full_group_by check
# mariadb-differs: MySQL 8 folds CASE x WHEN NULL before its only_full_group_by check (sqllogictest's random/groupby, regenerated against MySQL 8, expects rows); MariaDB checks first: 1055
SELECT DISTINCT CASE a WHEN CAST(NULL AS SIGNED) THEN b ELSE NULL END AS c FROM cw GROUP BY g;
----
c
NULL

# mariadb-differs: MySQL 8 folds CASE x WHEN NULL before its only_full_group_by check (sqllogictest's random/groupby, regenerated against MySQL 8, expects rows); MariaDB checks first: 1055
SELECT CASE a WHEN NULL THEN b ELSE 7 END AS c FROM cw GROUP BY g ORDER BY g;
----
c
7
7

# GROUP BY a select alias of an expression (sysbench groupby_scan); GROUP BY searches FROM columns, then aliases
CREATE TABLE ga (id INT PRIMARY KEY, k INT, g INT);
----
OK 0

INSERT INTO ga VALUES (1, 1500, 7), (2, 2500, 7), (3, 2700, 8);
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

SELECT FLOOR(k / 1000) AS x, COUNT(*), MAX(id), AVG(k) FROM ga WHERE id > 0 GROUP BY x ORDER BY x;
----
x	COUNT(*)	MAX(id)	AVG(k)
1	1	1	1500.0000
2	2	3	2600.0000

SELECT FLOOR(k / 1000) AS x, COUNT(*) AS c FROM ga GROUP BY x HAVING c > 1 ORDER BY x DESC;
----
x	c
2	2

SELECT FLOOR(k / 1000) AS x, COUNT(*) FROM ga GROUP BY 1 ORDER BY 1 DESC;
----
x	COUNT(*)
2	2
1	1

# a FROM column named like the alias wins in GROUP BY: the select item is then not grouped
# mariadb-differs: MariaDB words 1055 as 'db.ga.k' isn't in GROUP BY
SELECT FLOOR(k / 1000) AS g, COUNT(*) FROM ga GROUP BY g ORDER BY g;
----
ERROR 1055 (42000): Expression #1 of SELECT list is not in GROUP BY clause and contains nonaggregated column 'db.ga.k' which is not functionally dependent on columns in GROUP BY clause; this is incompatible with sql_mode=only_full_group_by

SELECT g AS x, COUNT(*) FROM ga GROUP BY g ORDER BY x;
----
x	COUNT(*)
7	2
8	1

SELECT COUNT(*) AS c FROM ga GROUP BY c;
----
ERROR 1056 (42000): Can't group on 'c'

SELECT COUNT(*) FROM ga GROUP BY 1;
----
ERROR 1056 (42000): Can't group on 'COUNT(*)'

# mariadb-differs: MariaDB says in 'GROUP BY' where MySQL 8 says in 'group statement'
SELECT k FROM ga GROUP BY 2;
----
ERROR 1054 (42S22): Unknown column '2' in 'group statement'

SELECT k + 1 AS k2, COUNT(*) FROM ga GROUP BY k2 WITH ROLLUP;
----
k2	COUNT(*)
1501	1
2501	1
2701	1
NULL	3
