# FLOAT is single precision (IEEE 754 binary32), DOUBLE double precision: a FLOAT column stores the nearest
# float32 of the value, so it prints as the shortest text that reads back as that float32 (0.1), but compares
# and computes with its exact value (0.10000000149011612), which is why `f = 0.1` finds nothing -- the classic
# MySQL FAQ "Problems with Floating-Point Values".  MariaDB 10.11 answers the same.

CREATE TABLE fl (id INT PRIMARY KEY, f FLOAT, d DOUBLE);
----
OK 0

INSERT INTO fl (id, f, d) VALUES (1, 0.1, 0.1), (2, 1.5, 1.5), (3, 3.14159, 3.14159), (4, -2.25, -2.25);
----
OK 4 info=Records: 4  Duplicates: 0  Warnings: 0

SELECT id, f, d FROM fl ORDER BY id;
----
id	f	d
1	0.1	0.1
2	1.5	1.5
3	3.14159	3.14159
4	-2.25	-2.25

SELECT id FROM fl WHERE f = 0.1;
----
id

SELECT id FROM fl WHERE d = 0.1;
----
id
1

SELECT id FROM fl WHERE f = 1.5;
----
id
2

SELECT f + 0 FROM fl WHERE id = 1;
----
f + 0
0.10000000149011612

SELECT id FROM fl WHERE f < 0.1 ORDER BY id;
----
id
4

INSERT INTO fl (id, f) VALUES (5, 1e39);
----
ERROR 1264 (22003): Out of range value for column 'f' at row 1

INSERT INTO fl (id, f) VALUES (5, -1e39);
----
ERROR 1264 (22003): Out of range value for column 'f' at row 1

INSERT INTO fl (id, d) VALUES (5, 1e39);
----
OK 1

UPDATE fl SET f = 0.2 WHERE id = 1;
----
OK 1 info=Rows matched: 1  Changed: 1  Warnings: 0

SELECT f, f = 0.2, f + 0 FROM fl WHERE id = 1;
----
f	f = 0.2	f + 0
0.2	0	0.20000000298023224

SET sql_mode = '';
----
OK 0

INSERT INTO fl (id, f) VALUES (7, 1e39);
----
OK 1 warnings=1

SHOW WARNINGS;
----
Level	Code	Message
Warning	1264	Out of range value for column 'f' at row 1

SELECT f FROM fl WHERE id = 7;
----
f
3.40282e38

SET sql_mode = DEFAULT;
----
OK 0

# mariadb-differs: MariaDB has no CAST(... AS REAL) (MySQL 8.0.17+ has FLOAT, DOUBLE and REAL)
SELECT CAST(0.1 AS FLOAT), CAST(0.1 AS FLOAT) + 0, CAST(0.1 AS DOUBLE) + 0, CAST(0.1 AS REAL) + 0;
----
CAST(0.1 AS FLOAT)	CAST(0.1 AS FLOAT) + 0	CAST(0.1 AS DOUBLE) + 0	CAST(0.1 AS REAL) + 0
0.1	0.10000000149011612	0.1	0.1

CREATE TABLE r (id INT PRIMARY KEY, x REAL);
----
OK 0

INSERT INTO r VALUES (1, 0.1);
----
OK 1

SELECT id FROM r WHERE x = 0.1;
----
id
1
