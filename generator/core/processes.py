"""Work spread over the machine's processors by forking.

A forked process starts with its parent's memory: nothing is pickled or imported again on the way
in, and only results travel back. A fork copies no other thread, so a lock another thread held would
stay held in the child: work is forked only while the process runs a single thread.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

try:
    import fcntl
except ImportError:  # Windows, where nothing is forked
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

# Bytes a child's pipe holds. The parent's thread that takes results in needs the interpreter for each
# read, and gets it only when the parent's own work lets go of it (every 5 ms): with the default 64 KB,
# a child sending a message of parsed reports (about 1 MB) waited on the parent for every 64 KB of it.
PIPE_BYTES = 1 << 20


def processors() -> int:
    """The processors this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def processes_for(items: int, worth_forking: int) -> int:
    """How many processes ``items`` pieces of work are spread over: one, this process, when there are
    fewer than ``worth_forking`` of them, or work cannot be forked (``may_fork``)."""
    return processors() if items >= worth_forking and may_fork() else 1


def may_fork() -> bool:
    """Whether work may go to a forked child: there is more than one processor, the system forks, and
    this process runs no other thread."""
    forks = "fork" in multiprocessing.get_all_start_methods()
    return forks and processors() > 1 and threading.active_count() == 1


class _Child(Generic[T]):
    """A forked child running ``work``, which yields results: each is sent as soon as it is made, and a
    thread of the parent takes it in while the parent goes on with its own work."""

    def __init__(self, work: Callable[[], Iterable[T]]) -> None:
        context = multiprocessing.get_context("fork")
        self.receiving, sending = context.Pipe(duplex=False)
        # Linux only (F_SETPIPE_SZ), and up to its pipe-max-size: elsewhere the pipe stays as it is.
        with contextlib.suppress(AttributeError, OSError):
            fcntl.fcntl(sending.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        self.process = context.Process(target=_send_all, args=(work, sending), daemon=True)
        self.process.start()
        sending.close()
        self.received: list[T] = []
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._receive_all, daemon=True)

    def _receive_all(self) -> None:
        try:
            while True:
                message = self.receiving.recv()
                if isinstance(message, _Done):
                    self.failure = message.failure
                    return
                self.received.append(message)
        except EOFError:
            self.failure = RuntimeError(f"a worker process ended early (exit code {self.process.exitcode})")
        finally:
            self.receiving.close()

    def outcome(self) -> list[T] | BaseException:
        self.thread.join()
        self.process.join()
        return self.received if self.failure is None else self.failure


@dataclass(frozen=True)
class _Done:
    """The last message of a child: the exception its work raised, if it did."""

    failure: BaseException | None = None


def _send_all(work: Callable[[], Iterable[T]], sending: Connection) -> None:
    try:
        for result in work():
            sending.send(result)
        done = _Done()
    except BaseException as err:  # handed to the parent, which raises it
        done = _Done(err)
    try:
        sending.send(done)
    except Exception as unsent:  # an exception that cannot be pickled is told as text instead
        told = "".join(traceback.format_exception(done.failure)) if done.failure else repr(unsent)
        sending.send(_Done(RuntimeError(f"a worker process failed:\n{told}")))
    sending.close()


class Beside(Generic[T]):
    """``work()`` run beside this process: in a forked child started at once, or, with ``fork`` false,
    in this process when its result is asked for."""

    def __init__(self, work: Callable[[], T], fork: bool = True) -> None:
        self.work = work
        self.child = _Child(lambda: [work()]) if fork else None
        if self.child:
            self.child.thread.start()

    def outcome(self) -> T | BaseException:
        """What ``work`` returned, or the exception it raised."""
        if self.child is None:
            try:
                return self.work()
            except BaseException as err:
                return err
        outcome = self.child.outcome()
        return outcome if isinstance(outcome, BaseException) else outcome[0]

    def result(self) -> T:
        """What ``work`` returned; an exception it raised is raised here."""
        return _raised(self.outcome())


class Aside(Generic[T]):
    """``work()`` run in a thread of its own while this one goes on. Its result is given once the thread
    has ended, so that this process may fork after it."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.outcome: list[T | BaseException] = []
        self.thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self.thread.start()

    def _run(self, work: Callable[[], T]) -> None:
        try:
            self.outcome.append(work())
        except BaseException as err:  # handed to the thread that asks for the result
            self.outcome.append(err)

    def result(self) -> T:
        """What ``work`` returned; an exception it raised is raised here."""
        self.thread.join()
        return _raised(self.outcome[0])


class Spread(Generic[T]):
    """``work(claims)`` in ``processes`` processes: forked children, started at once, and this one when
    ``results`` is called. ``claims`` hands out the numbers from 0 to ``pieces - 1``, each to the
    process that asks first, so that one slowed by other work takes fewer; ``work`` yields its results
    as it goes, and children send each one at once."""

    def __init__(self, work: Callable[[Iterator[int]], Iterable[T]], pieces: int, processes: int) -> None:
        self.work = work
        if processes == 1:
            self.claims: Callable[[], Iterator[int]] = lambda: iter(range(pieces))
            self.children: list[_Child[T]] = []
            return
        # The collector of a child would otherwise write to every object it inherited, copying the
        # parent's whole memory page by page.
        gc.freeze()
        counter = multiprocessing.get_context("fork").Value("q", 0)
        self.claims = lambda: _claims(counter, pieces)
        self.children = [_Child(lambda: work(self.claims())) for _ in range(processes - 1)]
        for child in self.children:  # only once every child is forked: a fork copies no thread
            child.thread.start()

    def results(self) -> list[T]:
        """Every result, this process's first; an exception any process raised is raised here."""
        own = Beside(lambda: list(self.work(self.claims())), fork=False).outcome()
        outcomes = [own, *(child.outcome() for child in self.children)]
        gc.unfreeze()
        return [result for outcome in outcomes for result in _raised(outcome)]


def _raised(outcome: T | BaseException) -> T:
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def _claims(counter: Any, pieces: int) -> Iterator[int]:
    while True:
        with counter.get_lock():
            piece = counter.value
            counter.value += 1
        if piece >= pieces:
            return
        yield piece


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """One build or check without the cycle collector (in ``serve``, its other threads do without it
    meanwhile). A build makes almost no reference cycles (under a thousand at 10,000 reports, traced),
    so the collector would only walk its millions of objects again and again: 2–3% of a cold build's
    processor time, and in ``serve``, which holds the last build's data as well, up to a second a build."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
