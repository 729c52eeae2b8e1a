"""Real MySQL clients and an ORM against ``grove sql-server``, unmodified (issue 7).

* ``all_types``: the one table of every column type the tests share, with what MySQL 8 gives back.
* ``test_drivers``: PyMySQL, mysqlclient (MySQLdb), mysql-connector-python and the mariadb CLI over the
  text protocol.
* ``test_prepared``: mysql-connector-python's server-side prepared statements (the binary protocol).
* ``test_sqlalchemy``: SQLAlchemy 2 over PyMySQL: ORM sessions, relationships, reflection.
* ``test_mariadb_cli``: the mariadb CLI's own queries (status, auto-rehash).
"""
