# The session time zone (engine/timezones.py): NOW() and FROM_UNIXTIME() answer in it, UNIX_TIMESTAMP()
# reads DATETIME values in it; fixed offsets range from -13:59 to +14:00 and anything else is 1298.

SET time_zone = '+02:00';
----
OK 0

SELECT @@time_zone, @@session.time_zone;
----
@@time_zone	@@session.time_zone
+02:00	+02:00

SELECT ROUND(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW()) / 3600);
----
ROUND(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW()) / 3600)
2

SELECT UNIX_TIMESTAMP('2020-01-01 02:00:00'), FROM_UNIXTIME(1577836800);
----
UNIX_TIMESTAMP('2020-01-01 02:00:00')	FROM_UNIXTIME(1577836800)
1577836800	2020-01-01 02:00:00

SET time_zone = '-05:30';
----
OK 0

SELECT FROM_UNIXTIME(1577836800), ROUND(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW()) / 60);
----
FROM_UNIXTIME(1577836800)	ROUND(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW()) / 60)
2019-12-31 18:30:00	-330

SET time_zone = '+14:01';
----
ERROR 1298 (HY000): Unknown or incorrect time zone: '+14:01'

SET time_zone = 'No/Such_Zone';
----
ERROR 1298 (HY000): Unknown or incorrect time zone: 'No/Such_Zone'

SELECT @@time_zone;
----
@@time_zone
-05:30

SET time_zone = '+00:00';
----
OK 0

SELECT UNIX_TIMESTAMP('2020-01-01 00:00:00'), FROM_UNIXTIME(0);
----
UNIX_TIMESTAMP('2020-01-01 00:00:00')	FROM_UNIXTIME(0)
1577836800	1970-01-01 00:00:00
