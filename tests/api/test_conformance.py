"""The OpenAPI document holds against the OpenAPI 3.1 specification, and every answer the API
gives matches it: status documented for its operation, media type, headers and body validated
against the documented schema (types, required fields, formats), as a generated client or a
contract-testing tool reads them. test_openapi.py checks what the document says; this checks
that the answers keep to it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils.dateparse import parse_datetime
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from openapi_spec_validator import validate as validate_document

from tests.api.conftest import (
    API,
    ThrottlePolicy,
    comment_url,
    comments_url,
    post_json,
    send,
)
from tests.conftest import make_article, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client) -> dict:
    return client.get(f"{API}/openapi.json").json()


class Contract:
    """Checks answers against the operation the document gives for them."""

    def __init__(self, document: dict) -> None:
        self.document = document
        self.seen: set[tuple[str, str, str]] = set()

    def response(self, path: str, method: str, status: int) -> dict:
        operation = self.document["paths"][path][method]
        responses = operation["responses"]
        assert str(status) in responses, f"{method.upper()} {path} answered {status}, undocumented"
        declared = responses[str(status)]
        while "$ref" in declared:
            declared = resolve(self.document, declared["$ref"])
        return declared

    def check(self, path: str, method: str, answer: Any) -> None:
        declared = self.response(path, method, answer.status_code)
        self.seen.add((path, method, str(answer.status_code)))
        content = declared.get("content")
        if not content:
            assert not answer.content, (path, method, answer.status_code, answer.content)
            return
        (media_type,) = content
        assert answer["Content-Type"].split(";")[0] == media_type
        # The schema's references point into the document: check against the schema with
        # the document's components beside it.
        schema = {**content[media_type]["schema"], "components": self.document["components"]}
        validator = OAS31Validator(schema, format_checker=oas31_format_checker)
        problems = [e.message for e in validator.iter_errors(answer.json())]
        assert not problems, (path, method, answer.status_code, problems)
        for header, spec in declared.get("headers", {}).items():
            # A header not required is sent in some cases only (a timed block's 403).
            if not spec.get("required") and not answer.has_header(header):
                continue
            assert answer.has_header(header), (path, method, answer.status_code, header)
            if spec["schema"].get("type") == "integer":
                assert answer[header].isdigit(), (header, answer[header])


def resolve(document: dict, reference: str) -> dict:
    node: Any = document
    for part in reference.removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_the_document_is_valid_openapi_3_1(document):
    validate_document(document)  # raises with the first fault it finds


def test_every_answer_keeps_to_the_document(client, document, settings, use_policy, clock):
    contract = Contract(document)
    article = make_article(title="Harbour news", slug="harbour", body="The harbour reopens.")
    closed = make_article(title="Closed", slug="closed", comments_open=False)
    parent = post(article, "A first word.", author_url="https://example.org/jo")
    post(article, "An answer.", parent=parent)
    article_path, comments_path = "/articles/{slug}", "/articles/{slug}/comments"
    own_path, search_path = "/comments/{id}", "/search"

    contract.check("/openapi.json", "get", client.get(f"{API}/openapi.json"))
    contract.check(article_path, "get", client.get(f"{API}/articles/{article.slug}"))
    contract.check(article_path, "get", client.get(f"{API}/articles/nope"))
    for query in ({}, {"order": "newest"}, {"order": "sideways"}, {"page": "9"}):
        contract.check(comments_path, "get", client.get(comments_url(article), query))
    contract.check(comments_path, "get", client.get(f"{API}/articles/nope/comments"))

    good = {"author_name": "Jo", "body": "Hello.", "author_url": "example.org", "parent_id": None}
    posted = post_json(client, article, good)
    mine, token = posted.json()["id"], posted.json()["edit_token"]
    contract.check(comments_path, "post", posted)
    for payload in ({}, {**good, "parent_id": 10**9}, {**good, "author_email": "nope"}):
        contract.check(comments_path, "post", post_json(client, article, payload))
    contract.check(comments_path, "post", post_json(client, closed, good))
    contract.check(
        comments_path, "post", send(client, "POST", f"{API}/articles/nope/comments", good)
    )
    contract.check(
        comments_path, "post", post_json(client, article, good, content_type="text/plain")
    )
    settings.BROADSHEET_READER_BODY_LIMIT = 100
    contract.check(comments_path, "post", post_json(client, article, {**good, "body": "x" * 200}))
    contract.check(
        own_path,
        "patch",
        send(client, "PATCH", comment_url(mine), {"body": "x" * 200}, token=token),
    )
    settings.BROADSHEET_READER_BODY_LIMIT = 256 * 1024

    contract.check(
        own_path,
        "patch",
        send(client, "PATCH", comment_url(mine), {"body": "Edited."}, token=token),
    )
    contract.check(comments_path, "get", client.get(comments_url(article)))  # now with edited_at
    contract.check(
        own_path, "patch", send(client, "PATCH", comment_url(mine), {"body": ""}, token=token)
    )
    contract.check(own_path, "patch", send(client, "PATCH", comment_url(mine), {"body": "x"}))
    contract.check(
        own_path, "patch", send(client, "PATCH", comment_url(10**9), {"body": "x"}, token=token)
    )
    contract.check(
        own_path,
        "patch",
        send(
            client, "PATCH", comment_url(mine), raw="body=x", token=token, content_type="text/plain"
        ),
    )
    contract.check(own_path, "delete", send(client, "DELETE", comment_url(mine)))
    contract.check(own_path, "delete", send(client, "DELETE", comment_url(10**9), token=token))

    contract.check(search_path, "get", client.get(f"{API}/search", {"q": "harbour"}))
    contract.check(search_path, "get", client.get(f"{API}/search", {"q": "!!"}))
    contract.check(search_path, "get", client.get(f"{API}/search", {"q": "harbour", "page": 5}))

    use_policy(ThrottlePolicy)
    contract.check(comments_path, "post", post_json(client, article, good))
    contract.check(
        own_path, "patch", send(client, "PATCH", comment_url(mine), {"body": "Again."}, token=token)
    )
    settings.BROADSHEET_RATE_LIMIT = "on"
    settings.BROADSHEET_SEARCHES_PER_MINUTE = 1
    for _ in range(2):
        contract.check(search_path, "get", client.get(f"{API}/search", {"q": "harbour"}))

    clock.set(posted_until(posted) + timedelta(seconds=1))
    contract.check(
        own_path, "patch", send(client, "PATCH", comment_url(mine), {"body": "Late."}, token=token)
    )
    contract.check(own_path, "delete", send(client, "DELETE", comment_url(mine), token=token))
    clock.set(posted_until(posted) - timedelta(seconds=30))
    contract.check(own_path, "delete", send(client, "DELETE", comment_url(mine), token=token))

    # The database stops answering: every operation but the document's own says 503,
    # with Retry-After, as documented (a generated client took it for an unknown status).
    def outage(execute, sql, params, many, context):
        raise OperationalError("server closed the connection")

    unavailable = [
        (article_path, "get", lambda: client.get(f"{API}/articles/{article.slug}")),
        (comments_path, "get", lambda: client.get(comments_url(article), {"order": "newest"})),
        (comments_path, "post", lambda: post_json(client, article, good)),
        (search_path, "get", lambda: client.get(f"{API}/search", {"q": "reopens"})),
        (own_path, "patch", lambda: send(client, "PATCH", comment_url(mine), {"body": "B"})),
        (own_path, "delete", lambda: send(client, "DELETE", comment_url(mine))),
    ]
    outside = Client(raise_request_exception=False)
    with connection.execute_wrapper(outage):
        client_before, client = client, outside
        for path, method, ask in unavailable:
            answer = ask()
            assert answer.status_code == 503, (path, method, answer.status_code)
            contract.check(path, method, answer)
        assert outside.get(f"{API}/openapi.json").status_code == 200
        client = client_before

    # Every answer the document describes was seen (but 304, which has no body).
    described = {
        (path, method, status)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
        for status in operation["responses"]
        if status != "304"
    }
    assert described - contract.seen == set()


def posted_until(posted) -> datetime:
    moment = parse_datetime(posted.json()["editable_until"])
    assert moment is not None
    return moment
