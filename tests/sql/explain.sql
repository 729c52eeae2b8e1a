# EXPLAIN: the optimized plan as the statement would run, without running it.
# grove-only-file: the plan text is Grove's own operator tree (Dolt's shape for EXPLAIN, MySQL 8's column for FORMAT=TREE)

CREATE TABLE t (id INT PRIMARY KEY, k INT, c VARCHAR(20), KEY k_1 (k));
----
OK 0

CREATE TABLE u (id INT PRIMARY KEY, t_id INT);
----
OK 0

INSERT INTO t VALUES (1, 10, 'a'), (2, 20, 'b');
----
OK 2 info=Records: 2  Duplicates: 0  Warnings: 0

EXPLAIN SELECT c FROM t WHERE id = 5;
----
plan
Project `t`.`c`
  Scan t point key=(5)

EXPLAIN SELECT c FROM t WHERE id BETWEEN 5 AND 10 ORDER BY c;
----
plan
Project `t`.`c`
  Sort `t`.`c`
    Scan t range [5 .. 10]

EXPLAIN SELECT c FROM t WHERE id BETWEEN 5 AND 10 AND c > 'a';
----
plan
Project `t`.`c`
  Filter (`t`.`c` > 'a')
    Scan t range [5 .. 10]

EXPLAIN SELECT id FROM t WHERE k = 7;
----
plan
Project `t`.`id`
  Filter (`t`.`k` = 7)
    Scan t index k_1 range [7 .. 7] covering

EXPLAIN SELECT t.c, u.id FROM t JOIN u ON u.t_id = t.id WHERE t.k > 3;
----
plan
Project `t`.`c`, `u`.`id`
  HashJoin inner on `t`.`id` = `u`.`t_id`
    Filter (`t`.`k` > 3)
      Scan t full
    Scan u full

EXPLAIN FORMAT=TREE SELECT COUNT(*) FROM t GROUP BY k;
----
EXPLAIN
Project `agg`\n  Aggregate groups=[`t`.`k`] aggs=[count(*)]\n    Scan t full

EXPLAIN UPDATE t SET k = k + 1 WHERE id = 2;
----
plan
Update t set #1=(`t`.`k` + 1)
  Scan t point key=(2)

EXPLAIN DELETE FROM t WHERE id < 2;
----
plan
Delete t
  Scan t range (-inf .. 2)

EXPLAIN INSERT INTO u SELECT id, id FROM t;
----
plan
Insert u
  Project `t`.`id`, `t`.`id`
    Scan t full

SELECT COUNT(*) FROM u;
----
COUNT(*)
0

EXPLAIN FORMAT=JSON SELECT 1;
----
ERROR 1235 (42000): This version of MySQL doesn't yet support 'EXPLAIN FORMAT=JSON'

EXPLAIN SELECT * FROM nosuch;
----
ERROR 1146 (42S02): Table 'db.nosuch' doesn't exist
