# LIKE ... ESCAPE and NOT LIKE (expressions._like); REGEXP, RLIKE, NOT REGEXP and the REGEXP_* functions
# (regexp_functions).  Checked against MariaDB 10.11 where it agrees with MySQL 8 (REGEXP/RLIKE results, the
# _bin collation table, REGEXP_INSTR/SUBSTR/REPLACE basics).  Documented MySQL 8 / MariaDB differences here:
# * MySQL 8 (ICU) rejects an empty pattern with 3685; MariaDB (PCRE) matches it;
# * MySQL 8 errors on bad patterns with its own numbers (3685-3697); MariaDB reports 1139;
# * REGEXP_LIKE's match_type argument and REGEXP_INSTR's pos/occurrence/return_option are MySQL 8 only;
# * 'A1' REGEXP '^[[:lower:]]' is 1 in MySQL 8 (ICU folds case into POSIX classes under a _ci collation),
#   0 in MariaDB;
# * REGEXP_REPLACE's group references are $1 in MySQL 8 (ICU), \1 in MariaDB;
# * REGEXP_SUBSTR with no match is NULL in MySQL 8, '' in MariaDB.

SELECT 'a%c' LIKE 'a|%c' ESCAPE '|', 'abc' LIKE 'a|%c' ESCAPE '|', 'a_c' NOT LIKE 'a#_c' ESCAPE '#', 'abc' NOT LIKE 'a#_c' ESCAPE '#', 'a%' LIKE 'a\%', NULL LIKE 'a' ESCAPE '|', 'ABC' LIKE 'a%', 'ABC' NOT LIKE 'a%';
----
'a%c' LIKE 'a|%c' ESCAPE '|'	'abc' LIKE 'a|%c' ESCAPE '|'	'a_c' NOT LIKE 'a#_c' ESCAPE '#'	'abc' NOT LIKE 'a#_c' ESCAPE '#'	'a%' LIKE 'a\%'	NULL LIKE 'a' ESCAPE '|'	'ABC' LIKE 'a%'	'ABC' NOT LIKE 'a%'
1	0	0	1	1	NULL	1	0

SELECT 'x' LIKE 'x' ESCAPE 'ab';
----
ERROR 1210 (HY000): Incorrect arguments to ESCAPE

SELECT 'Abc' REGEXP '^a', 'Abc' NOT REGEXP '^a', 'abc' RLIKE 'x', 'abc' RLIKE 'B', NULL REGEXP 'a', 'a' REGEXP NULL, 12345 REGEXP '^[0-9]+$';
----
'Abc' REGEXP '^a'	'Abc' NOT REGEXP '^a'	'abc' RLIKE 'x'	'abc' RLIKE 'B'	NULL REGEXP 'a'	'a' REGEXP NULL	12345 REGEXP '^[0-9]+$'
1	0	0	1	NULL	NULL	1

# mariadb-differs: MySQL 8's regexp library is ICU: REGEXP_LIKE and REGEXP_INSTR/SUBSTR/REPLACE's pos/occurrence/match_type arguments exist; MariaDB (PCRE) lacks them (1305/1582)
SELECT REGEXP_LIKE('Abc', '^a'), REGEXP_LIKE('Abc', '^a', 'c'), REGEXP_LIKE('Abc', '^a', 'ci'), REGEXP_LIKE('a\nb', 'a.b'), REGEXP_LIKE('a\nb', 'a.b', 'n'), REGEXP_LIKE('a\nb', '^b$', 'm');
----
REGEXP_LIKE('Abc', '^a')	REGEXP_LIKE('Abc', '^a', 'c')	REGEXP_LIKE('Abc', '^a', 'ci')	REGEXP_LIKE('a\nb', 'a.b')	REGEXP_LIKE('a\nb', 'a.b', 'n')	REGEXP_LIKE('a\nb', '^b$', 'm')
1	0	1	0	1	1

# mariadb-differs: 'A1' REGEXP '^[[:lower:]]' is 1 in MySQL 8 (ICU folds case into POSIX classes under a _ci collation); 0 in MariaDB
SELECT 'a1' REGEXP '^[[:alpha:]][[:digit:]]$', 'A1' REGEXP '^[[:lower:]]', 'x y' REGEXP '[[:space:]]', 'ab' REGEXP '^[^[:digit:]]+$';
----
'a1' REGEXP '^[[:alpha:]][[:digit:]]$'	'A1' REGEXP '^[[:lower:]]'	'x y' REGEXP '[[:space:]]'	'ab' REGEXP '^[^[:digit:]]+$'
1	1	1	1

CREATE TABLE rx (id INT PRIMARY KEY, s VARCHAR(20) COLLATE utf8mb4_bin, ci VARCHAR(20));
----
OK 0

INSERT INTO rx VALUES (1, 'Apple', 'Apple'), (2, 'apple', 'apple'), (3, 'banana', 'banana');
----
OK 3 info=Records: 3  Duplicates: 0  Warnings: 0

SELECT id, s REGEXP '^a', ci REGEXP '^a', s REGEXP 'an{2}' FROM rx ORDER BY id;
----
id	s REGEXP '^a'	ci REGEXP '^a'	s REGEXP 'an{2}'
1	0	1	0
2	1	1	0
3	0	0	0

SELECT id FROM rx WHERE ci REGEXP '^(a|b)' AND s NOT REGEXP 'A' ORDER BY id;
----
id
2
3

# mariadb-differs: MySQL 8's regexp library is ICU: REGEXP_LIKE and REGEXP_INSTR/SUBSTR/REPLACE's pos/occurrence/match_type arguments exist; MariaDB (PCRE) lacks them (1305/1582)
SELECT REGEXP_INSTR('dog cat dog', 'dog'), REGEXP_INSTR('dog cat dog', 'dog', 2), REGEXP_INSTR('dog cat dog', 'dog', 1, 2), REGEXP_INSTR('dog cat dog', 'dog', 1, 1, 1), REGEXP_INSTR('dog', 'x'), REGEXP_INSTR(NULL, 'x');
----
REGEXP_INSTR('dog cat dog', 'dog')	REGEXP_INSTR('dog cat dog', 'dog', 2)	REGEXP_INSTR('dog cat dog', 'dog', 1, 2)	REGEXP_INSTR('dog cat dog', 'dog', 1, 1, 1)	REGEXP_INSTR('dog', 'x')	REGEXP_INSTR(NULL, 'x')
1	9	9	4	0	NULL

# mariadb-differs: MySQL 8's regexp library is ICU: REGEXP_LIKE and REGEXP_INSTR/SUBSTR/REPLACE's pos/occurrence/match_type arguments exist; MariaDB (PCRE) lacks them (1305/1582)
SELECT REGEXP_SUBSTR('abc def ghi', '[a-z]+'), REGEXP_SUBSTR('abc def ghi', '[a-z]+', 1, 3), REGEXP_SUBSTR('abc def ghi', '[a-z]+', 5), REGEXP_SUBSTR('abc', 'x');
----
REGEXP_SUBSTR('abc def ghi', '[a-z]+')	REGEXP_SUBSTR('abc def ghi', '[a-z]+', 1, 3)	REGEXP_SUBSTR('abc def ghi', '[a-z]+', 5)	REGEXP_SUBSTR('abc', 'x')
abc	ghi	def	NULL

# mariadb-differs: MySQL 8's regexp library is ICU: REGEXP_LIKE and REGEXP_INSTR/SUBSTR/REPLACE's pos/occurrence/match_type arguments exist; MariaDB (PCRE) lacks them (1305/1582)
SELECT REGEXP_REPLACE('a b c', '[a-z]', 'X'), REGEXP_REPLACE('a b c', '[a-z]', 'X', 1, 2), REGEXP_REPLACE('a b c', '[a-z]', 'X', 3), REGEXP_REPLACE('John Smith', '(\\w+) (\\w+)', '$2, $1'), REGEXP_REPLACE('abc', 'B', '-');
----
REGEXP_REPLACE('a b c', '[a-z]', 'X')	REGEXP_REPLACE('a b c', '[a-z]', 'X', 1, 2)	REGEXP_REPLACE('a b c', '[a-z]', 'X', 3)	REGEXP_REPLACE('John Smith', '(\\w+) (\\w+)', '$2, $1')	REGEXP_REPLACE('abc', 'B', '-')
X X X	a X c	a X X	Smith, John	a-c

# mariadb-differs: MySQL 8 (ICU) rejects an empty pattern with 3685; MariaDB (PCRE) matches it
SELECT 'a' REGEXP '';
----
ERROR 3685 (HY000): Illegal argument to a regular expression.

# mariadb-differs: MySQL 8 (ICU) reports bad patterns as 3685-3697; MariaDB (PCRE) 1139 or accepts the pattern
SELECT 'a' REGEXP '(';
----
ERROR 3691 (HY000): Mismatched parenthesis in regular expression.

# mariadb-differs: MySQL 8 (ICU) reports bad patterns as 3685-3697; MariaDB (PCRE) 1139 or accepts the pattern
SELECT 'a' REGEXP '[a';
----
ERROR 3696 (HY000): The regular expression contains an unclosed bracket expression.

# mariadb-differs: MySQL 8 (ICU) reports bad patterns as 3685-3697; MariaDB (PCRE) 1139 or accepts the pattern
SELECT 'a' REGEXP 'a{1';
----
ERROR 3692 (HY000): Incorrect description of a {min,max} interval.

# mariadb-differs: MySQL 8 (ICU) reports bad patterns as 3685-3697; MariaDB (PCRE) 1139 or accepts the pattern
SELECT 'a' REGEXP 'a{2,1}';
----
ERROR 3693 (HY000): The maximum is less than the minimum in a {min,max} interval.

# mariadb-differs: MySQL 8's regexp library is ICU: REGEXP_LIKE and REGEXP_INSTR/SUBSTR/REPLACE's pos/occurrence/match_type arguments exist; MariaDB (PCRE) lacks them (1305/1582)
SELECT REGEXP_INSTR('abc', 'b', 5);
----
ERROR 3686 (HY000): Index out of bounds in regular expression search.

# mariadb-differs: MySQL 8's regexp library is ICU: REGEXP_LIKE and REGEXP_INSTR/SUBSTR/REPLACE's pos/occurrence/match_type arguments exist; MariaDB (PCRE) lacks them (1305/1582)
SELECT REGEXP_LIKE('a', 'a', 'x');
----
ERROR 1210 (HY000): Incorrect arguments to regexp_like
