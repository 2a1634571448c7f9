"""Where per-document work runs: in this process, on worker processes, or on a Dask cluster.

Each runner maps a picklable function over a stream of tasks and yields the results in the
order of the tasks, with a bounded number of tasks in flight, so that memory does not grow with
the number of documents and the client can commit results in a deterministic order.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any, TypeVar

from aligner.errors import AlignerError

Task = TypeVar("Task")
Result = TypeVar("Result")

IN_FLIGHT_PER_WORKER = 4
"""Tasks queued per worker: enough to keep every worker busy, few enough to bound memory."""

LOCAL_CLUSTER = "local"
"""``--dask local``: start a LocalCluster of worker processes on this machine."""


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Runner(AbstractContextManager["Runner"]):
    """Runs tasks in this process, one after the other."""

    description = "in this process"

    def map(self, function: Callable[[Task], Result], tasks: Iterable[Task]) -> Iterator[Result]:
        """``function`` of every task, in the order of the tasks."""
        return (function(task) for task in tasks)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        return None


class _Windowed(Runner):
    """Submits tasks ahead of the one being waited for, at most ``window`` at a time."""

    window = 1

    def submit(self, function: Callable[[Task], Result], task: Task) -> Any:
        raise NotImplementedError

    def result(self, future: Any) -> Any:
        raise NotImplementedError

    def map(self, function: Callable[[Task], Result], tasks: Iterable[Task]) -> Iterator[Result]:
        pending: deque[Any] = deque()
        iterator = iter(tasks)
        exhausted = False
        while True:
            while not exhausted and len(pending) < self.window:
                try:
                    task = next(iterator)
                except StopIteration:
                    exhausted = True
                    break
                pending.append(self.submit(function, task))
            if not pending:
                return
            yield self.result(pending.popleft())


class ProcessRunner(_Windowed):
    """Runs tasks on ``jobs`` worker processes, started fresh (forkserver), never forked from a busy parent."""

    def __init__(self, jobs: int) -> None:
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self.executor = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method))
        self.window = jobs * IN_FLIGHT_PER_WORKER
        self.description = f"on {jobs} worker processes"

    def submit(self, function: Callable[[Task], Result], task: Task) -> Future[Result]:
        return self.executor.submit(function, task)

    def result(self, future: Any) -> Any:
        try:
            return future.result()
        except BrokenProcessPool:
            raise AlignerError(
                "a worker process died (out of memory?); every document finished so far is in the store, "
                "so run the same command again to go on"
            ) from None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


class DaskRunner(_Windowed):
    """Runs tasks on a Dask cluster: the scheduler at ``address``, or a LocalCluster of ``jobs`` processes."""

    def __init__(self, address: str, jobs: int) -> None:
        try:
            import distributed
        except ImportError:
            raise AlignerError("--dask needs Dask's distributed scheduler: pip install 'aligner[dask]'") from None
        # Dask reports its own life (workers starting, stopping) at INFO; a corpus build's user needs none of it.
        for name in ("distributed", "bokeh", "tornado"):
            logging.getLogger(name).setLevel(logging.ERROR)
        self.cluster: Any = None
        try:
            if address == LOCAL_CLUSTER:
                self.cluster = distributed.LocalCluster(
                    n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = distributed.Client(self.cluster)
                self.description = f"on a local Dask cluster of {jobs} worker processes"
            else:
                self.client = distributed.Client(address, timeout=30)
                self.description = f"on the Dask cluster at {address}"
        except (OSError, TimeoutError) as error:
            if self.cluster is not None:
                self.cluster.close()
            raise AlignerError(f"--dask {address}: cannot reach the scheduler ({error})") from None
        workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self.window = workers * IN_FLIGHT_PER_WORKER

    def submit(self, function: Callable[[Task], Result], task: Task) -> Any:
        # pure=False: two tasks with equal arguments (a document given twice) are still two tasks.
        return self.client.submit(function, task, pure=False)

    def result(self, future: Any) -> Any:
        value = future.result()
        future.release()
        return value

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def runner_for(jobs: int, dask: str | None) -> Runner:
    """The runner a build asks for: Dask if an address (or ``local``) is given, else ``jobs`` processes."""
    if jobs < 1:
        raise AlignerError(f"-j {jobs}: give at least one job")
    if dask is not None:
        return DaskRunner(dask, jobs)
    return Runner() if jobs == 1 else ProcessRunner(jobs)


__all__ = ["LOCAL_CLUSTER", "DaskRunner", "ProcessRunner", "Runner", "default_jobs", "runner_for"]
