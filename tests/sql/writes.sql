# INSERT / UPDATE / DELETE: defaults, NOT NULL, coercion, auto-increment, affected rows.

CREATE TABLE t (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(5) NOT NULL, n INT DEFAULT 7, d DECIMAL(5,2), dt DATETIME);
----
OK 0

INSERT INTO t (v) VALUES ('a');
----
OK 1 last_insert_id=1

INSERT INTO t (v, n) VALUES ('b', 1), ('c', 2);
----
OK 2 last_insert_id=2 info=Records: 2  Duplicates: 0  Warnings: 0

SELECT LAST_INSERT_ID();
----
LAST_INSERT_ID()
2

# an explicit AUTO_INCREMENT value is the OK packet's id (mysql_insert_id()), but LAST_INSERT_ID() keeps the last generated one
INSERT INTO t (id, v) VALUES (10, 'd');
----
OK 1 last_insert_id=10

SELECT LAST_INSERT_ID();
----
LAST_INSERT_ID()
2

INSERT INTO t (v) VALUES ('e');
----
OK 1 last_insert_id=11

INSERT INTO t (id, v) VALUES (NULL, 'f'), (0, 'g');
----
OK 2 last_insert_id=12 info=Records: 2  Duplicates: 0  Warnings: 0

SELECT * FROM t;
----
id	v	n	d	dt
1	a	7	NULL	NULL
2	b	1	NULL	NULL
3	c	2	NULL	NULL
10	d	7	NULL	NULL
11	e	7	NULL	NULL
12	f	7	NULL	NULL
13	g	7	NULL	NULL

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
INSERT INTO t (id, v) VALUES (1, 'dup');
----
ERROR 1062 (23000): Duplicate entry '1' for key 't.PRIMARY'

INSERT INTO t (n) VALUES (1);
----
ERROR 1364 (HY000): Field 'v' doesn't have a default value

INSERT INTO t (v) VALUES (NULL);
----
ERROR 1048 (23000): Column 'v' cannot be null

INSERT INTO t (v) VALUES ('toolong');
----
ERROR 1406 (22001): Data too long for column 'v' at row 1

# mariadb-differs: MySQL 8's 1366/1292 name the column 'c' (1366 with SQLSTATE HY000); MariaDB names `db`.`t`.`c` and 1366 has 22007
INSERT INTO t (v, n) VALUES ('x', 'abc');
----
ERROR 1366 (HY000): Incorrect integer value: 'abc' for column 'n' at row 1

INSERT INTO t (v, n) VALUES ('x', 99999999999);
----
ERROR 1264 (22003): Out of range value for column 'n' at row 1

INSERT INTO t (v, d) VALUES ('x', 1234.5);
----
ERROR 1264 (22003): Out of range value for column 'd' at row 1

INSERT INTO t (v, n) VALUES ('x');
----
ERROR 1136 (21S01): Column count doesn't match value count at row 1

# mariadb-differs: MySQL 8 names the clause in 1054/1052 as 'field list' / 'where clause' / 'on clause' / 'order clause'; MariaDB 10.11.8+ says SELECT / WHERE / ON / ORDER BY / INSERT INTO / UPDATE
INSERT INTO t (v, nope) VALUES ('x', 1);
----
ERROR 1054 (42S22): Unknown column 'nope' in 'field list'

INSERT INTO t (v, d, dt) VALUES ('h', '3.14', '2024-01-02 03:04:05');
----
OK 1 last_insert_id=14

INSERT INTO t (v, n) VALUES ('i', DEFAULT);
----
OK 1 last_insert_id=15

SELECT id, v, n, d, dt FROM t WHERE id >= 13;
----
id	v	n	d	dt
13	g	7	NULL	NULL
14	h	7	3.14	2024-01-02 03:04:05
15	i	7	NULL	NULL

UPDATE t SET n = n + 1 WHERE id <= 3;
----
OK 3 info=Rows matched: 3  Changed: 3  Warnings: 0

UPDATE t SET n = 2 WHERE id = 3;
----
OK 1 info=Rows matched: 1  Changed: 1  Warnings: 0

UPDATE t SET n = 100 WHERE id = 999;
----
OK 0 info=Rows matched: 0  Changed: 0  Warnings: 0

UPDATE t SET v = NULL WHERE id = 1;
----
ERROR 1048 (23000): Column 'v' cannot be null

UPDATE t SET n = n * 2, d = n WHERE id = 1;
----
OK 1 info=Rows matched: 1  Changed: 1  Warnings: 0

SELECT id, n, d FROM t WHERE id = 1;
----
id	n	d
1	16	16.00

UPDATE t SET n = 0 ORDER BY id DESC LIMIT 2;
----
OK 2 info=Rows matched: 2  Changed: 2  Warnings: 0

SELECT id, n FROM t ORDER BY id;
----
id	n
1	16
2	2
3	2
10	7
11	7
12	7
13	7
14	0
15	0

DELETE FROM t WHERE id = 2;
----
OK 1

DELETE FROM t WHERE n = 0 ORDER BY id LIMIT 1;
----
OK 1

DELETE FROM t WHERE id > 1000;
----
OK 0

SELECT id FROM t ORDER BY id;
----
id
1
3
10
11
12
13
15

DELETE FROM t;
----
OK 7

SELECT COUNT(*) FROM t;
----
COUNT(*)
0

CREATE TABLE nopk (a INT, b VARCHAR(10));
----
OK 0

INSERT INTO nopk VALUES (1, 'x'), (1, 'x'), (2, NULL);
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

SELECT * FROM nopk ORDER BY a;
----
a	b
1	x
1	x
2	NULL

UPDATE nopk SET b = 'y' WHERE a = 1;
----
OK 2 info=Rows matched: 2  Changed: 2  Warnings: 0

DELETE FROM nopk WHERE b IS NULL;
----
OK 1

SELECT * FROM nopk;
----
a	b
1	y
1	y

# mariadb-differs: DESCRIBE: MySQL 8 prints integer types without display width (int, bigint); MariaDB int(11), bigint(20)
DESCRIBE nopk;
----
Field	Type	Null	Key	Default	Extra
a	int	YES		NULL	
b	varchar(10)	YES		NULL	

CREATE TABLE u (id INT PRIMARY KEY, email VARCHAR(50), UNIQUE KEY uq_email (email));
----
OK 0

INSERT INTO u VALUES (1, 'a@x'), (2, 'b@x');
----
OK 2 info=Records: 2  Duplicates: 0  Warnings: 0

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
INSERT INTO u VALUES (3, 'A@X');
----
ERROR 1062 (23000): Duplicate entry 'A@X' for key 'u.uq_email'

INSERT INTO u VALUES (3, NULL), (4, NULL);
----
OK 2 info=Records: 2  Duplicates: 0  Warnings: 0

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
UPDATE u SET email = 'b@x' WHERE id = 1;
----
ERROR 1062 (23000): Duplicate entry 'b@x' for key 'u.uq_email'

# mariadb-differs: 1062 names the key as `table.key` in MySQL 8 (t.PRIMARY), MariaDB just the key (PRIMARY)
INSERT INTO u VALUES (5, 'e@x'), (1, 'dup');
----
ERROR 1062 (23000): Duplicate entry '1' for key 'u.PRIMARY'

SELECT * FROM u ORDER BY id;
----
id	email
1	a@x
2	b@x
3	NULL
4	NULL

CREATE TABLE big (a BIGINT UNSIGNED PRIMARY KEY, b TINYINT);
----
OK 0

INSERT INTO big VALUES (18446744073709551615, 127);
----
OK 1

INSERT INTO big VALUES (1, 128);
----
ERROR 1264 (22003): Out of range value for column 'b' at row 1

INSERT INTO big VALUES (-1, 0);
----
ERROR 1264 (22003): Out of range value for column 'a' at row 1

SELECT a, b FROM big;
----
a	b
18446744073709551615	127

CREATE TABLE again (id INT AUTO_INCREMENT PRIMARY KEY, v INT);
----
OK 0

INSERT INTO again (v) VALUES (1), (2), (3);
----
OK 3 last_insert_id=1 info=Records: 3  Duplicates: 0  Warnings: 0

DROP TABLE again;
----
OK 0

CREATE TABLE again (id INT AUTO_INCREMENT PRIMARY KEY, v INT);
----
OK 0

INSERT INTO again (v) VALUES (10), (20);
----
OK 2 last_insert_id=1 info=Records: 2  Duplicates: 0  Warnings: 0

SELECT id, v FROM again ORDER BY id;
----
id	v
1	10
2	20

TRUNCATE TABLE again;
----
OK 0

INSERT INTO again (v) VALUES (30);
----
OK 1 last_insert_id=1

SELECT id, v FROM again;
----
id	v
1	30
