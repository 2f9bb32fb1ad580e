"""The OpenAPI document and docs/api.md must describe the API that is routed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.urls import URLPattern

from broadsheet.api import urls as api_urls
from tests.api.conftest import API, comment_url, comments_url, post_json, send
from tests.conftest import post

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"

# Every status each operation answers on purpose; the other test modules make
# each one happen. (405 is any path's answer to a method it does not list.)
STATUSES = {
    ("/openapi.json", "get"): {"200", "304"},
    ("/articles/{slug}", "get"): {"200", "304", "404"},
    ("/articles/{slug}/comments", "get"): {"200", "304", "400", "404"},
    ("/articles/{slug}/comments", "post"): {"201", "400", "403", "404", "413", "415", "429"},
    ("/comments/{id}", "patch"): {"200", "400", "401", "403", "404", "413", "415", "429"},
    ("/comments/{id}", "delete"): {"204", "401", "403", "404"},
}


@pytest.fixture
def document(client) -> dict:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    return json.loads(response.content)


def routes() -> dict[str, set[str]]:
    """The named API routes as OpenAPI paths, with the methods their views answer."""
    found = {}
    for pattern in api_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name is None:  # the JSON 404 for everything else
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        path = path.replace("{pk}", "{id}")
        found["/" + path] = {m.lower() for m in pattern.callback.api_methods}
    return found


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield path, method, operation


def test_document_is_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["version"] == "1"
    assert document["servers"] == [{"url": "/api/v1"}]


def test_every_route_and_method_is_documented_and_nothing_else(document):
    documented = {}
    for path, method, _ in operations(document):
        documented.setdefault(path, set()).add(method)
    assert documented == routes()


def test_every_status_code_is_documented(document):
    answered = {(path, method): set(op["responses"]) for path, method, op in operations(document)}
    assert answered == STATUSES


def test_every_reference_resolves(document):
    text = json.dumps(document)
    refs = set(re.findall(r'"\$ref": "#/([^"]+)"', text))
    assert refs
    for ref in refs:
        node = document
        for part in ref.split("/"):
            node = node[part]


def test_operations_are_named_once_and_declare_their_path_parameters(document):
    ids = [op["operationId"] for _, _, op in operations(document)]
    assert len(ids) == len(set(ids))
    for path, item in document["paths"].items():
        declared = {p["name"] for p in item.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"{(\w+)}", path))


def test_token_operations_use_the_bearer_scheme(document):
    scheme = document["components"]["securitySchemes"]["editToken"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    for path, method, op in operations(document):
        uses_token = op.get("security") == [{"editToken": []}]
        assert uses_token == (path == "/comments/{id}"), (path, method)
        assert ("401" in op["responses"]) == uses_token


def test_limits_are_the_tunables_in_force(client, settings):
    settings.BROADSHEET_COMMENT_MAX_LENGTH = 123
    settings.BROADSHEET_API_PAGE_SIZE = 7
    document = client.get(f"{API}/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert schemas["NewComment"]["properties"]["body"]["maxLength"] == 123
    assert schemas["CommentEdit"]["properties"]["body"]["maxLength"] == 123
    page = document["paths"]["/articles/{slug}/comments"]["get"]["parameters"][1]
    assert "7 comments" in page["description"]


def required(document: dict, name: str) -> set[str]:
    schema = document["components"]["schemas"][name]
    assert set(schema["required"]) == set(schema["properties"])
    return set(schema["properties"])


def test_schemas_have_the_fields_the_api_sends(client, article, document):
    parent = post(article, "Parent")
    got = client.get(f"{API}/articles/{article.slug}").json()
    assert set(got) == required(document, "Article")
    page = client.get(comments_url(article)).json()
    assert set(page) == required(document, "CommentPage")
    assert set(page["results"][0]) == required(document, "Comment")
    posted = post_json(client, article, {"author_name": "J", "body": "x", "parent_id": parent.pk})
    assert set(posted.json()) == required(document, "PostedComment")
    edited = send(
        client,
        "PATCH",
        comment_url(posted.json()["id"]),
        {"body": "y"},
        token=posted.json()["edit_token"],
    )
    assert set(edited.json()) == required(document, "OwnComment")
    assert set(post_json(client, article, {}).json()) == required(document, "Errors")
    new_comment = document["components"]["schemas"]["NewComment"]["properties"]
    assert set(new_comment) == {
        "author_name", "author_email", "author_url", "body", "parent_id", "notify_replies",
    }  # fmt: skip


def test_document_answers_304_while_unchanged(client, db):
    etag = client.get(f"{API}/openapi.json")["ETag"]
    assert client.get(f"{API}/openapi.json", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_docs_describe_every_operation_and_status():
    text = DOCS.read_text(encoding="utf-8")
    for path, method in STATUSES:
        assert f"{method.upper()} /api/v1{path}" in text, (method, path)
    for status in set().union(*STATUSES.values()):
        assert f"`{status}" in text, status
    assert "curl" in text and "http://127.0.0.1:8000/api/v1/" in text
