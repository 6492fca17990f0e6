"""Adapter from the registry to the matching engine (parcours.matching.realtime): which keys go
in which mk_* column, which index lookups fetch candidates, and the scoring call."""

from parcours.matching import realtime


def db_keys(record: dict) -> dict:
    return realtime.db_keys(record)


def db_blocks(keys: dict, record: dict) -> list[dict]:
    return realtime.db_blocks(keys, record)


def rank(query: dict, rows: list[dict], *, limit: int, language: str) -> list:
    return realtime.rank(query, rows, limit=limit, language=language)
