# Strict sql_mode in INSERT and UPDATE (sql_mode.WriteMode, SqlType.coerce / coerce_lenient).  MySQL 8's
# default mode is strict with ERROR_FOR_DIVISION_BY_ZERO: values a column cannot hold are errors (1264, 1265,
# 1366, 1406, 1292, and 1365 for a division by zero in a written value); with sql_mode = '' they are warnings
# and the value is clipped, cut or read as its numeric prefix, and a division by zero is a silent NULL.
# Checked against MariaDB 10.11: same codes, messages and stored values.  Documented MySQL 8 / MariaDB
# differences: MariaDB's 1366 and 1292 name the column `db`.`t`.`c` and 1366's SQLSTATE is 22007 (MySQL 8:
# 'c' and HY000); MariaDB adds a 1264 after the 1265 for '-5000x' and a Note 1265 for the trailing space
# of ' 42 ' stored into INT (MySQL 8 reports neither); for INSERT IGNORE of '7x' MariaDB reports no 1265.
# Both round a value with more decimals than a DECIMAL column's scale and add a Note 1265.  Not covered:
# a bad date under sql_mode = '' (MySQL stores a zero date; Grove has none and still refuses it).

CREATE TABLE s (id INT PRIMARY KEY, ti TINYINT, n INT, d DECIMAL(5,2), c VARCHAR(3), dt DATETIME, f DOUBLE UNSIGNED);
----
OK 0

INSERT INTO s (id, ti) VALUES (1, 300);
----
ERROR 1264 (22003): Out of range value for column 'ti' at row 1

INSERT INTO s (id, ti) VALUES (1, -129);
----
ERROR 1264 (22003): Out of range value for column 'ti' at row 1

# mariadb-differs: MySQL 8's 1366/1292 name the column 'c' (1366 with SQLSTATE HY000); MariaDB names `db`.`t`.`c` and 1366 has 22007
INSERT INTO s (id, n) VALUES (1, 'abc');
----
ERROR 1366 (HY000): Incorrect integer value: 'abc' for column 'n' at row 1

INSERT INTO s (id, n) VALUES (1, '12abc');
----
ERROR 1265 (01000): Data truncated for column 'n' at row 1

INSERT INTO s (id, c) VALUES (1, 'abcd');
----
ERROR 1406 (22001): Data too long for column 'c' at row 1

INSERT INTO s (id, n) VALUES (1, 1/0);
----
ERROR 1365 (22012): Division by 0

INSERT INTO s (id, n) VALUES (1, 5 MOD 0);
----
ERROR 1365 (22012): Division by 0

# mariadb-differs: MySQL 8's 1366/1292 name the column 'c' (1366 with SQLSTATE HY000); MariaDB names `db`.`t`.`c` and 1366 has 22007
INSERT INTO s (id, dt) VALUES (1, 'nope');
----
ERROR 1292 (22007): Incorrect datetime value: 'nope' for column 'dt' at row 1

INSERT INTO s (id, d) VALUES (1, 1000);
----
ERROR 1264 (22003): Out of range value for column 'd' at row 1

# mariadb-differs: MySQL 8's 1366/1292 name the column 'c' (1366 with SQLSTATE HY000); MariaDB names `db`.`t`.`c` and 1366 has 22007
INSERT INTO s (id, d) VALUES (1, 'x1');
----
ERROR 1366 (HY000): Incorrect decimal value: 'x1' for column 'd' at row 1

# 1.005 rounded into DECIMAL(5,2) is a Note 1265 (not an error, even in strict mode)
# mariadb-differs: MariaDB also adds a Note 1265 for the trailing space of ' 42 ' stored into INT; MySQL 8 ignores trailing spaces
INSERT INTO s (id, n, d, c) VALUES (1, ' 42 ', '1.005', 'abc');
----
OK 1 warnings=1

UPDATE s SET d = 2.345 WHERE id = 1;
----
OK 1 warnings=1 info=Rows matched: 1  Changed: 1  Warnings: 1

SHOW WARNINGS;
----
Level	Code	Message
Note	1265	Data truncated for column 'd' at row 1

UPDATE s SET d = 1.010 WHERE id = 1;
----
OK 1 info=Rows matched: 1  Changed: 1  Warnings: 0

SELECT 1/0;
----
1/0
NULL

UPDATE s SET n = n / 0 WHERE id = 1;
----
ERROR 1365 (22012): Division by 0

UPDATE s SET ti = 1000 WHERE id = 1;
----
ERROR 1264 (22003): Out of range value for column 'ti' at row 1

UPDATE s SET c = 'long' WHERE id = 1;
----
ERROR 1406 (22001): Data too long for column 'c' at row 1

SET sql_mode = '';
----
OK 0

# mariadb-differs: MariaDB adds a 1264 after the 1265 for '-5000x' (10 warnings); MySQL 8 reports the 1265 only
INSERT INTO s (id, ti, n, d, c, f) VALUES (2, 300, 'abc', 1000, 'abcd', -1), (3, -300, '12abc', '-5000x', 'xy', 2), (4, 1, 1/0, 1.005, NULL, NULL);
----
OK 3 warnings=9 info=Records: 3  Duplicates: 0  Warnings: 9

# mariadb-differs: MariaDB's 1366 names `db`.`s`.`n`, and it adds a 1264 after the 1265 for '-5000x'
SHOW WARNINGS;
----
Level	Code	Message
Warning	1264	Out of range value for column 'ti' at row 1
Warning	1366	Incorrect integer value: 'abc' for column 'n' at row 1
Warning	1264	Out of range value for column 'd' at row 1
Warning	1265	Data truncated for column 'c' at row 1
Warning	1264	Out of range value for column 'f' at row 1
Warning	1264	Out of range value for column 'ti' at row 2
Warning	1265	Data truncated for column 'n' at row 2
Warning	1265	Data truncated for column 'd' at row 2
Note	1265	Data truncated for column 'd' at row 3

SELECT id, ti, n, d, c, f FROM s ORDER BY id;
----
id	ti	n	d	c	f
1	NULL	42	1.01	abc	NULL
2	127	0	999.99	abc	0
3	-128	12	-999.99	xy	2
4	1	NULL	1.01	NULL	NULL

UPDATE s SET n = 'q', ti = ti * 100, c = 'wxyz' WHERE id = 4;
----
OK 1 warnings=2 info=Rows matched: 1  Changed: 1  Warnings: 2

# mariadb-differs: MySQL 8's 1366/1292 name the column 'c' (1366 with SQLSTATE HY000); MariaDB names `db`.`t`.`c` and 1366 has 22007
SHOW WARNINGS;
----
Level	Code	Message
Warning	1366	Incorrect integer value: 'q' for column 'n' at row 1
Warning	1265	Data truncated for column 'c' at row 1

SELECT id, ti, n, c FROM s WHERE id = 4;
----
id	ti	n	c
4	100	0	wxy

SET sql_mode = DEFAULT;
----
OK 0

INSERT IGNORE INTO s (id, ti, n) VALUES (9, 1000, '7x');
----
OK 1 warnings=2

SHOW WARNINGS;
----
Level	Code	Message
Warning	1264	Out of range value for column 'ti' at row 1
Warning	1265	Data truncated for column 'n' at row 1

SELECT id, ti, n FROM s WHERE id = 9;
----
id	ti	n
9	127	7
