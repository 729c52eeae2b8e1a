# information_schema: MySQL 8's catalog views over the real schemas (sqlserver/engine/information_schema.py).
# Column headers are MySQL 8's upper-case names even when the query spells them in lower case.

CREATE TABLE parent (a INT NOT NULL, b VARCHAR(20) NOT NULL, PRIMARY KEY (a, b));
----
OK 0

CREATE TABLE t (id INT UNSIGNED NOT NULL AUTO_INCREMENT, code VARCHAR(32) COLLATE utf8mb4_bin NOT NULL, name VARCHAR(100), price DECIMAL(10,2) NOT NULL DEFAULT 1.5, label CHAR(3) DEFAULT 'abc', kind ENUM('x','yy'), doc JSON, created DATETIME DEFAULT CURRENT_TIMESTAMP, ts DATETIME(3), pa INT, pb VARCHAR(20), qty INT CHECK (qty >= 0), f DOUBLE, big BIGINT UNSIGNED, PRIMARY KEY (id), UNIQUE KEY uq_code (code), KEY idx_name (name(10)), KEY idx_p (pa, pb), CONSTRAINT fk_p FOREIGN KEY (pa, pb) REFERENCES parent (a, b) ON DELETE CASCADE);
----
OK 0

CREATE VIEW v AS SELECT id, name FROM t;
----
OK 0

CREATE VIEW vc AS SELECT COUNT(*) AS n FROM t;
----
OK 0

# mariadb-differs: MariaDB's default table collation is utf8mb4_general_ci
SELECT table_name, table_type, engine, version, row_format, table_rows, auto_increment, table_collation, table_comment FROM information_schema.tables WHERE table_schema = 'db' ORDER BY table_name;
----
TABLE_NAME	TABLE_TYPE	ENGINE	VERSION	ROW_FORMAT	TABLE_ROWS	AUTO_INCREMENT	TABLE_COLLATION	TABLE_COMMENT
parent	BASE TABLE	InnoDB	10	Dynamic	0	NULL	utf8mb4_0900_ai_ci	
t	BASE TABLE	InnoDB	10	Dynamic	0	1	utf8mb4_0900_ai_ci	
v	VIEW	NULL	NULL	NULL	NULL	NULL	NULL	VIEW
vc	VIEW	NULL	NULL	NULL	NULL	NULL	NULL	VIEW

SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME IN ('TABLES', 'COLUMNS', 'SCHEMATA') AND TABLE_TYPE = 'SYSTEM VIEW';
----
COUNT(*)
3

# mariadb-differs: MariaDB's information_schema is in utf8mb3 with its own collation names and no DEFAULT_ENCRYPTION column
SELECT * FROM information_schema.schemata WHERE schema_name = 'db';
----
CATALOG_NAME	SCHEMA_NAME	DEFAULT_CHARACTER_SET_NAME	DEFAULT_COLLATION_NAME	SQL_PATH	DEFAULT_ENCRYPTION
def	db	utf8mb4	utf8mb4_0900_ai_ci	NULL	NO

# mariadb-differs: MariaDB shows int(10) unsigned style COLUMN_TYPE, quotes string defaults ('abc'), current_timestamp(), and no DEFAULT_GENERATED
SELECT column_name, ordinal_position, column_default, is_nullable, data_type, character_maximum_length, character_octet_length, numeric_precision, numeric_scale, datetime_precision, character_set_name, collation_name, column_type, column_key, extra FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 't' ORDER BY ordinal_position;
----
COLUMN_NAME	ORDINAL_POSITION	COLUMN_DEFAULT	IS_NULLABLE	DATA_TYPE	CHARACTER_MAXIMUM_LENGTH	CHARACTER_OCTET_LENGTH	NUMERIC_PRECISION	NUMERIC_SCALE	DATETIME_PRECISION	CHARACTER_SET_NAME	COLLATION_NAME	COLUMN_TYPE	COLUMN_KEY	EXTRA
id	1	NULL	NO	int	NULL	NULL	10	0	NULL	NULL	NULL	int unsigned	PRI	auto_increment
code	2	NULL	NO	varchar	32	128	NULL	NULL	NULL	utf8mb4	utf8mb4_bin	varchar(32)	UNI	
name	3	NULL	YES	varchar	100	400	NULL	NULL	NULL	utf8mb4	utf8mb4_0900_ai_ci	varchar(100)	MUL	
price	4	1.50	NO	decimal	NULL	NULL	10	2	NULL	NULL	NULL	decimal(10,2)		
label	5	abc	YES	char	3	12	NULL	NULL	NULL	utf8mb4	utf8mb4_0900_ai_ci	char(3)		
kind	6	NULL	YES	enum	2	8	NULL	NULL	NULL	utf8mb4	utf8mb4_0900_ai_ci	enum('x','yy')		
doc	7	NULL	YES	json	NULL	NULL	NULL	NULL	NULL	NULL	NULL	json		
created	8	CURRENT_TIMESTAMP	YES	datetime	NULL	NULL	NULL	NULL	0	NULL	NULL	datetime		DEFAULT_GENERATED
ts	9	NULL	YES	datetime	NULL	NULL	NULL	NULL	3	NULL	NULL	datetime(3)		
pa	10	NULL	YES	int	NULL	NULL	10	0	NULL	NULL	NULL	int	MUL	
pb	11	NULL	YES	varchar	20	80	NULL	NULL	NULL	utf8mb4	utf8mb4_0900_ai_ci	varchar(20)		
qty	12	NULL	YES	int	NULL	NULL	10	0	NULL	NULL	NULL	int		
f	13	NULL	YES	double	NULL	NULL	22	NULL	NULL	NULL	NULL	double		
big	14	NULL	YES	bigint	NULL	NULL	20	0	NULL	NULL	NULL	bigint unsigned		

# mariadb-differs: MySQL 8 returns information_schema column names in upper case whatever case the query used; MariaDB as written; MySQL 8 prints integer types without display width except tinyint(1); MariaDB int(11), tinyint(4)
SELECT column_name, column_key, is_nullable, column_type FROM information_schema.columns WHERE table_schema = 'db' AND table_name = 'parent' ORDER BY ordinal_position;
----
COLUMN_NAME	COLUMN_KEY	IS_NULLABLE	COLUMN_TYPE
a	PRI	NO	int
b	PRI	NO	varchar(20)

# the mariadb CLI's completion query
# mariadb-differs: MySQL 8 returns information_schema column names in upper case whatever case the query used; MariaDB as written
SELECT table_name, column_name FROM information_schema.COLUMNS WHERE table_schema = DATABASE() AND table_name = 'v' ORDER BY table_name, ordinal_position;
----
TABLE_NAME	COLUMN_NAME
v	id
v	name

# mariadb-differs: MariaDB's STATISTICS has no IS_VISIBLE (MySQL 8's invisible indexes)
SELECT index_name, non_unique, seq_in_index, column_name, collation, sub_part, nullable, index_type, is_visible FROM information_schema.statistics WHERE table_schema = 'db' AND table_name = 't' ORDER BY index_name, seq_in_index;
----
INDEX_NAME	NON_UNIQUE	SEQ_IN_INDEX	COLUMN_NAME	COLLATION	SUB_PART	NULLABLE	INDEX_TYPE	IS_VISIBLE
idx_name	1	1	name	A	10	YES	BTREE	YES
idx_p	1	1	pa	A	NULL	YES	BTREE	YES
idx_p	1	2	pb	A	NULL	YES	BTREE	YES
PRIMARY	0	1	id	A	NULL		BTREE	YES
uq_code	0	1	code	A	NULL		BTREE	YES

# mariadb-differs: MySQL 8 returns information_schema column names in upper case whatever case the query used; MariaDB as written
SELECT constraint_name, table_name, column_name, ordinal_position, position_in_unique_constraint, referenced_table_schema, referenced_table_name, referenced_column_name FROM information_schema.key_column_usage WHERE table_schema = 'db' ORDER BY table_name, constraint_name, ordinal_position;
----
CONSTRAINT_NAME	TABLE_NAME	COLUMN_NAME	ORDINAL_POSITION	POSITION_IN_UNIQUE_CONSTRAINT	REFERENCED_TABLE_SCHEMA	REFERENCED_TABLE_NAME	REFERENCED_COLUMN_NAME
PRIMARY	parent	a	1	NULL	NULL	NULL	NULL
PRIMARY	parent	b	2	NULL	NULL	NULL	NULL
fk_p	t	pa	1	1	db	parent	a
fk_p	t	pb	2	2	db	parent	b
PRIMARY	t	id	1	NULL	NULL	NULL	NULL
uq_code	t	code	1	NULL	NULL	NULL	NULL

# SQLAlchemy-style foreign key reflection: a join of two catalog tables
# mariadb-differs: MariaDB reports an unspecified ON UPDATE as RESTRICT, MySQL 8 as NO ACTION
SELECT kcu.constraint_name, kcu.column_name, kcu.referenced_table_name, kcu.referenced_column_name, rc.update_rule, rc.delete_rule, rc.unique_constraint_name FROM information_schema.key_column_usage kcu JOIN information_schema.referential_constraints rc ON rc.constraint_schema = kcu.constraint_schema AND rc.constraint_name = kcu.constraint_name WHERE kcu.table_schema = 'db' AND kcu.table_name = 't' ORDER BY kcu.ordinal_position;
----
CONSTRAINT_NAME	COLUMN_NAME	REFERENCED_TABLE_NAME	REFERENCED_COLUMN_NAME	UPDATE_RULE	DELETE_RULE	UNIQUE_CONSTRAINT_NAME
fk_p	pa	parent	a	NO ACTION	CASCADE	PRIMARY
fk_p	pb	parent	b	NO ACTION	CASCADE	PRIMARY

# mariadb-differs: MariaDB's TABLE_CONSTRAINTS has no ENFORCED column (MySQL 8.0.16+)
SELECT constraint_name, table_name, constraint_type, enforced FROM information_schema.table_constraints WHERE table_schema = 'db' ORDER BY table_name, constraint_name;
----
CONSTRAINT_NAME	TABLE_NAME	CONSTRAINT_TYPE	ENFORCED
PRIMARY	parent	PRIMARY KEY	YES
fk_p	t	FOREIGN KEY	YES
PRIMARY	t	PRIMARY KEY	YES
t_chk_1	t	CHECK	YES
uq_code	t	UNIQUE	YES

# mariadb-differs: MariaDB's CHECK_CONSTRAINTS has a TABLE_NAME column and a LEVEL column; MySQL 8 has neither
SELECT constraint_schema, constraint_name, check_clause FROM information_schema.check_constraints WHERE constraint_schema = 'db';
----
CONSTRAINT_SCHEMA	CONSTRAINT_NAME	CHECK_CLAUSE
db	t_chk_1	(`qty` >= 0)

# mariadb-differs: MySQL 8 returns information_schema column names in upper case whatever case the query used; MariaDB as written
SELECT table_name, check_option, is_updatable, definer, security_type FROM information_schema.views WHERE table_schema = 'db' ORDER BY table_name;
----
TABLE_NAME	CHECK_OPTION	IS_UPDATABLE	DEFINER	SECURITY_TYPE
v	NONE	YES	root@localhost	DEFINER
vc	NONE	NO	root@localhost	DEFINER

SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = 'db';
----
COUNT(*)
0

# mariadb-differs: MySQL 8 returns information_schema column names in upper case whatever case the query used; MariaDB as written
SELECT table_name, partition_name, partition_method FROM information_schema.partitions WHERE table_schema = 'db' ORDER BY table_name;
----
TABLE_NAME	PARTITION_NAME	PARTITION_METHOD
parent	NULL	NULL
t	NULL	NULL

# mariadb-differs: MariaDB lists its many collations, ids and pad attributes of its own
SELECT collation_name, character_set_name, id, is_default, pad_attribute FROM information_schema.collations WHERE collation_name IN ('utf8mb4_0900_ai_ci', 'utf8mb4_bin', 'utf8mb4_0900_as_cs', 'binary') ORDER BY id;
----
COLLATION_NAME	CHARACTER_SET_NAME	ID	IS_DEFAULT	PAD_ATTRIBUTE
utf8mb4_bin	utf8mb4	46		PAD SPACE
binary	binary	63	Yes	NO PAD
utf8mb4_0900_ai_ci	utf8mb4	255	Yes	NO PAD
utf8mb4_0900_as_cs	utf8mb4	278		NO PAD

# mariadb-differs: MariaDB's default utf8mb4 collation is utf8mb4_general_ci
SELECT character_set_name, default_collate_name, maxlen FROM information_schema.character_sets WHERE character_set_name = 'utf8mb4';
----
CHARACTER_SET_NAME	DEFAULT_COLLATE_NAME	MAXLEN
utf8mb4	utf8mb4_0900_ai_ci	4

# mariadb-differs: MySQL 8 returns information_schema column names in upper case whatever case the query used; MariaDB as written
SELECT character_set_name FROM information_schema.collation_character_set_applicability WHERE collation_name = 'utf8mb4_bin';
----
CHARACTER_SET_NAME
utf8mb4

# mariadb-differs: MySQL 8 returns information_schema column names in upper case whatever case the query used; MariaDB as written
SELECT engine, support, transactions FROM information_schema.engines WHERE engine = 'InnoDB';
----
ENGINE	SUPPORT	TRANSACTIONS
InnoDB	DEFAULT	YES

# mariadb-differs: MySQL 8 returns information_schema column names in upper case whatever case the query used; MariaDB as written
SELECT privilege_type, is_grantable FROM information_schema.user_privileges WHERE grantee = '''root''@''localhost''' AND privilege_type IN ('SELECT', 'CREATE VIEW') ORDER BY privilege_type;
----
PRIVILEGE_TYPE	IS_GRANTABLE
CREATE VIEW	YES
SELECT	YES

SELECT COUNT(*) FROM information_schema.processlist WHERE id = CONNECTION_ID();
----
COUNT(*)
1

# a table created since shows at once
CREATE TABLE later (x INT);
----
OK 0

# mariadb-differs: MySQL 8 returns information_schema column names in upper case whatever case the query used; MariaDB as written
SELECT table_name FROM information_schema.tables WHERE table_schema = 'db' AND table_name LIKE 'l%';
----
TABLE_NAME
later

# grove-differs: on Linux (lower_case_table_names=0) MySQL 8 compares TABLE_SCHEMA/TABLE_NAME in utf8mb3_bin and counts 0; Grove's catalog names compare case-insensitively
SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'DB' AND table_name = 'PARENT';
----
COUNT(*)
1

USE information_schema;
----
OK 0

SELECT DATABASE();
----
DATABASE()
information_schema

# mariadb-differs: MySQL 8 returns information_schema column names in upper case whatever case the query used; MariaDB as written
SELECT table_name FROM tables WHERE table_schema = 'db' AND table_type = 'BASE TABLE' ORDER BY table_name;
----
TABLE_NAME
later
parent
t

SELECT * FROM NOSUCH_TABLE;
----
ERROR 1109 (42S02): Unknown table 'NOSUCH_TABLE' in information_schema

CREATE TABLE x (a INT);
----
ERROR 1044 (42000): Access denied for user 'root'@'localhost' to database 'information_schema'

INSERT INTO tables (table_name) VALUES ('x');
----
ERROR 1044 (42000): Access denied for user 'root'@'localhost' to database 'information_schema'

UPDATE information_schema.tables SET table_name = 'y';
----
ERROR 1044 (42000): Access denied for user 'root'@'localhost' to database 'information_schema'

DROP DATABASE information_schema;
----
ERROR 1044 (42000): Access denied for user 'root'@'localhost' to database 'information_schema'

USE db;
----
OK 0

SELECT * FROM information_schema.NOSUCH;
----
ERROR 1109 (42S02): Unknown table 'NOSUCH' in information_schema

DELETE FROM information_schema.columns;
----
ERROR 1044 (42000): Access denied for user 'root'@'localhost' to database 'information_schema'

# dropped objects leave the catalog
DROP VIEW vc;
----
OK 0

# mariadb-differs: MySQL 8 returns information_schema column names in upper case whatever case the query used; MariaDB as written
SELECT table_name FROM information_schema.views WHERE table_schema = 'db';
----
TABLE_NAME
v
