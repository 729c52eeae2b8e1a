"""information_schema and catalog SHOWs beyond the golden files: answers that depend on connections
(PROCESSLIST, STATUS), SHOW TABLE STATUS's columns, and the plan cache across USE."""

from __future__ import annotations

import os

import pymysql

from sqlserver.databases import DatabaseProvider, init_database_dir
from sqlserver.engine import SessionState, execute_sync, information_schema


def _connect(server, db="db"):
    return pymysql.connect(host="127.0.0.1", port=server.port, user="root", database=db, autocommit=True)


def test_processlist_lists_every_connection(grove_server):
    a, b = _connect(grove_server), _connect(grove_server, None)
    try:
        with a.cursor() as ca, b.cursor() as cb:
            ca.execute("SELECT CONNECTION_ID()")
            id_a = ca.fetchone()[0]
            cb.execute("SELECT CONNECTION_ID()")
            id_b = cb.fetchone()[0]
            ca.execute("SHOW FULL PROCESSLIST")
            assert [d[0] for d in ca.description] == ["Id", "User", "Host", "db", "Command", "Time", "State", "Info"]
            rows = {r[0]: r for r in ca.fetchall()}
            assert rows[id_a][1:5] == ("root", "localhost", "db", "Query")
            assert rows[id_a][7] == "SHOW FULL PROCESSLIST"
            assert rows[id_b][3] is None and rows[id_b][4] == "Sleep"
            ca.execute("SELECT ID, DB FROM information_schema.processlist ORDER BY ID")
            assert {r[0]: r[1] for r in ca.fetchall()} == {id_a: "db", id_b: None}
            ca.execute("SHOW GLOBAL STATUS LIKE 'Threads_connected'")
            assert ca.fetchall() == (("Threads_connected", "2"),)
            ca.execute("SHOW STATUS WHERE Variable_name IN ('Uptime', 'Questions')")
            assert [r[0] for r in ca.fetchall()] == ["Questions", "Uptime"]
    finally:
        a.close()
        b.close()


def test_show_table_status_columns(tmp_path):
    init_database_dir(os.path.join(tmp_path, "db"))
    state = SessionState(DatabaseProvider(str(tmp_path)))
    execute_sync(state, "USE db")
    execute_sync(state, "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v INT) COMMENT 'hello'")
    execute_sync(state, "INSERT INTO t (v) VALUES (1), (2), (3)")
    execute_sync(state, "CREATE VIEW w AS SELECT v FROM t")
    [r] = execute_sync(state, "SHOW TABLE STATUS")
    assert [c.name for c in r.columns] == [
        "Name", "Engine", "Version", "Row_format", "Rows", "Avg_row_length", "Data_length", "Max_data_length",
        "Index_length", "Data_free", "Auto_increment", "Create_time", "Update_time", "Check_time", "Collation",
        "Checksum", "Create_options", "Comment"]
    t, w = r.rows
    assert (t[0], t[1], t[4], t[10], t[14], t[17]) == ("t", "InnoDB", 3, 4, "utf8mb4_0900_ai_ci", "hello")
    assert w[0] == "w" and w[1:17] == (None,) * 16 and w[17] == "VIEW"
    [r] = execute_sync(state, "SHOW TABLE STATUS LIKE 'w'")
    assert [x[0] for x in r.rows] == ["w"]


def test_cached_plan_follows_use(tmp_path):
    """The plan cache is shared by text: ``FROM tables`` means information_schema.TABLES only there."""
    init_database_dir(os.path.join(tmp_path, "db"))
    state = SessionState(DatabaseProvider(str(tmp_path)))
    execute_sync(state, "USE db")
    execute_sync(state, "CREATE TABLE tables (x INT)")
    execute_sync(state, "INSERT INTO tables VALUES (7)")
    execute_sync(state, "INSERT INTO tables VALUES (8), (9)")
    catalog_rows = 1 + len(information_schema.TABLES)  # db.tables and the information_schema views
    for _ in range(2):  # the second round runs from the cache
        execute_sync(state, "USE information_schema")
        [r] = execute_sync(state, "SELECT COUNT(*) FROM tables")
        assert r.rows == [(catalog_rows,)]
        execute_sync(state, "USE db")
        [r] = execute_sync(state, "SELECT COUNT(*) FROM tables")
        assert r.rows == [(3,)]
