# CREATE / DROP TABLE and DATABASE, SHOW, DESCRIBE, USE.

CREATE TABLE t1 (id INT NOT NULL AUTO_INCREMENT, name VARCHAR(30) COLLATE utf8mb4_bin NOT NULL DEFAULT 'x', price DECIMAL(10,2) DEFAULT 1.5, qty BIGINT UNSIGNED, created DATETIME DEFAULT CURRENT_TIMESTAMP, note TEXT, c CHAR(3), f DOUBLE, ff FLOAT, dd DATE, PRIMARY KEY (id), UNIQUE KEY uq_name (name), KEY idx_qty (qty, price));
----
OK 0

# mariadb-differs: SHOW CREATE TABLE: MySQL 8 prints int without display width, quoted numeric defaults, utf8mb4_0900_ai_ci; MariaDB int(11), bare numbers, its own collation; MySQL 8 writes CURRENT_TIMESTAMP, MariaDB current_timestamp()
SHOW CREATE TABLE t1;
----
Table	Create Table
t1	CREATE TABLE `t1` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `name` varchar(30) COLLATE utf8mb4_bin NOT NULL DEFAULT 'x',\n  `price` decimal(10,2) DEFAULT '1.50',\n  `qty` bigint unsigned DEFAULT NULL,\n  `created` datetime DEFAULT CURRENT_TIMESTAMP,\n  `note` text,\n  `c` char(3) DEFAULT NULL,\n  `f` double DEFAULT NULL,\n  `ff` float DEFAULT NULL,\n  `dd` date DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `uq_name` (`name`),\n  KEY `idx_qty` (`qty`,`price`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

# mariadb-differs: DESCRIBE: MySQL 8 prints integer types without display width (int, bigint); MariaDB int(11), bigint(20); Extra DEFAULT_GENERATED and Default CURRENT_TIMESTAMP are MySQL 8's (MariaDB current_timestamp(), no Extra)
DESCRIBE t1;
----
Field	Type	Null	Key	Default	Extra
id	int	NO	PRI	NULL	auto_increment
name	varchar(30)	NO	UNI	x	
price	decimal(10,2)	YES		1.50	
qty	bigint unsigned	YES	MUL	NULL	
created	datetime	YES		CURRENT_TIMESTAMP	DEFAULT_GENERATED
note	text	YES		NULL	
c	char(3)	YES		NULL	
f	double	YES		NULL	
ff	float	YES		NULL	
dd	date	YES		NULL	

# mariadb-differs: DESCRIBE: MySQL 8 prints integer types without display width (int, bigint); MariaDB int(11), bigint(20); Extra DEFAULT_GENERATED and Default CURRENT_TIMESTAMP are MySQL 8's (MariaDB current_timestamp(), no Extra)
SHOW COLUMNS FROM t1;
----
Field	Type	Null	Key	Default	Extra
id	int	NO	PRI	NULL	auto_increment
name	varchar(30)	NO	UNI	x	
price	decimal(10,2)	YES		1.50	
qty	bigint unsigned	YES	MUL	NULL	
created	datetime	YES		CURRENT_TIMESTAMP	DEFAULT_GENERATED
note	text	YES		NULL	
c	char(3)	YES		NULL	
f	double	YES		NULL	
ff	float	YES		NULL	
dd	date	YES		NULL	

CREATE TABLE t1 (a INT);
----
ERROR 1050 (42S01): Table 't1' already exists

CREATE TABLE IF NOT EXISTS t1 (a INT);
----
OK 0 warnings=1

SHOW WARNINGS;
----
Level	Code	Message
Note	1050	Table 't1' already exists

CREATE TABLE t2 (a INT, b INT, PRIMARY KEY (a, b));
----
OK 0

CREATE TABLE bad1 (a INT PRIMARY KEY, b INT PRIMARY KEY);
----
ERROR 1068 (42000): Multiple primary key defined

CREATE TABLE bad2 (a INT, a INT);
----
ERROR 1060 (42S21): Duplicate column name 'a'

CREATE TABLE bad3 (a INT AUTO_INCREMENT, b INT);
----
ERROR 1075 (42000): Incorrect table definition; there can be only one auto column and it must be defined as a key

CREATE TABLE bad4 (a INT, PRIMARY KEY (zz));
----
ERROR 1072 (42000): Key column 'zz' doesn't exist in table

CREATE TABLE bad5 (a INT NOT NULL DEFAULT NULL);
----
ERROR 1067 (42000): Invalid default value for 'a'

SHOW TABLES;
----
Tables_in_db
t1
t2

INSERT INTO t2 VALUES (1, 2), (1, 1), (2, 1);
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

SELECT * FROM t2 WHERE a = 1;
----
a	b
1	1
1	2

SELECT * FROM t2 WHERE a = 1 AND b = 2;
----
a	b
1	2

DROP TABLE t2;
----
OK 0

DROP TABLE t2;
----
ERROR 1051 (42S02): Unknown table 'db.t2'

DROP TABLE IF EXISTS t2;
----
OK 0 warnings=1

DROP TABLE IF EXISTS t1, nothere;
----
OK 0 warnings=1

SHOW TABLES;
----
Tables_in_db

CREATE DATABASE other;
----
OK 1

CREATE DATABASE other;
----
ERROR 1007 (HY000): Can't create database 'other'; database exists

CREATE DATABASE IF NOT EXISTS other;
----
OK 0 warnings=1

# grove-differs: MySQL 8 also lists its system schemas mysql, performance_schema and sys; Grove has only information_schema
SHOW DATABASES;
----
Database
db
information_schema
other

USE nosuch;
----
ERROR 1049 (42000): Unknown database 'nosuch'

USE other;
----
OK 0

SELECT DATABASE();
----
DATABASE()
other

CREATE TABLE x (a INT PRIMARY KEY);
----
OK 0

SHOW TABLES FROM db;
----
Tables_in_db

SHOW TABLES FROM other;
----
Tables_in_other
x

INSERT INTO db.x2 VALUES (1);
----
ERROR 1146 (42S02): Table 'db.x2' doesn't exist

USE db;
----
OK 0

DROP DATABASE other;
----
OK 1

DROP DATABASE other;
----
ERROR 1008 (HY000): Can't drop database 'other'; database doesn't exist

DROP DATABASE IF EXISTS other;
----
OK 0 warnings=1

# grove-differs: MySQL 8 also lists its system schemas mysql, performance_schema and sys; Grove has only information_schema
SHOW DATABASES;
----
Database
db
information_schema

TRUNCATE TABLE missing;
----
ERROR 1146 (42S02): Table 'db.missing' doesn't exist

# BOOL/BOOLEAN are tinyint(1); MySQL 8 keeps a display width only for tinyint(1)
CREATE TABLE booleans (id INT PRIMARY KEY, flag BOOL, f2 BOOLEAN NOT NULL DEFAULT TRUE, t1 TINYINT(1) UNSIGNED, t4 TINYINT(4), ti TINYINT);
----
OK 0

# mariadb-differs: MySQL 8 prints integer types without display width except tinyint(1); MariaDB int(11), tinyint(4); MySQL 8 quotes numeric defaults and names utf8mb4_0900_ai_ci
SHOW CREATE TABLE booleans;
----
Table	Create Table
booleans	CREATE TABLE `booleans` (\n  `id` int NOT NULL,\n  `flag` tinyint(1) DEFAULT NULL,\n  `f2` tinyint(1) NOT NULL DEFAULT '1',\n  `t1` tinyint(1) unsigned DEFAULT NULL,\n  `t4` tinyint DEFAULT NULL,\n  `ti` tinyint DEFAULT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci

# mariadb-differs: MySQL 8 prints integer types without display width except tinyint(1); MariaDB int(11), tinyint(4)
DESCRIBE booleans;
----
Field	Type	Null	Key	Default	Extra
id	int	NO	PRI	NULL	
flag	tinyint(1)	YES		NULL	
f2	tinyint(1)	NO		1	
t1	tinyint(1) unsigned	YES		NULL	
t4	tinyint	YES		NULL	
ti	tinyint	YES		NULL	

# mariadb-differs: MySQL 8 prints integer types without display width except tinyint(1); MariaDB int(11), tinyint(4)
SELECT COLUMN_NAME, COLUMN_TYPE, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_NAME = 'booleans' ORDER BY ORDINAL_POSITION;
----
COLUMN_NAME	COLUMN_TYPE	DATA_TYPE
id	int	int
flag	tinyint(1)	tinyint
f2	tinyint(1)	tinyint
t1	tinyint(1) unsigned	tinyint
t4	tinyint	tinyint
ti	tinyint	tinyint
