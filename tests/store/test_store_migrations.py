"""Migrations build exactly the schema the code declares, once, and opening again changes nothing."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from saylau.store import Store, open_store
from saylau.store.migrate import current_revision, head_revision, upgrade
from saylau.store.schema import metadata


def test_migrated_schema_matches_the_declared_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []
        assert current_revision(conn) == head_revision()


def test_replaying_every_migration_builds_the_declared_tables(store_url: str) -> None:
    """An empty database is given the declared tables at once; the migrations, replayed one by one on an empty
    database, must build exactly the same (what upgrades existing stores)."""
    from saylau.store.engine import make_engine
    from saylau.store.migrate import MIGRATIONS, MigrationChain

    engine = make_engine(store_url)
    try:
        assert MigrationChain(MIGRATIONS).upgrade(engine) is True  # no create_tables: every script runs
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
            assert current_revision(conn) == head_revision()
            versions = conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar()
        assert versions == 1
    finally:
        engine.dispose()
    with open_store(store_url) as store:
        assert store.verify_audit_log().ok


def test_opening_again_does_not_migrate(store_url: str) -> None:
    with open_store(store_url) as first:
        assert upgrade(first.engine) is False
    with open_store(store_url) as second:
        assert second.verify_audit_log().ok


def test_default_location_is_saylau_db_or_the_working_directory(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from saylau.store import resolve_url

    monkeypatch.delenv("SAYLAU_DB", raising=False)
    assert resolve_url(None) == "sqlite:///saylau.sqlite"
    monkeypatch.setenv("SAYLAU_DB", str(tmp_path / "x.sqlite"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SAYLAU_DB")
    with open_store() as store:
        assert store.list_elections() == []
    assert (tmp_path / "saylau.sqlite").is_file()


def test_the_head_read_from_the_scripts_is_alembics_own() -> None:
    from alembic.script import ScriptDirectory

    from saylau.store.migrate import STORE_CHAIN

    assert head_revision() == ScriptDirectory.from_config(STORE_CHAIN.config()).get_current_head() == "0005"


def test_an_up_to_date_store_opens_without_importing_alembic(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    db = tmp_path / "s.sqlite"
    open_store(db).close()  # created and migrated here
    code = (f"import sys; from saylau.store import open_store; open_store({str(db)!r}).close(); "
            "sys.exit(1 if any(m.split('.')[0] == 'alembic' for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def _index_definition(conn: object, name: str) -> str:
    sql = ("SELECT indexdef FROM pg_indexes WHERE indexname = %s" if conn.dialect.name == "postgresql"  # type: ignore[attr-defined]
           else "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
    return str(conn.exec_driver_sql(sql, (name,)).scalar())  # type: ignore[attr-defined]


def test_the_current_version_index_is_partial_on_either_backend(store: Store) -> None:
    # Given its PostgreSQL WHERE only when a PostgreSQL engine is made (a SQLite process never loads that dialect).
    with store.engine.connect() as conn:
        assert "WHERE is_current" in _index_definition(conn, "ix_protocol_current").replace('"', "")


def test_the_migrations_build_the_partial_index_too(store_url: str) -> None:
    from saylau.store.engine import make_engine
    from saylau.store.migrate import MIGRATIONS, MigrationChain

    engine = make_engine(store_url)
    try:
        assert MigrationChain(MIGRATIONS).upgrade(engine) is True
        with engine.connect() as conn:
            assert "WHERE is_current" in _index_definition(conn, "ix_protocol_current").replace('"', "")
    finally:
        engine.dispose()


def test_a_sqlite_process_never_imports_the_postgresql_dialect(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    script = ("import sys\nfrom saylau.store import open_store\n"
              f"with open_store({str(tmp_path / 's.sqlite')!r}) as s:\n    s.election_data\n"
              "from saylau.cli import main\n"
              f"main(['load', 'kz-2021', '--db', {str(tmp_path / 's.sqlite')!r}])\n"
              f"main(['results', '--election', 'kz-2021', '--db', {str(tmp_path / 's.sqlite')!r}])\n"
              "print('sqlalchemy.dialects.postgresql' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "False"


def test_a_new_sqlite_store_replays_the_schema_the_first_one_was_given(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from saylau.store import migrate

    monkeypatch.setattr(migrate, "_SQLITE_DDL", [])
    schemas = []
    for name in ("first", "second"):  # the first runs create_all (and records it), the second replays it
        with open_store(tmp_path / f"{name}.sqlite") as store, store.engine.connect() as conn:
            schemas.append(conn.exec_driver_sql("SELECT type, name, tbl_name, sql FROM sqlite_master "
                                                "ORDER BY type, name").all())
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
            assert current_revision(conn) == head_revision()
            assert store.verify_audit_log().ok
        if name == "first":
            assert len(migrate._SQLITE_DDL) > 20 and all(s.lstrip().startswith("CREATE") for s in migrate._SQLITE_DDL)
    assert schemas[0] == schemas[1] and len(schemas[0]) > 20
