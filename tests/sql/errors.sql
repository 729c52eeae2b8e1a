# Error codes and messages as MySQL 8 reports them.

# mariadb-differs: the 1064 message names the server: "your MySQL server version" in MySQL 8, "your MariaDB server version" in MariaDB
SELEC 1;
----
ERROR 1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'SELEC 1' at line 1

# mariadb-differs: the 1064 message names the server: "your MySQL server version" in MySQL 8, "your MariaDB server version" in MariaDB
SELECT * FROM;
----
ERROR 1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '' at line 1

# mariadb-differs: the 1064 message names the server: "your MySQL server version" in MySQL 8, "your MariaDB server version" in MariaDB
SELECT 1 FROM t WHERE;
----
ERROR 1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '' at line 1

CREATE TABLE t (id INT PRIMARY KEY, v INT);
----
OK 0

INSERT INTO t VALUES (1, 2, 3);
----
ERROR 1136 (21S01): Column count doesn't match value count at row 1

INSERT INTO t VALUES (1, 2), (3);
----
ERROR 1136 (21S01): Column count doesn't match value count at row 2

SELECT @@nosuchvar;
----
ERROR 1193 (HY000): Unknown system variable 'nosuchvar'

SET @@nosuchvar = 1;
----
ERROR 1193 (HY000): Unknown system variable 'nosuchvar'

SELECT nosuchfunc(1);
----
ERROR 1305 (42000): FUNCTION db.nosuchfunc does not exist

SELECT id FROM t WHERE id = 1 UNION SELECT 2, 3;
----
ERROR 1222 (21000): The used SELECT statements have a different number of columns

SELECT SUM(id) FROM t WHERE SUM(id) > 1;
----
ERROR 1111 (HY000): Invalid use of group function

;
----
ERROR 1065 (42000): Query was empty
