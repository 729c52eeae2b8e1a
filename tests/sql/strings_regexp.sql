# LIKE ... ESCAPE and NOT LIKE (expressions._like).  Checked against MariaDB 10.11.  Not yet here: REGEXP,
# RLIKE and the REGEXP_* functions (bound by special_forms, not implemented yet: 1305).

SELECT 'a%c' LIKE 'a|%c' ESCAPE '|', 'abc' LIKE 'a|%c' ESCAPE '|', 'a_c' NOT LIKE 'a#_c' ESCAPE '#', 'abc' NOT LIKE 'a#_c' ESCAPE '#', 'a%' LIKE 'a\%', NULL LIKE 'a' ESCAPE '|', 'ABC' LIKE 'a%', 'ABC' NOT LIKE 'a%';
----
'a%c' LIKE 'a|%c' ESCAPE '|'	'abc' LIKE 'a|%c' ESCAPE '|'	'a_c' NOT LIKE 'a#_c' ESCAPE '#'	'abc' NOT LIKE 'a#_c' ESCAPE '#'	'a%' LIKE 'a\%'	NULL LIKE 'a' ESCAPE '|'	'ABC' LIKE 'a%'	'ABC' NOT LIKE 'a%'
1	0	0	1	1	NULL	1	0

SELECT 'x' LIKE 'x' ESCAPE 'ab';
----
ERROR 1210 (HY000): Incorrect arguments to ESCAPE
