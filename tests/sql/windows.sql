# Window functions (sqlserver.engine.windows): ranking, offsets, values, aggregates OVER, frames, WINDOW.
# Checked against MariaDB 10.11.  Documented MySQL 8 / MariaDB differences (expectations are MySQL 8's):
# - a window function in WHERE: MySQL 3593, MariaDB 4015; an undefined window name: MySQL 3579,
#   MariaDB 4009; circular WINDOW definitions: MySQL 3580 (MariaDB reports 4018 for this statement).
# - LAG/LEAD's third argument (default value) is MySQL only (MariaDB: 1064).
# - CUME_DIST() doubles: MySQL prints 17 significant digits (0.6666666666666666), MariaDB 10 (0.6666666667).

CREATE TABLE s (id INT PRIMARY KEY, dept VARCHAR(5), pay INT);
----
OK 0

INSERT INTO s VALUES (1, 'a', 10), (2, 'a', 20), (3, 'a', 20), (4, 'b', 5), (5, 'b', NULL), (6, 'c', 7);
----
OK 6 info=Records: 6  Duplicates: 0  Warnings: 0

SELECT id, ROW_NUMBER() OVER (ORDER BY id DESC) AS rn FROM s ORDER BY id;
----
id	rn
1	6
2	5
3	4
4	3
5	2
6	1

SELECT id, dept, pay, RANK() OVER w AS r, DENSE_RANK() OVER w AS dr FROM s WINDOW w AS (PARTITION BY dept ORDER BY pay DESC) ORDER BY id;
----
id	dept	pay	r	dr
1	a	10	3	2
2	a	20	1	1
3	a	20	1	1
4	b	5	1	1
5	b	NULL	2	2
6	c	7	1	1

# mariadb-differs: PERCENT_RANK/CUME_DIST doubles: MySQL 8 prints shortest round-trip digits (0.6666666666666666); MariaDB a fixed 10 decimals (0.6666666667)
SELECT id, PERCENT_RANK() OVER (ORDER BY pay) AS pr, CUME_DIST() OVER (ORDER BY pay) AS cd FROM s ORDER BY id;
----
id	pr	cd
1	0.6	0.6666666666666666
2	0.8	1
3	0.8	1
4	0.2	0.3333333333333333
5	0	0.16666666666666666
6	0.4	0.5

SELECT id, NTILE(4) OVER (ORDER BY id) AS q FROM s ORDER BY id;
----
id	q
1	1
2	1
3	2
4	2
5	3
6	4

# mariadb-differs: LAG/LEAD's third argument (default value) is MySQL 8 only (MariaDB: 1064)
SELECT id, LAG(pay) OVER (ORDER BY id) AS prev, LEAD(pay, 2, -1) OVER (ORDER BY id) AS next2 FROM s ORDER BY id;
----
id	prev	next2
1	NULL	20
2	10	5
3	20	NULL
4	20	7
5	5	-1
6	NULL	-1

SELECT id, FIRST_VALUE(pay) OVER w AS f, LAST_VALUE(pay) OVER w AS l, NTH_VALUE(pay, 2) OVER w AS n2 FROM s WINDOW w AS (PARTITION BY dept ORDER BY id) ORDER BY id;
----
id	f	l	n2
1	10	10	NULL
2	10	20	20
3	10	20	20
4	5	5	NULL
5	5	NULL	NULL
6	7	7	NULL

SELECT id, LAST_VALUE(pay) OVER (PARTITION BY dept ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS l FROM s ORDER BY id;
----
id	l
1	20
2	20
3	20
4	NULL
5	NULL
6	7

SELECT id, SUM(pay) OVER (ORDER BY id) AS run, SUM(pay) OVER () AS total, COUNT(*) OVER (PARTITION BY dept) AS n, COUNT(pay) OVER (PARTITION BY dept) AS np FROM s ORDER BY id;
----
id	run	total	n	np
1	10	62	3	3
2	30	62	3	3
3	50	62	3	3
4	55	62	2	1
5	55	62	2	1
6	62	62	1	1

SELECT id, SUM(pay) OVER (ORDER BY pay) AS peers FROM s ORDER BY id;
----
id	peers
1	22
2	62
3	62
4	5
5	NULL
6	12

SELECT id, AVG(pay) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS mov, MIN(pay) OVER (ORDER BY id ROWS 2 PRECEDING) AS mn, MAX(pay) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS mx FROM s ORDER BY id;
----
id	mov	mn	mx
1	15.0000	10	20
2	16.6667	10	20
3	15.0000	10	20
4	12.5000	5	5
5	6.0000	5	7
6	7.0000	5	7

SELECT id, pay, SUM(pay) OVER (ORDER BY pay RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING) AS near FROM s ORDER BY id;
----
id	pay	near
1	10	22
2	20	40
3	20	40
4	5	22
5	NULL	NULL
6	7	22

SELECT dept, SUM(pay) AS s, RANK() OVER (ORDER BY SUM(pay) DESC) AS r, SUM(SUM(pay)) OVER () AS t FROM s GROUP BY dept ORDER BY dept;
----
dept	s	r	t
a	50	1	62
b	5	3	62
c	7	2	62

SELECT id, ROW_NUMBER() OVER (PARTITION BY dept ORDER BY id) AS rn FROM s ORDER BY rn DESC, id;
----
id	rn
3	3
2	2
5	2
1	1
4	1
6	1

SELECT * FROM (SELECT id, dept, ROW_NUMBER() OVER (PARTITION BY dept ORDER BY pay DESC, id) AS rn FROM s) t WHERE rn = 1 ORDER BY dept;
----
id	dept	rn
2	a	1
4	b	1
6	c	1

# mariadb-differs: LAG/LEAD's third argument (default value) is MySQL 8 only (MariaDB: 1064)
SELECT id, pay - LAG(pay, 1, 0) OVER (ORDER BY id) AS delta FROM s ORDER BY id;
----
id	delta
1	10
2	10
3	0
4	-15
5	NULL
6	NULL

# mariadb-differs: a window function in WHERE: MySQL 8 3593; MariaDB 4015
SELECT id FROM s WHERE ROW_NUMBER() OVER (ORDER BY id) = 1;
----
ERROR 3593 (HY000): You cannot use the window function 'row_number' in this context.'

# mariadb-differs: an undefined window name: MySQL 8 3579; MariaDB 4009
SELECT id, RANK() OVER w FROM s;
----
ERROR 3579 (HY000): Window name 'w' is not defined.

# mariadb-differs: circular WINDOW definitions: MySQL 8 3580; MariaDB reports 4018 for this statement
SELECT id, RANK() OVER w1 FROM s WINDOW w1 AS (w2), w2 AS (w1);
----
ERROR 3580 (HY000): There is a circularity in the window dependency graph.
