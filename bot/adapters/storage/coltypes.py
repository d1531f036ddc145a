"""Column types, one per kind of value, rendered per dialect the way the hand-written schema (version 4) declared them:
plain TEXT / INTEGER / REAL / BLOB on SQLite; VARCHAR keys in utf8mb4_bin, MEDIUMTEXT bodies, TINYINT flags, DOUBLE
times and LONGBLOB vectors on MySQL, MariaDB and TiDB.

The migrations use these too, so a type here must never change meaning: add a new function instead.
"""
from __future__ import annotations

from sqlalchemy import REAL, BigInteger, Integer, LargeBinary, String, Text
from sqlalchemy.dialects import mysql

MYSQL_TABLE = {"mysql_engine": "InnoDB", "mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin"}
CASE_INSENSITIVE = "utf8mb4_general_ci"


def key(length: int = 255):
    """An id or short name, compared exactly (the tables' utf8mb4_bin collation)."""
    return String(length).with_variant(Text(), "sqlite")


def key_ci(length: int = 320):
    """A short value compared without regard to case (e-mail)."""
    return String(length, collation=CASE_INSENSITIVE).with_variant(Text(), "sqlite")


def text():
    return Text()


def text_ci():
    """Free text compared without regard to case (display names)."""
    return Text(collation=CASE_INSENSITIVE).with_variant(Text(), "sqlite")


def long_text():
    """Resumes, JSON documents: more than TEXT's 64 KB on MySQL."""
    return Text().with_variant(mysql.MEDIUMTEXT(), "mysql")


def flag():
    """0 or 1."""
    return Integer().with_variant(mysql.TINYINT(), "mysql")


def integer():
    return Integer()


def counter():
    return BigInteger().with_variant(Integer(), "sqlite")


def row_id():
    """An auto-increment id (SQLite needs exactly INTEGER for that)."""
    return BigInteger().with_variant(Integer(), "sqlite")


def seconds():
    """Epoch seconds as a float."""
    return REAL().with_variant(mysql.DOUBLE(), "mysql")


def blob():
    return LargeBinary().with_variant(mysql.LONGBLOB(), "mysql")
