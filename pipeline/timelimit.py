"""Prepare documents in a child process with a time limit per document.

A pathological PDF can make pdfplumber spin for hours; a thread cannot be
stopped, a process can. One worker process is kept for the whole batch (spaCy
and pdfplumber are imported once) and replaced when a document overruns.
"""
from __future__ import annotations

import ctypes
import importlib
import multiprocessing as mp
import os
import signal
import threading
from typing import Callable

from .errors import IngestError


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel ends this worker when its parent dies, SIGKILL included (PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the closed pipe ends the worker after its document
        return
    if os.getppid() != parent:  # it died before the call
        os._exit(1)


def _serve(conn, target: str, parent: int) -> None:
    # set before the heavy imports of `target`, so that a parent killed meanwhile takes the worker along
    _die_with_parent(parent)
    module, _, name = target.partition(":")
    fn = getattr(importlib.import_module(module), name)
    while True:
        path = conn.recv()
        if path is None:
            return
        try:
            conn.send(fn(path))
        except Exception as exc:  # anything unexpected is this document's failure
            conn.send(IngestError("extract", f"{type(exc).__name__}: {exc}"))


class TimedPreparer:
    """Callable like fn(path), but a document that takes longer than `seconds` fails with stage 'timeout'
    and the worker is replaced. `fn` is a module-level function; the worker imports it by name.
    Thread-safe: calls are served one at a time."""

    def __init__(self, seconds: float, fn: Callable):
        self.seconds, self.target = seconds, f"{fn.__module__}:{fn.__qualname__}"
        self._lock = threading.Lock()
        self._proc = None
        self._conn = None

    def _start(self) -> None:
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child, self.target, os.getpid()), daemon=True)
        self._proc.start()

    def __call__(self, path: str):
        with self._lock:
            if self._proc is None or not self._proc.is_alive():
                self._start()
            self._conn.send(str(path))
            if self._conn.poll(self.seconds):
                try:
                    return self._conn.recv()
                except EOFError:  # the worker died (out of memory, a crash in a C library)
                    self._stop()
                    return IngestError("extract", "the extraction process died")
            self._stop()
            return IngestError("timeout", f"no result within {self.seconds:g} s; the document was skipped")

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join()
        self._proc = self._conn = None

    def close(self) -> None:
        with self._lock:
            if self._proc is not None and self._proc.is_alive():
                self._conn.send(None)
                self._proc.join(5)
            self._stop()

    def __enter__(self) -> TimedPreparer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
