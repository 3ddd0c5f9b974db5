"""SQLite writers queue in edu.database.WriteQueue before BEGIN IMMEDIATE (issue #11, quiz submits).

The queue must (1) let exactly one writer in at a time, across threads and across processes, (2) let the next
one in when the holder commits, rolls back or closes its connection, (3) never hang: a second writer in the
same thread fails with "database is locked" after the timeout, and a killed process's place is freed by the
kernel. Only SQLite has the queue; PostgreSQL's row locks need none.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import threading

import pytest
from sqlalchemy import text

from edu.database import WriteQueue, mark_request_read_only
from edu.extensions import db


@pytest.fixture
def sqlite_engine(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the write queue is SQLite's: PostgreSQL writers wait on row locks")
        with db.engine.begin() as connection:
            connection.execute(text("CREATE TABLE IF NOT EXISTS queue_probe (n INTEGER)"))
            connection.execute(text("DELETE FROM queue_probe"))
        mark_request_read_only("POST")  # this thread writes: BEGIN IMMEDIATE through the queue
        yield db.engine
        mark_request_read_only("GET")
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE queue_probe"))


def _writer_in_thread(engine, log: list, released: threading.Event) -> threading.Thread:
    """A second writer: records whether the first one had already let go when it got in."""

    def write():
        mark_request_read_only("POST")
        with engine.begin() as connection:
            log.append(("in", released.is_set()))
            connection.execute(text("INSERT INTO queue_probe VALUES (2)"))

    thread = threading.Thread(target=write)
    thread.start()
    return thread


@pytest.mark.parametrize("end", ["commit", "rollback", "close"])
def test_the_next_writer_waits_until_the_first_ends_its_transaction(sqlite_engine, end):
    first = sqlite_engine.connect()
    transaction = first.begin()
    first.execute(text("INSERT INTO queue_probe VALUES (1)"))
    log: list = []
    released = threading.Event()
    second = _writer_in_thread(sqlite_engine, log, released)
    second.join(0.3)
    assert second.is_alive() and log == [], "the second writer got in while the first held the queue"

    released.set()
    if end == "commit":
        transaction.commit()
    elif end == "rollback":
        transaction.rollback()
    first.close()  # "close" ends the open transaction here
    second.join(10)
    assert not second.is_alive() and log == [("in", True)]
    with sqlite_engine.connect() as connection:
        rows = sorted(n for (n,) in connection.execute(text("SELECT n FROM queue_probe")))
    assert rows == ([1, 2] if end == "commit" else [2])


def test_readers_do_not_queue(sqlite_engine):
    writer = sqlite_engine.connect()
    transaction = writer.begin()

    def read(out: list):
        mark_request_read_only("GET")
        with sqlite_engine.connect() as connection:
            out.append(connection.execute(text("SELECT count(*) FROM queue_probe")).scalar())

    out: list = []
    reader = threading.Thread(target=read, args=(out,))
    reader.start()
    reader.join(10)
    assert out == [0]
    transaction.rollback()
    writer.close()


def test_a_second_writer_in_the_same_thread_fails_instead_of_hanging(tmp_path):
    queue = WriteQueue(str(tmp_path / "x.db"), timeout=0.2)
    queue.acquire()
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        queue.acquire()
    queue.release()
    queue.acquire()  # free again
    queue.release()


def _hold(queue: WriteQueue | str, holding, release_it) -> None:
    """In a forked child: take the queue (a new one on ``queue``'s path, or the one inherited), hold it until told."""
    queue = WriteQueue(queue, timeout=5) if isinstance(queue, str) else queue
    queue.acquire()
    holding.set()
    release_it.wait(10)
    queue.release()


def _start_holder(queue: WriteQueue | str):
    fork = multiprocessing.get_context("fork")
    holding, release_it = fork.Event(), fork.Event()
    child = fork.Process(target=_hold, args=(queue, holding, release_it))
    child.start()
    assert holding.wait(10)
    return child, release_it


def _waits_until_the_child_lets_go(queue: WriteQueue, child, release_it) -> None:
    got_in = threading.Event()
    threading.Thread(target=lambda: (queue.acquire(), got_in.set())).start()
    assert not got_in.wait(0.3), "got in while another process held the queue"
    release_it.set()
    assert got_in.wait(10)
    child.join(10)
    queue.release()


def test_processes_take_turns_and_a_killed_holder_frees_its_place(tmp_path):
    path = str(tmp_path / "x.db")
    child, release_it = _start_holder(path)
    _waits_until_the_child_lets_go(WriteQueue(path, timeout=5), child, release_it)

    killed, _release = _start_holder(path)
    os.kill(killed.pid, signal.SIGKILL)
    killed.join(10)
    queue = WriteQueue(path, timeout=5)
    queue.acquire()  # the kernel dropped the killed process's flock
    queue.release()


def test_a_forked_worker_does_not_share_its_parents_place(tmp_path):
    """gunicorn forks workers: a queue used before the fork must not let parent and child in together."""
    queue = WriteQueue(str(tmp_path / "x.db"), timeout=5)
    queue.acquire()  # opens the lock file in the parent
    queue.release()
    child, release_it = _start_holder(queue)  # the child holds the queue object it inherited
    _waits_until_the_child_lets_go(queue, child, release_it)
