# SHOW statements that describe the catalog: SHOW INDEX, COLUMNS, TABLE STATUS, CREATE DATABASE, COLLATION, ...

CREATE TABLE parent (a INT NOT NULL, b VARCHAR(20) NOT NULL, PRIMARY KEY (a, b));
----
OK 0

CREATE TABLE t (id INT UNSIGNED NOT NULL AUTO_INCREMENT, code VARCHAR(32) COLLATE utf8mb4_bin NOT NULL, name VARCHAR(100) COMMENT 'the name', price DECIMAL(10,2) NOT NULL DEFAULT 1.5, created DATETIME DEFAULT CURRENT_TIMESTAMP, pa INT, pb VARCHAR(20), PRIMARY KEY (id), UNIQUE KEY uq_code (code), KEY idx_name (name(10)), KEY idx_p (pa, pb), CONSTRAINT fk_p FOREIGN KEY (pa, pb) REFERENCES parent (a, b) ON DELETE CASCADE);
----
OK 0

CREATE VIEW v AS SELECT id, code FROM t;
----
OK 0

# mariadb-differs: MariaDB's SHOW INDEX has 14 columns (Ignored instead of Visible, no Expression)
SHOW INDEX FROM t;
----
Table	Non_unique	Key_name	Seq_in_index	Column_name	Collation	Cardinality	Sub_part	Packed	Null	Index_type	Comment	Index_comment	Visible	Expression
t	0	PRIMARY	1	id	A	0	NULL	NULL		BTREE			YES	NULL
t	0	uq_code	1	code	A	0	NULL	NULL		BTREE			YES	NULL
t	1	idx_name	1	name	A	0	10	NULL	YES	BTREE			YES	NULL
t	1	idx_p	1	pa	A	0	NULL	NULL	YES	BTREE			YES	NULL
t	1	idx_p	2	pb	A	0	NULL	NULL	YES	BTREE			YES	NULL

# mariadb-differs: MariaDB's SHOW INDEX has 14 columns (Ignored instead of Visible, no Expression)
SHOW KEYS IN parent FROM db;
----
Table	Non_unique	Key_name	Seq_in_index	Column_name	Collation	Cardinality	Sub_part	Packed	Null	Index_type	Comment	Index_comment	Visible	Expression
parent	0	PRIMARY	1	a	A	0	NULL	NULL		BTREE			YES	NULL
parent	0	PRIMARY	2	b	A	0	NULL	NULL		BTREE			YES	NULL

# mariadb-differs: MariaDB's SHOW INDEX has 14 columns (Ignored instead of Visible, no Expression)
SHOW INDEXES FROM db.t WHERE Key_name = 'idx_p';
----
Table	Non_unique	Key_name	Seq_in_index	Column_name	Collation	Cardinality	Sub_part	Packed	Null	Index_type	Comment	Index_comment	Visible	Expression
t	1	idx_p	1	pa	A	0	NULL	NULL	YES	BTREE			YES	NULL
t	1	idx_p	2	pb	A	0	NULL	NULL	YES	BTREE			YES	NULL

SHOW INDEX FROM nosuch;
----
ERROR 1146 (42S02): Table 'db.nosuch' doesn't exist

# mariadb-differs: MariaDB prints current_timestamp() and no DEFAULT_GENERATED, and its own collation names
SHOW FULL COLUMNS FROM t;
----
Field	Type	Collation	Null	Key	Default	Extra	Privileges	Comment
id	int unsigned	NULL	NO	PRI	NULL	auto_increment	select,insert,update,references	
code	varchar(32)	utf8mb4_bin	NO	UNI	NULL		select,insert,update,references	
name	varchar(100)	utf8mb4_0900_ai_ci	YES	MUL	NULL		select,insert,update,references	the name
price	decimal(10,2)	NULL	NO		1.50		select,insert,update,references	
created	datetime	NULL	YES		CURRENT_TIMESTAMP	DEFAULT_GENERATED	select,insert,update,references	
pa	int	NULL	YES	MUL	NULL		select,insert,update,references	
pb	varchar(20)	utf8mb4_0900_ai_ci	YES		NULL		select,insert,update,references	

# mariadb-differs: MySQL 8 prints integer types without display width except tinyint(1); MariaDB int(11), tinyint(4)
SHOW COLUMNS FROM t LIKE 'p%';
----
Field	Type	Null	Key	Default	Extra
price	decimal(10,2)	NO		1.50	
pa	int	YES	MUL	NULL	
pb	varchar(20)	YES		NULL	

# mariadb-differs: MySQL 8 prints integer types without display width except tinyint(1); MariaDB int(11), tinyint(4)
SHOW COLUMNS FROM t WHERE `Key` = 'PRI';
----
Field	Type	Null	Key	Default	Extra
id	int unsigned	NO	PRI	NULL	auto_increment

# mariadb-differs: MySQL 8 prints integer types without display width except tinyint(1); MariaDB int(11), tinyint(4)
SHOW FIELDS FROM parent FROM db;
----
Field	Type	Null	Key	Default	Extra
a	int	NO	PRI	NULL	
b	varchar(20)	NO	PRI	NULL	

# mariadb-differs: MariaDB's utf8mb4 default collation is utf8mb4_general_ci, and it prints no ENCRYPTION comment
SHOW CREATE DATABASE db;
----
Database	Create Database
db	CREATE DATABASE `db` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */ /*!80016 DEFAULT ENCRYPTION='N' */

# mariadb-differs: MariaDB's utf8mb4 default collation is utf8mb4_general_ci, and it prints no ENCRYPTION comment
SHOW CREATE SCHEMA db;
----
Database	Create Database
db	CREATE DATABASE `db` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */ /*!80016 DEFAULT ENCRYPTION='N' */

SHOW CREATE DATABASE nosuch;
----
ERROR 1049 (42000): Unknown database 'nosuch'

# mariadb-differs: MariaDB lists its own collations (no utf8mb4_0900_*), ids and Pad_attribute values
SHOW COLLATION LIKE 'utf8mb4_bin';
----
Collation	Charset	Id	Default	Compiled	Sortlen	Pad_attribute
utf8mb4_bin	utf8mb4	46		Yes	1	PAD SPACE

# mariadb-differs: MariaDB describes utf8mb4 as "UTF-8 Unicode" with default collation utf8mb4_general_ci
SHOW CHARACTER SET LIKE 'utf8mb4';
----
Charset	Description	Default collation	Maxlen
utf8mb4	UTF-8 Unicode	utf8mb4_0900_ai_ci	4

SHOW TABLES;
----
Tables_in_db
parent
t
v

SHOW TABLES LIKE 'p%';
----
Tables_in_db (p%)
parent

SHOW FULL TABLES WHERE Table_type = 'VIEW';
----
Tables_in_db	Table_type
v	VIEW

SHOW TABLES FROM information_schema LIKE 'KEY_COLUMN_USAGE';
----
Tables_in_information_schema (KEY_COLUMN_USAGE)
KEY_COLUMN_USAGE

SHOW DATABASES LIKE 'information%';
----
Database (information%)
information_schema

SHOW STATUS LIKE 'Threads_connected';
----
Variable_name	Value
Threads_connected	1

# grove-differs: MySQL 8 lists root's privileges one by one (GRANT SELECT, INSERT, ... ON *.*, the dynamic privileges, GRANT PROXY); Grove prints the single ALL PRIVILEGES line
SHOW GRANTS;
----
Grants for root@localhost
GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION

# grove-differs: MySQL 8 lists root's privileges one by one (GRANT SELECT, INSERT, ... ON *.*, the dynamic privileges, GRANT PROXY); Grove prints the single ALL PRIVILEGES line
SHOW GRANTS FOR CURRENT_USER;
----
Grants for root@localhost
GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION

SHOW OPEN TABLES FROM db LIKE 'nothing%';
----
Database	Table	In_use	Name_locked
