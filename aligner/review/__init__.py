"""Review an alignment in the browser, fix it, and let the aligner redo the rest around the fixes.

``aligner review STORE`` serves :func:`create_app` (Flask, served by waitress) on 127.0.0.1 with
a random token. What the app does is plain functions over the store, usable without it:
:mod:`aligner.review.operations` (each operation, :func:`undo`, :func:`realign`) and
:mod:`aligner.review.views` (the pages of documents and beads it shows). Flask and waitress
are the extra ``review`` (``pip install 'aligner[review]'``), imported only when the app starts.
"""

from __future__ import annotations

import os
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aligner.errors import AlignerError
from aligner.pipeline import align_files
from aligner.review.operations import (
    AUTO,
    CONFIRMED,
    EDITED,
    OPERATIONS,
    DocumentState,
    Outcome,
    ReviewBead,
    ReviewSentence,
    StaleDocument,
    apply,
    load_state,
    realign,
    undo,
)
from aligner.review.views import Filters, document_list, document_page, next_attention
from aligner.settings import Settings
from aligner.store import import_alignment, import_file

if TYPE_CHECKING:
    from flask import Flask

DEFAULT_HOST = "127.0.0.1"
STORE_SUFFIX = ".review.db"
"""An aligned file ``interview.tmx`` is reviewed in the store ``interview.tmx.review.db`` beside it."""


def _app_module() -> Any:
    try:
        from aligner.review import app
    except ImportError:
        raise AlignerError("the review app needs Flask and waitress: pip install 'aligner[review]'") from None
    return app


def create_app(store: str | os.PathLike[str], token: str) -> Flask:
    """The review app (a WSGI application) for ``store``; every request must carry ``token``."""
    app: Flask = _app_module().create_app(store, token)
    return app


def new_token() -> str:
    """A random token (``secrets.token_urlsafe``) for one run of the app."""
    token: str = _app_module().new_token()
    return token


def store_for(path: str | os.PathLike[str], *, source_tag: str | None = None,
              target_tag: str | None = None) -> tuple[Path, bool]:
    """The store to review ``path`` in, and whether it was imported now.

    A store is itself; an aligned file is imported into ``<file>.review.db`` the first time
    (with the language tags given, for a file that states none), and that store is reopened
    (with the review so far) the next times.
    """
    file = Path(path)
    if not file.is_file():
        raise AlignerError(f"{file}: no such file; give a corpus store or an aligned file (TMX, JSON Lines, CSV, …)")
    with open(file, "rb") as stream:
        is_store = stream.read(16) == b"SQLite format 3\x00"
    if is_store:
        return file, False
    store = file.with_name(file.name + STORE_SUFFIX)
    if store.exists():
        return store, False
    import_file(file, store, source_tag=source_tag, target_tag=target_tag)
    return store, True


def store_for_pair(source: str | os.PathLike[str], target: str | os.PathLike[str], settings: Settings) -> tuple[Path, bool]:
    """The store to review the pair ``source`` + ``target`` in, and whether it was made now.

    The first time, the pair is aligned with ``settings`` into ``<source>.review.db`` beside
    the source; the next times that store (with the review so far) is reopened.
    """
    store = Path(source).with_name(Path(source).name + STORE_SUFFIX)
    if store.exists():
        return store, False
    alignment = align_files(source, target, settings)
    import_alignment(alignment, settings.signature, source, store)
    return store, True


def serve(store: str | os.PathLike[str], *, host: str = DEFAULT_HOST, port: int = 0, open_browser: bool = True,
          announce: Callable[[str], None] = print) -> None:
    """Serve the review app for ``store`` until interrupted; ``announce`` gets the address (with the token)."""
    token = new_token()
    app = create_app(store, token)
    server = make_server(app, host, port)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{server.effective_port}/?token={token}"
    announce(url)
    if open_browser:
        webbrowser.open(url)
    try:
        server.run()
    finally:
        server.close()


def make_server(app: Flask, host: str = DEFAULT_HOST, port: int = 0) -> Any:
    """A waitress server for ``app`` (``port`` 0: a free one, ``server.effective_port``); ``run()`` serves."""
    try:
        import waitress
    except ImportError:
        raise AlignerError("the review app needs Flask and waitress: pip install 'aligner[review]'") from None
    try:
        return waitress.create_server(app, host=host, port=port, threads=4, ident="aligner-review")
    except OSError as error:
        raise AlignerError(f"cannot listen on {host}:{port} ({error.strerror}); give another --port") from None


__all__ = [
    "AUTO",
    "CONFIRMED",
    "DEFAULT_HOST",
    "EDITED",
    "OPERATIONS",
    "STORE_SUFFIX",
    "DocumentState",
    "Filters",
    "Outcome",
    "ReviewBead",
    "ReviewSentence",
    "StaleDocument",
    "apply",
    "create_app",
    "document_list",
    "document_page",
    "load_state",
    "make_server",
    "new_token",
    "next_attention",
    "realign",
    "serve",
    "store_for",
    "store_for_pair",
    "undo",
]
