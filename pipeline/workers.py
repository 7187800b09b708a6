"""Where documents are processed: in this process, in a local process pool
(`--workers N`) or on a Dask distributed cluster (`--scheduler ADDRESS`). Results come
back in the order the tasks were given, with at most `window` documents in flight."""

from __future__ import annotations

import functools
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from pipeline.ingest.ocr import Recogniser
from pipeline.models import InputError, ManifestEntry
from pipeline.nlp import model as spacy_stage
from pipeline.process import DocResult, process, read_document


@dataclass(frozen=True)
class Task:
    """One document to process: its manifest entry, path, bytes, model and OCR cache."""

    entry: ManifestEntry
    path: str
    data: bytes
    model: str
    ocr_cache: str | None = None
    key: str = ""  # its result-cache key ("" when the result is not to be cached)


@dataclass(frozen=True)
class Outcome:
    """What became of a task: a result, or the reason the document could not be used."""

    entry: ManifestEntry
    result: DocResult | None = None
    error: str = ""  # "<file>: <reason>" (InputError's text)
    notes: tuple[str, ...] = ()  # warnings about the document
    cached: bool = False
    key: str = ""  # the task's result-cache key


def work(task: Task, nlp: Callable[[], Language]) -> Outcome:
    """Read, clean and process one document with the pipeline `nlp()` returns."""
    ocr = Recogniser(Path(task.ocr_cache) if task.ocr_cache else None)
    try:
        raw, clean = read_document(Path(task.path), task.entry, task.data, ocr)
    except InputError as err:
        return Outcome(task.entry, error=str(err))
    model = nlp()  # outside the guard below: a model that is not installed stops the run
    try:
        result = process(task.entry, raw, clean, model)
    except Exception as err:  # a bug met on one document costs that document, not the run
        reason = f"internal error, please report it: {type(err).__name__}: {err}"
        return Outcome(task.entry, error=f"{task.path}: {reason}")
    return Outcome(task.entry, result, notes=document_notes(task.path, result), key=task.key)


def document_notes(path: str, result: DocResult) -> tuple[str, ...]:
    """The warnings about a processed document (its OCR'd pages, then those the stages
    found: layout, dropped dates, pieces), each naming its file."""
    pages = tuple(page.warning for page in result.raw.ocr if page.warning)
    return tuple(f"{path}: {warning}" for warning in pages + result.warnings)


@functools.cache
def _process_nlp(model: str) -> Language:
    """The pipeline of a worker process, built on its first document (one per process)."""
    return spacy_stage.build_nlp(model)


def remote_work(task: Task) -> Outcome:
    """`work` in a pool or cluster worker process, with that process's pipeline."""
    return work(task, functools.partial(_process_nlp, task.model))


def _done(outcome: Outcome) -> Future:
    """A future already holding `outcome` (a cached result in the same queue)."""
    future: Future = Future()
    future.set_result(outcome)
    return future


def ordered(
    items: Iterable[Task | Outcome], submit: Callable[[Task], Future], window: int
) -> Iterator[Outcome]:
    """The outcome of each item in order: an Outcome as it is, a Task through `submit`;
    at most `window` items are held at once."""
    held: deque = deque()
    for item in items:
        held.append(submit(item) if isinstance(item, Task) else _done(item))
        while len(held) >= window:
            yield held.popleft().result()
    while held:
        yield held.popleft().result()


def run_tasks(
    items: Iterable[Task | Outcome], model: str, workers: int = 1, scheduler: str | None = None
) -> Iterator[Outcome]:
    """Process the tasks among `items` here (workers 1), in a pool of `workers` processes,
    or on the Dask scheduler at `scheduler`; yield every outcome in order, with at most
    2 x `workers` documents in flight. The pool or client is started on the first task
    only (a fully cached run starts none)."""
    with ExitStack() as stack:
        submit = _starter(stack, model, workers, scheduler)
        yield from ordered(items, submit, window=2 * max(1, workers))


def _starter(
    stack: ExitStack, model: str, workers: int, scheduler: str | None
) -> Callable[[Task], Future]:
    """A submit function that starts its executor when first called."""
    state: dict = {}

    def local(task: Task) -> Future:
        if "nlp" not in state:
            state["nlp"] = spacy_stage.build_nlp(model)
        return _done(work(task, lambda: state["nlp"]))

    def pool(task: Task) -> Future:
        if "pool" not in state:
            context = multiprocessing.get_context("spawn")  # no fork of a threaded parent
            state["pool"] = stack.enter_context(ProcessPoolExecutor(workers, mp_context=context))
        return state["pool"].submit(remote_work, task)

    def cluster(task: Task) -> Future:
        if "client" not in state:
            state["client"] = stack.enter_context(_client(scheduler))
        return state["client"].submit(remote_work, task, pure=False)

    if scheduler:
        return cluster
    return pool if workers > 1 else local


def _client(scheduler: str):
    """A dask.distributed Client of the scheduler at `scheduler` (Dask is imported only
    here); InputError when Dask is not installed or the scheduler cannot be reached."""
    try:
        from dask.distributed import Client
    except ImportError as err:
        reason = "needs Dask: pip install 'negotiation-events[cluster]'"
        raise InputError("--scheduler", reason) from err
    try:
        return Client(scheduler, timeout="20s")
    except (OSError, TimeoutError, ValueError) as err:
        raise InputError(scheduler, f"cannot reach the Dask scheduler ({err})") from err
