# Dolt's AS OF: reading a table as a branch, tag or commit held it (read-only).
# grove-only-file: Dolt versioning: SELECT ... FROM t AS OF <revision>, CALL dolt_commit / dolt_branch

CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10));
----
OK 0

INSERT INTO t VALUES (1, 'one'), (2, 'two');
----
OK 2 info=Records: 2  Duplicates: 0  Warnings: 0

CALL dolt_commit('-Am', 'first');
----
hash
<hash>

CALL dolt_branch('v1');
----
status
0

UPDATE t SET v = 'TWO' WHERE id = 2;
----
OK 1 info=Rows matched: 1  Changed: 1  Warnings: 0

INSERT INTO t VALUES (3, 'three');
----
OK 1

CALL dolt_commit('-am', 'second');
----
hash
<hash>

DELETE FROM t WHERE id = 1;
----
OK 1

SELECT id, v FROM t ORDER BY id;
----
id	v
2	TWO
3	three

SELECT id, v FROM t AS OF 'HEAD' ORDER BY id;
----
id	v
1	one
2	TWO
3	three

SELECT id, v FROM t AS OF 'HEAD~1' ORDER BY id;
----
id	v
1	one
2	two

SELECT id, v FROM t AS OF 'v1' WHERE id = 2;
----
id	v
2	two

SELECT COUNT(*) FROM t AS OF main;
----
COUNT(*)
3

SELECT old.id, old.v, new.v FROM t AS OF 'v1' AS old LEFT JOIN t AS new ON new.id = old.id ORDER BY old.id;
----
id	v	v
1	one	NULL
2	two	TWO

SELECT id FROM t AS OF 'HEAD~1' WHERE id NOT IN (SELECT id FROM t) ORDER BY id;
----
id
1

SELECT * FROM t AS OF 'nosuchbranch';
----
ERROR 1105 (HY000): invalid ref spec: nosuchbranch

CREATE TABLE u (a INT PRIMARY KEY);
----
OK 0

SELECT * FROM u AS OF 'v1';
----
ERROR 1146 (42S02): Table 'db.u' doesn't exist

DELETE FROM t AS OF 'v1' WHERE id = 1;
----
ERROR 1105 (HY000): table 't' is read AS OF a revision: it cannot be written
