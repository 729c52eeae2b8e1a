# CREATE TRIGGER / DROP TRIGGER (sqllogictest's evidence/slt_lang_createtrigger and droptrigger, MySQL forms).
# Triggers are stored and versioned but their bodies do not run yet (sqlserver/engine/triggers.py).
# Checked against MariaDB 10.11; MySQL 8's 1359 says just "Trigger already exists".

CREATE TABLE t1 (x INT, y VARCHAR(8));
----
OK 0

INSERT INTO t1 VALUES (1, 'true'), (0, 'false');
----
OK 2 info=Records: 2  Duplicates: 0  Warnings: 0

CREATE TRIGGER t1r1 AFTER UPDATE ON t1 FOR EACH ROW BEGIN END;
----
OK 0

# mariadb-differs: 1359 reads just "Trigger already exists" in MySQL 8; MariaDB names it ('db.t1r1')
CREATE TRIGGER t1r1 AFTER UPDATE ON t1 FOR EACH ROW BEGIN END;
----
ERROR 1359 (HY000): Trigger already exists

CREATE TRIGGER t1r2 BEFORE INSERT ON t1 FOR EACH ROW BEGIN END;
----
OK 0

CREATE TRIGGER t1r3 BEFORE DELETE ON t1 FOR EACH ROW BEGIN END;
----
OK 0

CREATE TRIGGER t1r4 AFTER DELETE ON nope FOR EACH ROW BEGIN END;
----
ERROR 1146 (42S02): Table 'db.nope' doesn't exist

# mariadb-differs: the 1064 message names the server: "your MySQL server version" in MySQL 8, "your MariaDB server version" in MariaDB
CREATE TRIGGER t1r5 UPDATE ON t1 BEGIN END;
----
ERROR 1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'UPDATE ON t1 BEGIN END' at line 1

# mariadb-differs: the 1064 message names the server: "your MySQL server version" in MySQL 8, "your MariaDB server version" in MariaDB
CREATE TRIGGER t1r5 AFTER UPDATE ON t1 BEGIN END;
----
ERROR 1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'BEGIN END' at line 1

UPDATE t1 SET x = x + 1;
----
OK 2 info=Rows matched: 2  Changed: 2  Warnings: 0

SELECT x, y FROM t1 ORDER BY x;
----
x	y
1	false
2	true

DROP TRIGGER t1r1;
----
OK 0

DROP TRIGGER t1r1;
----
ERROR 1360 (HY000): Trigger does not exist

DROP TRIGGER IF EXISTS t1r1;
----
OK 0 warnings=1

SHOW WARNINGS;
----
Level	Code	Message
Note	1360	Trigger does not exist

DROP TRIGGER tXrX;
----
ERROR 1360 (HY000): Trigger does not exist

CREATE TRIGGER t1r1 AFTER UPDATE ON t1 FOR EACH ROW BEGIN END;
----
OK 0

DROP TABLE t1;
----
OK 0

DROP TRIGGER t1r1;
----
ERROR 1360 (HY000): Trigger does not exist

DROP TRIGGER t1r2;
----
ERROR 1360 (HY000): Trigger does not exist
