# SELECT: expressions, names, WHERE, ORDER BY, LIMIT, aggregates, point gets.

CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20), score DECIMAL(6,2), k INT NOT NULL DEFAULT 0);
----
OK 0

INSERT INTO t VALUES (1, 'alice', 10.50, 3), (2, 'Bob', NULL, 1), (3, 'carol', 7.25, 3), (4, NULL, 2.00, 2), (5, 'dave', 9.99, 1);
----
OK 5 info=Records: 5  Duplicates: 0  Warnings: 0

SELECT 1+1, 'abc', 1/3, 5 DIV 2, 7 % 3, -4, 2.5 * 2, 1e3;
----
1+1	abc	1/3	5 DIV 2	7 % 3	-4	2.5 * 2	1e3
2	abc	0.3333	2	1	-4	5.0	1000

SELECT NULL, NULL + 1, NULL = NULL, NULL <=> NULL, 1 = 1, 1 < 0;
----
NULL	NULL + 1	NULL = NULL	NULL <=> NULL	1 = 1	1 < 0
NULL	NULL	NULL	1	1	0

SELECT 'a' = 'A', 'abc' < 'abd', '10' = 10, '10abc' = 10, 1 AND NULL, 0 AND NULL, 1 OR NULL, 0 OR NULL, NOT NULL;
----
'a' = 'A'	'abc' < 'abd'	'10' = 10	'10abc' = 10	1 AND NULL	0 AND NULL	1 OR NULL	0 OR NULL	NOT NULL
1	1	1	1	NULL	0	1	NULL	NULL

SELECT * FROM t;
----
id	name	score	k
1	alice	10.50	3
2	Bob	NULL	1
3	carol	7.25	3
4	NULL	2.00	2
5	dave	9.99	1

SELECT id, name AS n FROM t WHERE id = 3;
----
id	n
3	carol

SELECT id FROM t WHERE id = '2';
----
id
2

SELECT id FROM t WHERE id = 2.5;
----
id

SELECT id, name FROM t WHERE id > 2 AND id <= 4;
----
id	name
3	carol
4	NULL

SELECT id FROM t WHERE id BETWEEN 2 AND 4 ORDER BY id DESC;
----
id
4
3
2

SELECT id FROM t WHERE id IN (1, 3, 9);
----
id
1
3

SELECT id FROM t WHERE name IS NULL;
----
id
4

SELECT id FROM t WHERE score IS NOT NULL AND k = 3;
----
id
1
3

SELECT id, name FROM t WHERE name LIKE 'b%';
----
id	name
2	Bob

SELECT id, name FROM t WHERE name LIKE '_a%' ORDER BY name;
----
id	name
3	carol
5	dave

SELECT id, name FROM t WHERE NOT (k = 3) ORDER BY id;
----
id	name
2	Bob
4	NULL
5	dave

SELECT name, score FROM t ORDER BY score;
----
name	score
Bob	NULL
NULL	2.00
carol	7.25
dave	9.99
alice	10.50

SELECT name, score FROM t ORDER BY score DESC;
----
name	score
alice	10.50
dave	9.99
carol	7.25
NULL	2.00
Bob	NULL

SELECT id, k FROM t ORDER BY k DESC, id;
----
id	k
1	3
3	3
4	2
2	1
5	1

SELECT id, k * 10 AS x FROM t ORDER BY x, id DESC;
----
id	x
5	10
2	10
4	20
3	30
1	30

SELECT id, name FROM t ORDER BY 2;
----
id	name
4	NULL
1	alice
2	Bob
3	carol
5	dave

# mariadb-differs: MySQL 8 names the clause in 1054/1052 as 'field list' / 'where clause' / 'on clause' / 'order clause'; MariaDB 10.11.8+ says SELECT / WHERE / ON / ORDER BY / INSERT INTO / UPDATE
SELECT id FROM t ORDER BY 3;
----
ERROR 1054 (42S22): Unknown column '3' in 'order clause'

SELECT id FROM t ORDER BY id LIMIT 2;
----
id
1
2

SELECT id FROM t ORDER BY id LIMIT 2 OFFSET 3;
----
id
4
5

SELECT id FROM t ORDER BY id LIMIT 1, 2;
----
id
2
3

SELECT id FROM t ORDER BY id DESC LIMIT 1;
----
id
5

SELECT COUNT(*), COUNT(name), COUNT(score), SUM(score), MIN(name), MAX(name), AVG(k) FROM t;
----
COUNT(*)	COUNT(name)	COUNT(score)	SUM(score)	MIN(name)	MAX(name)	AVG(k)
5	4	4	29.74	alice	dave	2.0000

SELECT count(*) FROM t WHERE id > 100;
----
count(*)
0

SELECT SUM(k), MAX(score), AVG(score) FROM t WHERE id > 100;
----
SUM(k)	MAX(score)	AVG(score)
NULL	NULL	NULL

SELECT COUNT(DISTINCT k) FROM t;
----
COUNT(DISTINCT k)
3

SELECT k, COUNT(*) FROM t GROUP BY k ORDER BY k;
----
k	COUNT(*)
1	2
2	1
3	2

SELECT k, SUM(score) AS s FROM t GROUP BY k HAVING s > 5 ORDER BY s;
----
k	s
1	9.99
3	17.75

SELECT DISTINCT k FROM t ORDER BY k;
----
k
1
2
3

# mariadb-differs: 1140 reads "In aggregated query without GROUP BY, expression #1 of SELECT list contains nonaggregated column ..." in MySQL 8; MariaDB "Mixing of GROUP columns ..."
SELECT id, COUNT(*) FROM t;
----
ERROR 1140 (42000): In aggregated query without GROUP BY, expression #1 of SELECT list contains nonaggregated column 'db.t.id'; this is incompatible with sql_mode=only_full_group_by

# mariadb-differs: MySQL 8 names the clause in 1054/1052 as 'field list' / 'where clause' / 'on clause' / 'order clause'; MariaDB 10.11.8+ says SELECT / WHERE / ON / ORDER BY / INSERT INTO / UPDATE
SELECT nope FROM t;
----
ERROR 1054 (42S22): Unknown column 'nope' in 'field list'

# mariadb-differs: MySQL 8 names the clause in 1054/1052 as 'field list' / 'where clause' / 'on clause' / 'order clause'; MariaDB 10.11.8+ says SELECT / WHERE / ON / ORDER BY / INSERT INTO / UPDATE
SELECT id FROM t WHERE nope = 1;
----
ERROR 1054 (42S22): Unknown column 'nope' in 'where clause'

SELECT * FROM missing;
----
ERROR 1146 (42S02): Table 'db.missing' doesn't exist

SELECT t.id, t.name FROM t WHERE t.id = 1;
----
id	name
1	alice

SELECT x.id FROM t AS x WHERE x.id = 5;
----
id
5

SELECT id + 0.5, score * 2, k / 2 FROM t WHERE id = 1;
----
id + 0.5	score * 2	k / 2
1.5	21.00	1.5000

SELECT CONCAT(name, '-', id), UPPER(name), LENGTH(name), COALESCE(name, score), IFNULL(name, 'none') FROM t ORDER BY id;
----
CONCAT(name, '-', id)	UPPER(name)	LENGTH(name)	COALESCE(name, score)	IFNULL(name, 'none')
alice-1	ALICE	5	alice	alice
Bob-2	BOB	3	Bob	Bob
carol-3	CAROL	5	carol	carol
NULL	NULL	NULL	2.00	none
dave-5	DAVE	4	dave	dave

SELECT CASE WHEN k > 2 THEN 'high' WHEN k > 1 THEN 'mid' ELSE 'low' END AS band FROM t ORDER BY id;
----
band
high
low
high
mid
low

SELECT IF(k = 1, 'one', 'other') FROM t WHERE id = 2;
----
IF(k = 1, 'one', 'other')
one

# mariadb-differs: 1690 prints the expression with outer parentheses in MySQL 8 ('(a + 1)'); MariaDB omits them
SELECT 9223372036854775807 + 1;
----
ERROR 1690 (22003): BIGINT value is out of range in '(9223372036854775807 + 1)'

SELECT 1 / 0, 5 % 0;
----
1 / 0	5 % 0
NULL	NULL

SHOW WARNINGS;
----
Level	Code	Message
Warning	1365	Division by 0
Warning	1365	Division by 0

SELECT DATABASE(), 1 FROM DUAL;
----
DATABASE()	1
db	1

# HAVING names: a select alias wins over a FROM column of the same name, unless that column is grouped;
# an aggregate's argument always reads the FROM column.
CREATE TABLE hv (col0 INT, col1 INT, col2 INT);
----
OK 0

INSERT INTO hv VALUES (1, 2, 3), (1, NULL, 4), (5, 6, 7);
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

SELECT col0 AS col1 FROM hv GROUP BY col0 HAVING col1 > 1;
----
col1
5

SELECT COUNT(*) AS col1 FROM hv GROUP BY col1 HAVING col1 > 1 ORDER BY 1;
----
col1
1
1

SELECT col0 AS col2 FROM hv GROUP BY col0 HAVING MAX(col2) > 3 ORDER BY 1;
----
col2
1
5
