"""The claims ledger: the Sitrep database in Datasette, read-only, with Sitrep's metadata.

`config/datasette.yml` holds the titles, descriptions and canned queries. The database is served
under the name `sitrep` whatever its file is called, every connection to it is `query_only`
(Datasette already opens it `mode=ro`), and two SQL functions are registered on it:
`sitrep_party(conflicts, claimant)` (config/conflicts.toml's party, as briefings and replies
show it) and `sitrep_quantity(series_key)` (briefings.history's compare key). Datasette is an
optional extra (`pip install 'sitrep[browse]'`), imported only here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefings.conflicts import Conflicts
from briefings.errors import ConfigError
from briefings.history import compared
from briefings.settings import default_config_dir

__all__ = ["DATABASE", "METADATA_FILE", "browse", "build_datasette", "load_metadata"]

DATABASE = "sitrep"
METADATA_FILE = "datasette.yml"
PLUGIN = "sitrep-ledger"
MISSING = ("Datasette is not installed — install the browse extra: "
           "pip install 'sitrep[browse]' (or pip install -e '.[browse]' in a checkout)")


def load_metadata(config_dir: Path) -> dict[str, Any]:
    """The ledger's metadata from `<config_dir>/datasette.yml`, else the checkout's copy."""
    try:
        import yaml  # Datasette's own dependency
    except ImportError as exc:
        raise ConfigError(MISSING) from exc

    for path in (config_dir / METADATA_FILE, default_config_dir() / METADATA_FILE):
        if path.is_file():
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as exc:
                raise ConfigError(f"{path} is not valid YAML ({exc}) — fix it, or delete it to "
                                  "use the shipped one") from exc
            if not isinstance(data, dict) or DATABASE not in (data.get("databases") or {}):
                raise ConfigError(f"{path} has no databases: {DATABASE}: section — restore it "
                                  "from the Sitrep checkout")
            return data
    raise ConfigError(f"no {METADATA_FILE} in {config_dir} — copy config/{METADATA_FILE} there")


def _party_function(conflicts: Conflicts) -> Callable[[str | None, str | None], str | None]:
    def party(story_conflicts: str | None, claimant: str | None) -> str | None:
        if not claimant or not story_conflicts:
            return None
        for conflict in story_conflicts.split("|"):
            found = conflicts.party_of(conflict, claimant) if conflict else None
            if found:
                return found
        return None

    return party


def _quantity(series_key: str | None) -> str | None:
    return compared(series_key) if series_key else None


def build_datasette(db_path: Path, conflicts: Conflicts, metadata: dict[str, Any]):
    """A Datasette instance serving `db_path` as `sitrep` (ConfigError without Datasette)."""
    try:
        from datasette import hookimpl
        from datasette.app import Datasette
        from datasette.database import Database
        from datasette.plugins import pm
    except ImportError as exc:
        raise ConfigError(MISSING) from exc
    if not db_path.is_file():
        raise ConfigError(f"no database at {db_path} — set SITREP_DB to the file the worker "
                          "writes, or run `sitrep poll` first")
    party = _party_function(conflicts)

    class SitrepHooks:
        """Read-only connections to the ledger, with Sitrep's SQL functions."""

        __name__ = PLUGIN  # Datasette lists plugins by their module-like name

        @hookimpl
        def prepare_connection(self, conn, database, datasette) -> None:
            if database != DATABASE:
                return
            conn.execute("pragma query_only = 1")
            conn.create_function("sitrep_party", 2, party, deterministic=True)
            conn.create_function("sitrep_quantity", 1, _quantity, deterministic=True)

    if pm.get_plugin(PLUGIN) is not None:
        pm.unregister(name=PLUGIN)
    pm.register(SitrepHooks(), name=PLUGIN)
    datasette = Datasette(metadata=metadata, settings={"sql_time_limit_ms": 3000})
    datasette.add_database(Database(datasette, path=str(db_path), is_mutable=True),
                           name=DATABASE)
    return datasette


def browse(db_path: Path, conflicts: Conflicts, config_dir: Path, *, host: str, port: int,
           ready: Callable[[str], None] | None = None) -> None:
    """Serve the ledger on `host`:`port` until interrupted; `ready` is told its URL first."""
    metadata = load_metadata(config_dir)
    datasette = build_datasette(db_path, conflicts, metadata)
    import uvicorn
    from datasette.cli import run_sync

    run_sync(datasette.invoke_startup)
    if ready is not None:
        ready(f"http://{host}:{port}/{DATABASE}")
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")
