# Collations: utf8mb4_0900_ai_ci (MySQL 8's default: UCA 9.0.0 primary weights, accent- and
# case-insensitive, NO PAD), utf8mb4_0900_as_cs (accent- and case-sensitive), utf8mb4_bin (code
# points, PAD SPACE). Expectations are MySQL 8's documented results (Unicode Collation Algorithm;
# "The utf8mb4 Character Set" / "Collation Pad Attributes" in the MySQL 8 manual): 'ß' = 'ss' and
# 'Å' = 'A' = 'a' under ai_ci, lowercase before uppercase at equal letters under as_cs.
# MariaDB 10.11 has no utf8mb4_0900_* collations and a different default (utf8mb4_general_ci, PAD
# SPACE, 'ß' = 's'), so most of this file differs there.

CREATE TABLE w (id INT PRIMARY KEY, name VARCHAR(20));
----
OK 0

INSERT INTO w VALUES (1, 'a'), (2, 'A'), (3, 'á'), (4, 'Å'), (5, 'b'), (6, 'ß'), (7, 'ss'), (8, 'Ss'), (9, 'z'), (10, 'Z');
----
OK 10 info=Records: 10  Duplicates: 0  Warnings: 0

# mariadb-differs: MariaDB 10.11 has no utf8mb4_0900_ai_ci (ERROR 1273 Unknown collation)
SELECT 'ß' = 'ss' COLLATE utf8mb4_0900_ai_ci AS sharp_s, 'Å' = 'a' COLLATE utf8mb4_0900_ai_ci AS ring, 'A' = 'a' COLLATE utf8mb4_0900_ai_ci AS cased;
----
sharp_s	ring	cased
1	1	1

# mariadb-differs: MariaDB 10.11 has no utf8mb4_0900_as_cs (ERROR 1273 Unknown collation)
SELECT 'ß' = 'ss' COLLATE utf8mb4_0900_as_cs AS sharp_s, 'Å' = 'A' COLLATE utf8mb4_0900_as_cs AS ring, 'a' < 'A' COLLATE utf8mb4_0900_as_cs AS lower_first;
----
sharp_s	ring	lower_first
0	0	1

# mariadb-differs: MariaDB 10.11 has no utf8mb4_0900_ai_ci (ERROR 1273 Unknown collation)
SELECT 'a' = 'a ' COLLATE utf8mb4_0900_ai_ci AS no_pad, 'a' = 'a ' COLLATE utf8mb4_bin AS pad_space;
----
no_pad	pad_space
0	1

# mariadb-differs: MariaDB's default utf8mb4_general_ci weighs 'ß' as 's', so it groups with neither 'ss' nor 'b'; MySQL 8's ai_ci puts 'ß' with 'ss'
SELECT GROUP_CONCAT(id ORDER BY id) AS ids, COUNT(*) AS n FROM w GROUP BY name ORDER BY MIN(id);
----
ids	n
1,2,3,4	4
5	1
6,7,8	3
9,10	2

# Under as_cs accents (level 2) outrank case (level 3): a < A < á < Å, and 'ß' (an ss with a secondary
# mark) sorts after 'ss' and 'Ss'.
# mariadb-differs: MariaDB 10.11 has no utf8mb4_0900_as_cs (ERROR 1273 Unknown collation)
SELECT GROUP_CONCAT(id ORDER BY id) AS ids FROM w GROUP BY name COLLATE utf8mb4_0900_as_cs ORDER BY MIN(name COLLATE utf8mb4_0900_as_cs), MIN(id);
----
ids
1
2
3
4
5
7
8
6
9
10

SELECT id, name FROM w ORDER BY name, id;
----
id	name
1	a
2	A
3	á
4	Å
5	b
6	ß
7	ss
8	Ss
9	z
10	Z

SELECT id, name FROM w ORDER BY name COLLATE utf8mb4_bin, id;
----
id	name
2	A
8	Ss
10	Z
1	a
5	b
7	ss
9	z
4	Å
6	ß
3	á

SELECT COUNT(*) FROM w WHERE name = 'A';
----
COUNT(*)
4

# mariadb-differs: utf8mb4_general_ci compares 'ß' equal to 's', not 'ss'
SELECT id FROM w WHERE name = 'SS' ORDER BY id;
----
id
6
7
8

SELECT id FROM w WHERE name LIKE 'a%' ORDER BY id;
----
id
1
2
3
4

# mariadb-differs: utf8mb4_general_ci counts 'ß' apart from 'ss' (it weighs as 's'): 5 there
SELECT COUNT(DISTINCT name) FROM w;
----
COUNT(DISTINCT name)
4

CREATE TABLE u (name VARCHAR(10) PRIMARY KEY);
----
OK 0

INSERT INTO u VALUES ('straße');
----
OK 1

# mariadb-differs: under utf8mb4_general_ci 'strasse' and 'straße' differ ('ß' = 's'), so MariaDB inserts it
INSERT INTO u VALUES ('STRASSE');
----
ERROR 1062 (23000): Duplicate entry 'STRASSE' for key 'u.PRIMARY'

CREATE TABLE cs (name VARCHAR(10) COLLATE utf8mb4_bin PRIMARY KEY);
----
OK 0

INSERT INTO cs VALUES ('a'), ('A'), ('á');
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

# mariadb-differs: MariaDB names the key 'PRIMARY' in 1062; MySQL 8 'cs.PRIMARY'
INSERT INTO cs VALUES ('a ');
----
ERROR 1062 (23000): Duplicate entry 'a ' for key 'cs.PRIMARY'

SELECT name FROM cs ORDER BY name;
----
name
A
a
á

# mariadb-differs: MariaDB 10.11 has no utf8mb4_0900_as_cs (ERROR 1273 Unknown collation)
SELECT 'Ångström' LIKE 'angstrom' AS ai, 'Ångström' LIKE 'angstrom' COLLATE utf8mb4_bin AS bin, 'abc' LIKE 'A_C' COLLATE utf8mb4_0900_as_cs AS as_cs;
----
ai	bin	as_cs
1	0	0

# mariadb-differs: MariaDB converts the number to a string first; MySQL 8 refuses COLLATE on a non-string (the binary character set)
SELECT 1 COLLATE utf8mb4_bin;
----
ERROR 1253 (42000): COLLATION 'utf8mb4_bin' is not valid for CHARACTER SET 'binary'

SELECT 'a' COLLATE no_such_collation;
----
ERROR 1273 (HY000): Unknown collation: 'no_such_collation'

CREATE TABLE d (id INT PRIMARY KEY, name VARCHAR(20), b VARCHAR(20) COLLATE utf8mb4_bin);
----
OK 0

INSERT INTO d VALUES (1, 'a', 'a'), (2, 'A', 'A'), (3, 'á', 'á'), (4, 'ß', 'x'), (5, 'ss', 'x');
----
OK 5 info=Records: 5  Duplicates: 0  Warnings: 0

# mariadb-differs: utf8mb4_general_ci keeps 'ß' apart from 'ss'
SELECT DISTINCT name FROM d ORDER BY name;
----
name
a
ß

SELECT DISTINCT b FROM d ORDER BY b;
----
b
A
a
x
á

# mariadb-differs: utf8mb4_general_ci keeps 'ß' apart from 'ss'
SELECT name FROM d UNION SELECT 'Á' ORDER BY name;
----
name
a
ß

SELECT b FROM d UNION SELECT 'Á' ORDER BY b;
----
b
A
a
x
Á
á
