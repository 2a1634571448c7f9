"""The review app: a Flask application over one corpus store, served by waitress.

Every request must carry the app's token (as Jupyter does): ``?token=`` on the first page,
which then sets a cookie for the page's own requests (assets, reads); every request that
changes the store is a POST that carries the token in the ``X-Aligner-Token`` header, which
a page of another site cannot set, so the cookie alone never changes anything. Tokens are
compared in constant time. Request bodies are bounded, responses are never cached and forbid
inline scripts and framing (Content-Security-Policy), and the page renders all text with
``textContent``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, jsonify, redirect, render_template, request

from aligner.errors import AlignerError
from aligner.review.operations import StaleDocument, apply, realign, undo
from aligner.review.views import Filters, document_list, document_page, next_attention, pair_of_document
from aligner.store.schema import connect
from aligner.store.search import search

TOKEN_HEADER = "X-Aligner-Token"
MAX_BODY = 1 << 20
"""The largest request body accepted (1 MB): an operation is a few hundred bytes."""
SEARCH_LIMIT = 50

_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def new_token() -> str:
    """A random token for one run of the app."""
    return secrets.token_urlsafe(32)


def create_app(store: str | os.PathLike[str], token: str) -> Flask:
    """The review app for ``store``; every request must carry ``token``."""
    store_path = Path(store)
    with closing(connect(store_path)):  # a missing or foreign file is refused now, not at the first request
        pass
    package = Path(__file__).resolve().parent
    app = Flask("aligner.review", static_folder=str(package / "static"), template_folder=str(package / "templates"))
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.json.sort_keys = False  # type: ignore[attr-defined]
    cookie = f"aligner-review-{hashlib.sha256(token.encode()).hexdigest()[:12]}"
    expected = token.encode()

    def valid(supplied: str | None) -> bool:
        return supplied is not None and hmac.compare_digest(supplied.encode(), expected)

    @app.before_request
    def authenticate() -> Any:
        if request.method == "GET":
            if valid(request.headers.get(TOKEN_HEADER)) or valid(request.cookies.get(cookie)):
                return None
            if valid(request.args.get("token")):
                # The token leaves the address bar (and the history) at once; the cookie stands for it.
                response = redirect(request.path, code=303)
                response.set_cookie(cookie, token, httponly=True, samesite="Strict")
                return response
        elif request.method == "POST" and valid(request.headers.get(TOKEN_HEADER)):
            return None
        return _refused()

    @app.after_request
    def harden(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = _CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    def database() -> sqlite3.Connection:
        if "connection" not in g:
            g.connection = connect(store_path)
        return g.connection

    @app.teardown_appcontext
    def close(error: BaseException | None) -> None:
        connection = g.pop("connection", None)
        if connection is not None:
            connection.close()

    @app.errorhandler(AlignerError)
    def refused(error: AlignerError) -> Any:
        return jsonify({"error": str(error)}), 409 if isinstance(error, StaleDocument) else 400

    @app.errorhandler(413)
    def too_large(error: Exception) -> Any:
        return jsonify({"error": f"the request is larger than {MAX_BODY:,} bytes"}), 413

    @app.get("/")
    def index() -> Any:
        return render_template("index.html", token=token, store=store_path.name)

    @app.get("/api/documents")
    def documents() -> Any:
        return jsonify(document_list(database(), _int("page", 1)))

    @app.get("/api/documents/<int:pair_id>")
    def document(pair_id: int) -> Any:
        below = request.args.get("below")
        filters = Filters(
            below=_number(below) if below else None,
            not_one_to_one=request.args.get("nonone") == "1",
            unconfirmed=request.args.get("unconfirmed") == "1",
            findings=request.args.get("findings") == "1",
        )
        unit = request.args.get("unit")
        return jsonify(document_page(database(), pair_id, _int("page", 1), filters, int(unit) if unit else None))

    @app.get("/api/documents/<int:pair_id>/next")
    def next_bead(pair_id: int) -> Any:
        return jsonify({"unit": next_attention(database(), pair_id, _int("after", 0))})

    @app.get("/api/search")
    def concordance() -> Any:
        query = request.args.get("q", "")
        hits = search(store_path, query, language=request.args.get("lang") or None,
                      is_regex=request.args.get("regex") == "1", limit=SEARCH_LIMIT)
        connection = database()
        return jsonify({"hits": [
            {"document": hit.document, "id": pair_of_document(connection, hit.document), "unit": hit.unit,
             "language": hit.language, "text": hit.text, "spans": [list(span) for span in hit.spans],
             "counterpart": hit.counterpart, "confidence": hit.confidence}
            for hit in hits]})

    @app.post("/api/documents/<int:pair_id>/operations")
    def operation(pair_id: int) -> Any:
        body = _body()
        arguments = body.get("arguments") or {}
        if not isinstance(arguments, dict):
            raise AlignerError("arguments must be an object")
        outcome = apply(database(), pair_id, str(body.get("kind")), arguments, _revision(body))
        return jsonify(_outcome(outcome))

    @app.post("/api/documents/<int:pair_id>/undo")
    def undo_last(pair_id: int) -> Any:
        return jsonify(_outcome(undo(database(), pair_id, _revision(_body()))))

    @app.post("/api/documents/<int:pair_id>/realign")
    def realign_rest(pair_id: int) -> Any:
        return jsonify(_outcome(realign(database(), pair_id, _revision(_body()))))

    return app


def _refused() -> Any:
    return jsonify({"error": "this request has no valid token: open the address that 'aligner review' printed"}), 403


def _int(name: str, default: int) -> int:
    text = request.args.get(name)
    if not text:
        return default
    if not text.isdigit() or len(text) > 9:
        raise AlignerError(f"{name}={text!r}: give a whole number")
    return int(text)


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise AlignerError(f"{text!r} is not a number") from None


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise AlignerError("the request body must be a JSON object")
    return body


def _revision(body: dict[str, Any]) -> int | None:
    value = body.get("revision")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise AlignerError("revision must be a whole number")
    return value


def _outcome(outcome: Any) -> dict[str, Any]:
    return {"revision": outcome.revision, "changed": list(outcome.changed), "message": outcome.message}


__all__ = ["MAX_BODY", "TOKEN_HEADER", "create_app", "new_token"]
