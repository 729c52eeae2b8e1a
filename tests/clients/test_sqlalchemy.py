"""SQLAlchemy 2 (``mysql+pymysql``) against Grove: declarative models with a one-to-many relationship,
sessions that commit and roll back, lazy and selectin loading, reflection through ``inspect(engine)``
compared with the DDL that made the tables, and schema changes made through SQLAlchemy.

SQLAlchemy's MySQL dialect reflects tables by parsing SHOW CREATE TABLE, and asks SHOW FULL TABLES,
SHOW VARIABLES and a few information_schema queries besides; what it gets back is compared here with
what the DDL declared (MySQL 8 reports the same).
"""

from __future__ import annotations

import pytest

sa = pytest.importorskip("sqlalchemy")
from sqlalchemy import (BigInteger, Column, ForeignKey, Index, Integer, MetaData, Numeric, String, Table,  # noqa: E402
                        UniqueConstraint, inspect, select, text)
from sqlalchemy.dialects import mysql  # noqa: E402
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, selectinload  # noqa: E402


class Base(DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "author"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(50), nullable=False, unique=True)
    books: Mapped[list["Book"]] = relationship(back_populates="author", order_by="Book.id")


class Book(Base):
    __tablename__ = "book"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("author.id"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(100), nullable=False)
    pages: Mapped[int | None] = mapped_column(Integer, server_default=text("100"))
    author: Mapped[Author] = relationship(back_populates="books")


@pytest.fixture
def engine(grove_server):
    eng = sa.create_engine(f"mysql+pymysql://root@127.0.0.1:{grove_server.port}/db",
                           connect_args={"connect_timeout": 10, "read_timeout": 60})
    yield eng
    eng.dispose()


def _populate(engine):
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        s.add_all([Author(name="Ann", books=[Book(title="A1"), Book(title="A2", pages=7)]),
                   Author(name="Bob", books=[Book(title="B1")])])
        s.commit()


def test_orm_commit_rollback_and_relationship_loading(engine):
    _populate(engine)
    with Session(engine) as s:
        s.add(Author(name="Rolled back"))
        ann = s.scalars(select(Author).where(Author.name == "Ann")).one()
        ann.books.append(Book(title="A3"))
        s.flush()
        s.rollback()
    with Session(engine) as s:
        assert s.scalars(select(Author.name).order_by(Author.id)).all() == ["Ann", "Bob"]
        # lazy loading: one query per collection, on access
        ann = s.scalars(select(Author).where(Author.name == "Ann")).one()
        assert [(b.title, b.pages) for b in ann.books] == [("A1", 100), ("A2", 7)]
        assert ann.books[0].author is ann
    with Session(engine) as s:
        authors = s.scalars(select(Author).options(selectinload(Author.books)).order_by(Author.id)).all()
        assert [(a.name, [b.title for b in a.books]) for a in authors] == [("Ann", ["A1", "A2"]), ("Bob", ["B1"])]
        # an update committed in one session is seen by the next
        authors[1].books[0].title = "B1 (2nd ed.)"
        s.commit()
    with Session(engine) as s:
        assert s.scalars(select(Book.title).where(Book.author_id == select(Author.id).where(
            Author.name == "Bob").scalar_subquery())).all() == ["B1 (2nd ed.)"]


def test_orm_unique_violation_is_integrity_error_and_session_recovers(engine):
    _populate(engine)
    with Session(engine) as s:
        s.add(Author(name="Ann"))
        with pytest.raises(sa.exc.IntegrityError) as e:
            s.commit()
        assert e.value.orig.args[0] == 1062
        s.rollback()
        assert s.scalars(select(sa.func.count()).select_from(Author)).one() == 2


def test_inspector_reports_what_the_ddl_declared(engine):
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE parent (id INT NOT NULL AUTO_INCREMENT, code VARCHAR(10) NOT NULL, "
                          "PRIMARY KEY (id), UNIQUE KEY uq_code (code))"))
        conn.execute(text(
            "CREATE TABLE child (id BIGINT NOT NULL AUTO_INCREMENT, parent_id INT NOT NULL, "
            "name VARCHAR(40) DEFAULT 'x', qty INT NOT NULL DEFAULT 0, price DECIMAL(10,2), note TEXT, "
            "PRIMARY KEY (id), KEY ix_name_qty (name, qty), "
            "CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id))"))
    insp = inspect(engine)
    assert sorted(insp.get_table_names()) == ["child", "parent"]
    cols = {c["name"]: c for c in insp.get_columns("child")}
    assert list(cols) == ["id", "parent_id", "name", "qty", "price", "note"]
    assert isinstance(cols["id"]["type"], mysql.BIGINT)
    assert isinstance(cols["parent_id"]["type"], mysql.INTEGER)
    assert isinstance(cols["name"]["type"], mysql.VARCHAR) and cols["name"]["type"].length == 40
    assert isinstance(cols["price"]["type"], mysql.DECIMAL)
    assert (cols["price"]["type"].precision, cols["price"]["type"].scale) == (10, 2)
    assert isinstance(cols["note"]["type"], mysql.TEXT)
    assert {n: c["nullable"] for n, c in cols.items()} == {
        "id": False, "parent_id": False, "name": True, "qty": False, "price": True, "note": True}
    assert {n: c["default"] for n, c in cols.items()} == {
        "id": None, "parent_id": None, "name": "'x'", "qty": "'0'", "price": None, "note": None}
    assert cols["id"]["autoincrement"] is True
    assert insp.get_pk_constraint("child")["constrained_columns"] == ["id"]
    fks = insp.get_foreign_keys("child")
    assert [(f["name"], f["constrained_columns"], f["referred_table"], f["referred_columns"]) for f in fks] == [
        ("fk_parent", ["parent_id"], "parent", ["id"])]
    indexes = {i["name"]: (i["column_names"], i["unique"]) for i in insp.get_indexes("child")}
    # MySQL adds an index for a foreign key without one, named after the constraint
    assert indexes == {"ix_name_qty": (["name", "qty"], False), "fk_parent": (["parent_id"], False)}
    assert [(i["name"], i["column_names"], i["unique"]) for i in insp.get_indexes("parent")] == [
        ("uq_code", ["code"], True)]
    assert [(u["name"], u["column_names"]) for u in insp.get_unique_constraints("parent")] == [("uq_code", ["code"])]
    assert insp.get_unique_constraints("child") == []


def test_schema_changes_through_sqlalchemy_are_reflected(engine):
    meta = MetaData()
    gadgets = Table("gadgets", meta,
                    Column("id", BigInteger, primary_key=True),
                    Column("sku", String(20), nullable=False),
                    Column("weight", Numeric(6, 3)),
                    UniqueConstraint("sku", name="uq_sku"),
                    Index("ix_weight", "weight"))
    gadgets.create(engine)
    with engine.begin() as conn:
        conn.execute(gadgets.insert(), [{"id": 1, "sku": "g-1", "weight": "1.250"}])
        conn.execute(text("ALTER TABLE gadgets ADD COLUMN color VARCHAR(10) NOT NULL DEFAULT 'red'"))
    insp = inspect(engine)
    cols = insp.get_columns("gadgets")
    assert [c["name"] for c in cols] == ["id", "sku", "weight", "color"]
    assert cols[3]["nullable"] is False and cols[3]["default"] == "'red'"
    assert {i["name"]: (i["column_names"], i["unique"]) for i in insp.get_indexes("gadgets")} == {
        "uq_sku": (["sku"], True), "ix_weight": (["weight"], False)}
    reflected = Table("gadgets", MetaData(), autoload_with=engine)
    with engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(select(reflected))] == [(1, "g-1", sa.Numeric().python_type("1.250"),
                                                                         "red")]
    gadgets.drop(engine)
    assert inspect(engine).get_table_names() == []
