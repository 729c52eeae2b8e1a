# Joins: comma, [INNER] JOIN ON/USING, CROSS, LEFT/RIGHT [OUTER], NATURAL, STRAIGHT_JOIN, aliases, name errors.
# Checked against MariaDB 10.11 (no differences from MySQL 8 here).

CREATE TABLE emp (id INT PRIMARY KEY, name VARCHAR(20), dept INT, boss INT);
----
OK 0

CREATE TABLE dept (id INT PRIMARY KEY, title VARCHAR(20));
----
OK 0

INSERT INTO emp VALUES (1, 'ann', 10, NULL), (2, 'bob', 10, 1), (3, 'cat', 20, 1), (4, 'dan', NULL, 2), (5, 'eve', 30, 3);
----
OK 5 info=Records: 5  Duplicates: 0  Warnings: 0

INSERT INTO dept VALUES (10, 'eng'), (20, 'ops'), (40, 'law');
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

SELECT emp.name, dept.title FROM emp, dept WHERE emp.dept = dept.id ORDER BY emp.id;
----
name	title
ann	eng
bob	eng
cat	ops

SELECT e.name, d.title FROM emp AS e INNER JOIN dept d ON e.dept = d.id AND d.title <> 'ops' ORDER BY e.name;
----
name	title
ann	eng
bob	eng

SELECT e.name, d.title FROM emp e LEFT JOIN dept d ON e.dept = d.id ORDER BY e.id;
----
name	title
ann	eng
bob	eng
cat	ops
dan	NULL
eve	NULL

SELECT e.name, d.title FROM emp e LEFT OUTER JOIN dept d ON e.dept = d.id WHERE d.id IS NULL ORDER BY e.id;
----
name	title
dan	NULL
eve	NULL

SELECT e.name, d.title FROM emp e LEFT JOIN dept d ON e.dept = d.id AND e.id > 2 ORDER BY e.id;
----
name	title
ann	NULL
bob	NULL
cat	ops
dan	NULL
eve	NULL

SELECT e.name, d.title FROM emp e RIGHT JOIN dept d ON e.dept = d.id ORDER BY d.id, e.id;
----
name	title
ann	eng
bob	eng
cat	ops
NULL	law

SELECT * FROM emp CROSS JOIN dept WHERE emp.id = 1 ORDER BY dept.id;
----
id	name	dept	boss	id	title
1	ann	10	NULL	10	eng
1	ann	10	NULL	20	ops
1	ann	10	NULL	40	law

SELECT COUNT(*) FROM emp, dept;
----
COUNT(*)
15

SELECT e.name, b.name AS boss FROM emp e JOIN emp b ON e.boss = b.id ORDER BY e.id;
----
name	boss
bob	ann
cat	ann
dan	bob
eve	cat

SELECT e.name, b.name, d.title FROM emp e JOIN emp b ON e.boss = b.id LEFT JOIN dept d ON d.id = b.dept ORDER BY e.id;
----
name	name	title
bob	ann	eng
cat	ann	eng
dan	bob	eng
eve	cat	ops

CREATE TABLE a (k INT PRIMARY KEY, x VARCHAR(5));
----
OK 0

CREATE TABLE b (k INT PRIMARY KEY, y VARCHAR(5));
----
OK 0

INSERT INTO a VALUES (1, 'a1'), (2, 'a2'), (3, 'a3');
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

INSERT INTO b VALUES (2, 'b2'), (3, 'b3'), (4, 'b4');
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

SELECT * FROM a JOIN b USING (k) ORDER BY k;
----
k	x	y
2	a2	b2
3	a3	b3

SELECT * FROM a NATURAL JOIN b ORDER BY k;
----
k	x	y
2	a2	b2
3	a3	b3

SELECT * FROM a LEFT JOIN b USING (k) ORDER BY k;
----
k	x	y
1	a1	NULL
2	a2	b2
3	a3	b3

SELECT * FROM a RIGHT JOIN b USING (k) ORDER BY k;
----
k	y	x
2	b2	a2
3	b3	a3
4	b4	NULL

SELECT k, a.k, b.k FROM a LEFT JOIN b USING (k) ORDER BY 1;
----
k	k	k
1	1	NULL
2	2	2
3	3	3

SELECT a.*, b.y FROM a STRAIGHT_JOIN b ON a.k = b.k ORDER BY a.k;
----
k	x	y
2	a2	b2
3	a3	b3

SELECT STRAIGHT_JOIN a.x, b.y FROM b, a WHERE a.k = b.k ORDER BY a.x;
----
x	y
a2	b2
a3	b3

SELECT a.x, b.y FROM (a JOIN b ON a.k = b.k) ORDER BY 1;
----
x	y
a2	b2
a3	b3

SELECT a.x, b.y, c.x FROM a JOIN b ON a.k = b.k JOIN a AS c ON c.k = b.k - 1 ORDER BY 1;
----
x	y	x
a2	b2	a1
a3	b3	a2

SELECT d.title, COUNT(e.id) AS n FROM dept d LEFT JOIN emp e ON e.dept = d.id GROUP BY d.title ORDER BY n DESC, d.title;
----
title	n
eng	2
ops	1
law	0

SELECT d.title, COUNT(*) FROM dept d JOIN emp e ON e.dept = d.id GROUP BY d.id, d.title HAVING COUNT(*) > 1;
----
title	COUNT(*)
eng	2

SELECT DISTINCT d.title FROM emp e JOIN dept d ON e.dept = d.id ORDER BY d.title DESC LIMIT 1;
----
title
ops

SELECT a.k, b.k FROM a, b WHERE a.k < b.k AND b.k < 4 ORDER BY a.k, b.k;
----
k	k
1	2
1	3
2	3

SELECT a.x FROM a JOIN b ON a.x = 'a2' AND b.y = 'b4';
----
x
a2

# mariadb-differs: MySQL 8 names the clause in 1054/1052 as 'field list' / 'where clause' / 'on clause' / 'order clause'; MariaDB 10.11.8+ says SELECT / WHERE / ON / ORDER BY / INSERT INTO / UPDATE
SELECT k FROM a, b;
----
ERROR 1052 (23000): Column 'k' in field list is ambiguous

# mariadb-differs: MySQL 8 names the clause in 1054/1052 as 'field list' / 'where clause' / 'on clause' / 'order clause'; MariaDB 10.11.8+ says SELECT / WHERE / ON / ORDER BY / INSERT INTO / UPDATE
SELECT a.k FROM a, b WHERE k = 1;
----
ERROR 1052 (23000): Column 'k' in where clause is ambiguous

# mariadb-differs: MySQL 8 names the clause in 1054/1052 as 'field list' / 'where clause' / 'on clause' / 'order clause'; MariaDB 10.11.8+ says SELECT / WHERE / ON / ORDER BY / INSERT INTO / UPDATE
SELECT * FROM a JOIN b ON a.nope = b.k;
----
ERROR 1054 (42S22): Unknown column 'a.nope' in 'on clause'

# mariadb-differs: MySQL 8 names the clause in 1054/1052 as 'field list' / 'where clause' / 'on clause' / 'order clause'; MariaDB 10.11.8+ says SELECT / WHERE / ON / ORDER BY / INSERT INTO / UPDATE
SELECT c.k FROM a, b;
----
ERROR 1054 (42S22): Unknown column 'c.k' in 'field list'

SELECT * FROM a, a;
----
ERROR 1066 (42000): Not unique table/alias: 'a'

# mariadb-differs: an unknown table in tbl.*: MySQL 8 1051 "Unknown table 'c'"; MariaDB qualifies it ('db.c')
SELECT c.* FROM a, b;
----
ERROR 1051 (42S02): Unknown table 'c'
