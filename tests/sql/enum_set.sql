# ENUM and SET columns (https://dev.mysql.com/doc/refman/8.0/en/enum.html, set.html): stored as the
# member index / bitmask, read as the member text; numeric context gives the number, ORDER BY sorts by it.

CREATE TABLE e (id INT PRIMARY KEY, en ENUM('b','a','c  ') NOT NULL, st SET('x','y','z'), KEY ken (en));
----
OK 0

INSERT INTO e VALUES (1, 'a', 'z,x,z'), (2, 'B', ''), (3, 3, 5), (4, 'c', 'y,z'), (5, '1', NULL);
----
OK 5 info=Records: 5  Duplicates: 0  Warnings: 0

SELECT id, en, st, en + 0, st + 0, LENGTH(en), CONCAT(en, '|', st) FROM e ORDER BY id;
----
id	en	st	en + 0	st + 0	LENGTH(en)	CONCAT(en, '|', st)
1	a	x,z	2	5	1	a|x,z
2	b		1	0	1	b|
3	c	x,z	3	5	1	c|x,z
4	c	y,z	3	6	1	c|y,z
5	b	NULL	1	NULL	1	NULL

SELECT id, en FROM e ORDER BY en, id;
----
id	en
2	b
5	b
1	a
3	c
4	c

SELECT id, st FROM e ORDER BY st DESC, id;
----
id	st
4	y,z
1	x,z
3	x,z
2	
5	NULL

SELECT id FROM e WHERE en = 'A';
----
id
1

SELECT id FROM e WHERE en = 2;
----
id
1

SELECT id FROM e WHERE en = '2';
----
id

SELECT id FROM e WHERE en > 'a' ORDER BY id;
----
id
2
3
4
5

SELECT id FROM e WHERE en > 1 ORDER BY id;
----
id
1
3
4

SELECT id FROM e WHERE en IN ('c', 'zz') ORDER BY id;
----
id
3
4

# FIND_IN_SET(constant, set_column) is MySQL's bit-test shortcut: the constant's position among the declared
# members (z is the third of ('x','y','z')), not its position in the row's text 'x,z'
SELECT id, FIND_IN_SET('z', st) FROM e ORDER BY id;
----
id	FIND_IN_SET('z', st)
1	3
2	0
3	3
4	3
5	NULL

SELECT id, FIND_IN_SET('z', CONCAT(st, '')) FROM e WHERE id = 1;
----
id	FIND_IN_SET('z', CONCAT(st, ''))
1	2

SELECT id FROM e WHERE st = 'x,z' ORDER BY id;
----
id
1
3

SELECT id FROM e WHERE st = 6;
----
id
4

# mariadb-differs: MySQL 8 compares ENUM/SET values by their text in MIN()/MAX() (documented, unlike ORDER BY); MariaDB by member position
SELECT SUM(en), SUM(st), MAX(en), MIN(en) FROM e;
----
SUM(en)	SUM(st)	MAX(en)	MIN(en)
10	16	c	a

INSERT INTO e VALUES (6, 'd', '');
----
ERROR 1265 (01000): Data truncated for column 'en' at row 1

INSERT INTO e VALUES (6, 0, '');
----
ERROR 1265 (01000): Data truncated for column 'en' at row 1

INSERT INTO e VALUES (6, 4, '');
----
ERROR 1265 (01000): Data truncated for column 'en' at row 1

INSERT INTO e VALUES (6, 'a', 'x,w');
----
ERROR 1265 (01000): Data truncated for column 'st' at row 1

INSERT INTO e VALUES (6, 'a', 8);
----
ERROR 1265 (01000): Data truncated for column 'st' at row 1

# strict mode: a NOT NULL ENUM without DEFAULT has no default (the first member is only the implicit one)
# mariadb-differs: MySQL 8 in strict mode refuses an INSERT that omits a NOT NULL ENUM without an explicit DEFAULT (1364); MariaDB stores the first member
INSERT INTO e (id) VALUES (6);
----
ERROR 1364 (HY000): Field 'en' doesn't have a default value

# mariadb-differs: MariaDB already stored row 6 at the previous statement (it took the first member)
INSERT INTO e (id, en) VALUES (6, 'B');
----
OK 1

SELECT en, st FROM e WHERE id = 6;
----
en	st
b	NULL

UPDATE e SET en = 'c  ', st = 'Y' WHERE id = 6;
----
OK 1 info=Rows matched: 1  Changed: 1  Warnings: 0

# mariadb-differs: MySQL 8's utf8mb4_0900_ai_ci is NO PAD ('c' <> 'c  '); MariaDB's default collation is PAD SPACE
SELECT en, st, en = 'c', en = 'c  ' FROM e WHERE id = 6;
----
en	st	en = 'c'	en = 'c  '
c	y	1	0

SET sql_mode = '';
----
OK 0

INSERT INTO e VALUES (7, 'nope', 'x,nope'), (8, 9, 12);
----
OK 2 warnings=4 info=Records: 2  Duplicates: 0  Warnings: 4

SHOW WARNINGS;
----
Level	Code	Message
Warning	1265	Data truncated for column 'en' at row 1
Warning	1265	Data truncated for column 'st' at row 1
Warning	1265	Data truncated for column 'en' at row 2
Warning	1265	Data truncated for column 'st' at row 2

# mariadb-differs: MySQL 8 downgrades the missing NOT NULL ENUM value to warning 1364 under INSERT IGNORE; MariaDB uses the first member silently
INSERT IGNORE INTO e (id) VALUES (9);
----
OK 1 warnings=1

SELECT id, en, en + 0, st, st + 0 FROM e WHERE id >= 7 ORDER BY id;
----
id	en	en + 0	st	st + 0
7		0	x	1
8		0	z	4
9	b	1	NULL	NULL

SELECT id FROM e WHERE en = '' ORDER BY id;
----
id
7
8

SELECT id FROM e WHERE en = 0 ORDER BY id;
----
id
7
8

DELETE FROM e WHERE id >= 7;
----
OK 3

SET sql_mode = DEFAULT;
----
OK 0

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width and utf8mb4_0900_ai_ci; MariaDB int(11) and its own collation
SHOW CREATE TABLE e;
----
Table	Create Table
e	CREATE TABLE `e` (\n  `id` int NOT NULL,\n  `en` enum('b','a','c') NOT NULL,\n  `st` set('x','y','z') DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `ken` (`en`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

CREATE TABLE d (id INT PRIMARY KEY, en ENUM('x','y') DEFAULT 'y', st SET('p','q') NOT NULL DEFAULT 'q,p');
----
OK 0

INSERT INTO d (id) VALUES (1);
----
OK 1

SELECT en, st FROM d;
----
en	st
y	p,q

CREATE TABLE bad (en ENUM('x','y') DEFAULT 'z');
----
ERROR 1067 (42000): Invalid default value for 'en'

CREATE TABLE u (en ENUM('lo','mid','hi') PRIMARY KEY, n INT);
----
OK 0

INSERT INTO u VALUES ('hi', 3), ('lo', 1), ('MID', 2);
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

SELECT en, n FROM u;
----
en	n
lo	1
mid	2
hi	3

SELECT n FROM u WHERE en = 'Hi';
----
n
3

# mariadb-differs: MySQL 8 names the key u.PRIMARY in 1062, MariaDB PRIMARY
INSERT INTO u VALUES (2, 9);
----
ERROR 1062 (23000): Duplicate entry 'mid' for key 'u.PRIMARY'

ALTER TABLE u MODIFY en ENUM('lo','mid','hi','max');
----
OK 0 info=Records: 0  Duplicates: 0  Warnings: 0

SELECT en, n FROM u WHERE en = 'mid';
----
en	n
mid	2

ALTER TABLE u MODIFY en VARCHAR(10);
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

SELECT en, n FROM u ORDER BY en;
----
en	n
hi	3
lo	1
mid	2

ALTER TABLE u MODIFY en ENUM('mid','lo','hi');
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

SELECT en, en + 0 FROM u ORDER BY en;
----
en	en + 0
mid	1
lo	2
hi	3

# point lookups through an index on ENUM / SET columns: the constant becomes the stored number
CREATE TABLE k (id INT PRIMARY KEY, en ENUM('b','a','c') NOT NULL, st SET('x','y','z'), KEY ken (en), KEY kst (st));
----
OK 0

INSERT INTO k VALUES (1, 'a', 'z,x'), (2, 'b', ''), (3, 'c', 'x,z'), (4, 'c', 'y,z'), (5, 'b', NULL);
----
OK 5 info=Records: 5  Duplicates: 0  Warnings: 0

# grove-only: EXPLAIN output is Grove's own
EXPLAIN SELECT id FROM k WHERE en = 'a';
----
plan
Project `k`.`id`
  Filter (`k`.`en` = 'a')
    Scan k index ken range ['a' .. 'a']

SELECT id FROM k WHERE en = 'a';
----
id
1

# mariadb-differs: MySQL 8's utf8mb4_0900_ai_ci is NO PAD (trailing spaces count); MariaDB's default collation is PAD SPACE
SELECT id FROM k WHERE en = 'A ';
----
id

SELECT id FROM k WHERE en = 2.0;
----
id
1

SELECT id FROM k WHERE en = 2.5;
----
id

SELECT id FROM k WHERE en IN ('c', 'zz', 1) ORDER BY id;
----
id
2
3
4
5

SELECT id FROM k WHERE st = 'z,x';
----
id

SELECT id FROM k WHERE st = 5 ORDER BY id;
----
id
1
3

SELECT id, en FROM k FORCE INDEX (ken) ORDER BY en, id;
----
id	en
2	b
5	b
1	a
3	c
4	c

SELECT en, COUNT(*) FROM k GROUP BY en ORDER BY en;
----
en	COUNT(*)
b	2
a	1
c	2

SELECT a.id, b.id FROM k a JOIN k b ON a.en = b.en AND a.id < b.id ORDER BY a.id;
----
id	id
2	5
3	4
