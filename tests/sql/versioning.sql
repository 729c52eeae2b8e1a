# Dolt's versioning surface: dolt_commit, dolt_log, dolt_hashof. Hashes vary, so only shapes are checked.
# grove-only-file: Dolt versioning: CALL dolt_commit, the dolt_log system table, dolt_hashof functions

CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10));
----
OK 0

INSERT INTO t VALUES (1, 'a');
----
OK 1

SELECT COUNT(*) FROM dolt_log;
----
COUNT(*)
1

CALL dolt_commit('-m', 'nothing staged');
----
ERROR 1105 (HY000): nothing to commit

CALL dolt_commit('-am', 'new tables are not in -a');
----
ERROR 1105 (HY000): nothing to commit

CALL dolt_commit('-Am', 'add t');
----
hash
<hash>

SELECT COUNT(*), MIN(message) FROM dolt_log;
----
COUNT(*)	MIN(message)
2	add t

SELECT message, committer FROM dolt_log LIMIT 1;
----
message	committer
add t	root

SELECT LENGTH(dolt_hashof('HEAD')), dolt_hashof('HEAD') = dolt_hashof('main');
----
LENGTH(dolt_hashof('HEAD'))	dolt_hashof('HEAD') = dolt_hashof('main')
32	1

SELECT commit_hash = dolt_hashof('HEAD') FROM dolt_log LIMIT 1;
----
commit_hash = dolt_hashof('HEAD')
1

UPDATE t SET v = 'b' WHERE id = 1;
----
OK 1 info=Rows matched: 1  Changed: 1  Warnings: 0

CALL dolt_commit('-a', '-m', 'update t', '--author', 'Ada <ada@example.com>');
----
hash
<hash>

SELECT message, committer, email FROM dolt_log LIMIT 1;
----
message	committer	email
update t	Ada	ada@example.com

CALL dolt_commit('-m', 'empty', '--allow-empty');
----
hash
<hash>

CALL dolt_commit('-a');
----
ERROR 1105 (HY000): Must provide commit message.

SELECT COUNT(*) FROM dolt_log;
----
COUNT(*)
4

SELECT LENGTH(dolt_hashof_table('t'));
----
LENGTH(dolt_hashof_table('t'))
32

SELECT dolt_hashof_table('nope');
----
ERROR 1146 (42S02): Table 'db.nope' doesn't exist

CALL no_such_proc();
----
ERROR 1305 (42000): PROCEDURE db.no_such_proc does not exist
