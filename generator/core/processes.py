"""Work spread over the machine's processors by forking.

A forked process starts with its parent's memory: nothing is pickled or imported again on the way
in, and only results travel back. A fork copies no other thread, so a lock another thread held would
stay held in the child: work is forked only while the process runs a single thread.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def processors() -> int:
    """The processors this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def processes_for(items: int, worth_forking: int) -> int:
    """How many processes ``items`` pieces of work are spread over: one, this process, when there are
    fewer than ``worth_forking`` of them, a single processor, or other threads running."""
    if items < worth_forking or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return processors()


class Spread(Generic[T]):
    """``work(claims)`` in ``processes`` processes: forked children, started at once, and this one when
    ``results`` is called. ``claims`` hands out the numbers from 0 to ``pieces - 1``, each to the
    process that asks first, so that one slowed by other work takes fewer."""

    def __init__(self, work: Callable[[Iterator[int]], T], pieces: int, processes: int) -> None:
        self.work = work
        self.children: list[tuple[multiprocessing.Process, Connection]] = []
        if processes == 1:
            self.claims: Callable[[], Iterator[int]] = lambda: iter(range(pieces))
            return
        # The collector of a child would otherwise write to every object it inherited, copying the
        # parent's whole memory page by page.
        gc.freeze()
        fork = multiprocessing.get_context("fork")
        counter = fork.Value("q", 0)
        self.claims = lambda: _claims(counter, pieces)
        for _ in range(processes - 1):
            receiving, sending = fork.Pipe(duplex=False)
            child = fork.Process(target=_run, args=(work, self.claims, sending), daemon=True)
            child.start()
            sending.close()
            self.children.append((child, receiving))

    def results(self) -> list[T]:
        """This process's result, then each child's; an exception any of them raised is raised here."""
        try:
            own: object = self.work(self.claims())
        except BaseException as err:  # raised once the children are done too
            own = err
        outcomes: list[Any] = [own, *(_received(child, receiving) for child, receiving in self.children)]
        gc.unfreeze()
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        return outcomes


def _claims(counter: Any, pieces: int) -> Iterator[int]:
    while True:
        with counter.get_lock():
            piece = counter.value
            counter.value += 1
        if piece >= pieces:
            return
        yield piece


def _run(work: Callable[[Iterator[int]], T], claims: Callable[[], Iterator[int]], sending: Connection) -> None:
    try:
        outcome: object = work(claims())
    except BaseException as err:  # handed to the parent, which raises it
        outcome = err
    try:
        sending.send(outcome)
    except Exception as unsent:  # what cannot be pickled is told as text instead
        told = "".join(traceback.format_exception(outcome)) if isinstance(outcome, BaseException) else repr(unsent)
        sending.send(RuntimeError(f"a worker process failed:\n{told}"))
    sending.close()


def _received(child: multiprocessing.Process, receiving: Connection) -> object:
    try:
        outcome = receiving.recv()
    except EOFError:
        outcome = RuntimeError(f"a worker process ended without a result (exit code {child.exitcode})")
    child.join()
    receiving.close()
    return outcome
