import sqlite3

from parcours.core.management.commands.backup import sqlite_copy


def test_sqlite_backup_and_restore_copy_the_data(tmp_path):
    live = tmp_path / "live.sqlite3"
    conn = sqlite3.connect(live)
    conn.execute("CREATE TABLE t (x int)")
    conn.execute("INSERT INTO t VALUES (42)")
    conn.commit()
    conn.close()
    backup = tmp_path / "backup.sqlite3"
    sqlite_copy(live, backup)
    restored = tmp_path / "restored.sqlite3"
    sqlite_copy(backup, restored)
    assert sqlite3.connect(restored).execute("SELECT x FROM t").fetchone() == (42,)
