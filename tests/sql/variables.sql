# System and user variables, SET forms, SHOW VARIABLES.

# mariadb-differs: server identity: @@version/@@version_comment name the server; max_allowed_packet defaults to 64 MiB in MySQL 8, 16 MiB in MariaDB
SELECT @@version, @@version_comment, @@max_allowed_packet, @@autocommit;
----
@@version	@@version_comment	@@max_allowed_packet	@@autocommit
8.0.33-grove	Grove versioned SQL server	67108864	1

SELECT @@sql_mode;
----
@@sql_mode
ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION

# mariadb-differs: transaction_isolation is MySQL 8's name (MariaDB 10.11 has only tx_isolation; 1193)
SELECT @@transaction_isolation, @@tx_isolation, @@lower_case_table_names, @@character_set_client, @@collation_connection;
----
@@transaction_isolation	@@tx_isolation	@@lower_case_table_names	@@character_set_client	@@collation_connection
REPEATABLE-READ	REPEATABLE-READ	0	utf8mb4	utf8mb4_0900_ai_ci

SELECT @@session.autocommit, @@global.autocommit, @@SESSION.sql_mode = @@GLOBAL.sql_mode;
----
@@session.autocommit	@@global.autocommit	@@SESSION.sql_mode = @@GLOBAL.sql_mode
1	1	1

# grove-only: @@dolt_* / @@grove_* are Grove system variables
SELECT @@dolt_transaction_commit, @@grove_read_replica_poll_ms, @@grove_replication_timeout_ms, @@dolt_replicate_to_remote;
----
@@dolt_transaction_commit	@@grove_read_replica_poll_ms	@@grove_replication_timeout_ms	@@dolt_replicate_to_remote
0	200	2000	

SET @a = 1 + 2, @b = 'x';
----
OK 0

SELECT @a, @b, @c;
----
@a	@b	@c
3	x	NULL

SET autocommit = 0;
----
OK 0

SELECT @@autocommit;
----
@@autocommit
0

SET autocommit = 1;
----
OK 0

SET SESSION sql_mode = 'STRICT_TRANS_TABLES';
----
OK 0

SELECT @@sql_mode, @@session.sql_mode;
----
@@sql_mode	@@session.sql_mode
STRICT_TRANS_TABLES	STRICT_TRANS_TABLES

SET @@session.wait_timeout = 100;
----
OK 0

SELECT @@wait_timeout, @@global.wait_timeout;
----
@@wait_timeout	@@global.wait_timeout
100	28800

# grove-only: grove_read_replica_poll_ms is a Grove system variable
SET GLOBAL grove_read_replica_poll_ms = 50;
----
OK 0

# grove-only: grove_read_replica_poll_ms is a Grove system variable
SELECT @@grove_read_replica_poll_ms, @@global.grove_read_replica_poll_ms;
----
@@grove_read_replica_poll_ms	@@global.grove_read_replica_poll_ms
50	50

# grove-only: dolt_replicate_to_remote is a Grove system variable
SET @@persist.dolt_replicate_to_remote = 'origin';
----
OK 0

# grove-only: dolt_replicate_to_remote is a Grove system variable
SELECT @@dolt_replicate_to_remote;
----
@@dolt_replicate_to_remote
origin

SET NAMES utf8mb4 COLLATE utf8mb4_bin;
----
OK 0

SELECT @@character_set_client, @@collation_connection;
----
@@character_set_client	@@collation_connection
utf8mb4	utf8mb4_bin

SET NAMES utf8mb4;
----
OK 0

SET autocommit = 'maybe';
----
ERROR 1231 (42000): Variable 'autocommit' can't be set to the value of 'maybe'

SET @@version = 'x';
----
ERROR 1238 (HY000): Variable 'version' is a read only variable

SET @@session.nosuch = 1;
----
ERROR 1193 (HY000): Unknown system variable 'nosuch'

# mariadb-differs: server identity: @@version names the server
SELECT @@global.version;
----
@@global.version
8.0.33-grove

SET wait_timeout = 'abc';
----
ERROR 1232 (42000): Incorrect argument type to variable 'wait_timeout'

SHOW VARIABLES LIKE 'auto%';
----
Variable_name	Value
auto_increment_increment	1
auto_increment_offset	1
autocommit	ON
automatic_sp_privileges	ON

# grove-only: dolt_transaction_commit is a Grove system variable
SHOW VARIABLES LIKE 'dolt_transaction_commit';
----
Variable_name	Value
dolt_transaction_commit	OFF

# mariadb-differs: transaction_isolation is MySQL 8's name (MariaDB 10.11 has only tx_isolation; 1193)
SET transaction_isolation = 'READ-COMMITTED';
----
OK 0

# mariadb-differs: transaction_isolation is MySQL 8's name (MariaDB 10.11 has only tx_isolation; 1193)
SELECT @@transaction_isolation;
----
@@transaction_isolation
READ-COMMITTED

SELECT LAST_INSERT_ID(), @@last_insert_id;
----
LAST_INSERT_ID()	@@last_insert_id
0	0
