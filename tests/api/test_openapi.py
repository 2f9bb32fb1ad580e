"""The OpenAPI document and docs/api.md must describe the API that is routed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.urls import URLPattern
from openapi_schema_validator import OAS31Validator

from broadsheet.api import urls as api_urls
from tests.api.conftest import API, comment_url, comments_url, post_json, send
from tests.conftest import post

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"

# Every status each operation answers on purpose; the other test modules make
# each one happen. (405 is any path's answer to a method it does not list.)
STATUSES = {
    ("/openapi.json", "get"): {"200", "304"},
    ("/articles/{slug}", "get"): {"200", "304", "404", "503"},
    ("/articles/{slug}/comments", "get"): {"200", "304", "400", "404", "503"},
    ("/articles/{slug}/comments", "post"): {
        "201", "400", "403", "404", "413", "415", "429", "503"},
    ("/comments/{id}", "patch"): {"200", "400", "401", "403", "404", "413", "415", "429", "503"},
    ("/comments/{id}", "delete"): {"204", "401", "403", "404", "503"},
    ("/search", "get"): {"200", "304", "400", "404", "429", "503"},
}  # fmt: skip


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
    search = document["paths"]["/search"]["get"]["parameters"]
    assert "7 articles" in search[1]["description"]
    assert search[0]["schema"]["maxLength"] == 200


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
    found = client.get(f"{API}/search", {"q": "hello"}).json()
    assert set(found) == required(document, "SearchPage")
    assert set(found["results"][0]) == required(document, "SearchResult")
    assert required(document, "SearchResult") == required(document, "Article") | {"excerpt"}
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


# -- the request schemas say what the form requires (found by Schemathesis: a request
# valid by the document was refused, or one invalid by it was taken) ---------------


def new_comment(document: dict) -> dict:
    return document["components"]["schemas"]["NewComment"]


def test_a_comment_without_a_name_is_invalid_by_the_document_too(client, article, document):
    assert set(new_comment(document)["required"]) == {"author_name", "body"}
    response = post_json(client, article, {"body": "No name."})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"author_name"}


@pytest.mark.parametrize("field", ["author_name", "body"])
def test_text_of_only_white_space_is_invalid_by_the_document_too(client, article, document, field):
    schema = new_comment(document)["properties"][field]
    assert schema["minLength"] == 1
    pattern = re.compile(schema["pattern"])
    for blank in (" ", "\n\t", "\u3000\u2003", "\x1c"):
        assert not pattern.search(blank), repr(blank)
        payload = {"author_name": "Jo", "body": "Text.", field: blank}
        assert set(post_json(client, article, payload).json()["errors"]) == {field}
    assert pattern.search(" x\n")
    edit = document["components"]["schemas"]["CommentEdit"]["properties"]["body"]
    assert edit == new_comment(document)["properties"]["body"]


# Names the form refuses for a character the document's pattern can name, and names it
# takes, with white space, tabs and scripts of every direction (found by Schemathesis: the
# document let through names holding a line break or a control character).
REFUSED_NAMES = [
    "Jo\nSmith",
    "Jo\rSmith",
    "Jo\x0bSmith",
    "Jo\x0cSmith",
    "Jo\x1eSmith",
    "Jo\x85Smith",
    "Jo\u2028Smith",
    "Jo\u2029Smith",
    "\x07Jo",
    "Jo\x7f",
    "Jo\x9b",
    "Jo\ufdd0",
    "Jo\uffff",
]
TAKEN_NAMES = [
    "Jo",
    "Jo\tSmith",
    " Jo \n",
    "\x1cJo\x1f",
    "\x85Jo\u2028",
    "Zoë O'Brien",
    "שרה לוי",
    "سارة",
    "Ｊｏ",
    "🦊 Fox",
    "Jo\u200dSmith",
]


def test_the_name_pattern_refuses_what_the_form_refuses(client, article, document):
    schema = {
        "type": "object",
        "properties": {"name": new_comment(document)["properties"]["author_name"]},
    }
    validator = OAS31Validator(schema)
    for n, name in enumerate(REFUSED_NAMES + TAKEN_NAMES):
        by_document = validator.is_valid({"name": name})
        answer = post_json(client, article, {"author_name": name, "body": f"Comment {n}."})
        by_site = "author_name" not in answer.json().get("errors", {})
        assert by_document == by_site == (name in TAKEN_NAMES), (name, answer.json())


def test_an_empty_address_is_no_address_in_the_document_too(client, article, document):
    choices = new_comment(document)["properties"]["author_email"]["anyOf"]
    assert {"const": ""} in choices and {"type": "null"} in choices
    response = post_json(client, article, {"author_name": "Jo", "body": "x", "author_email": ""})
    assert response.status_code == 201


def test_reply_e_mails_need_an_address_in_the_document_too(client, article, document):
    schema = new_comment(document)
    assert schema["if"] == {
        "required": ["notify_replies"],
        "properties": {"notify_replies": {"const": True}},
    }
    assert schema["then"]["required"] == ["author_email"]
    assert schema["then"]["properties"]["author_email"]["format"] == "email"
    for address in (None, ""):
        payload = {"author_name": "Jo", "body": "x", "notify_replies": True}
        response = post_json(client, article, {**payload, "author_email": address})
        assert set(response.json()["errors"]) == {"author_email"}


def test_address_and_website_lengths_are_the_forms(client, article, document):
    properties = new_comment(document)["properties"]
    email = properties["author_email"]["anyOf"][0]
    assert email["maxLength"] == 254
    assert properties["author_url"]["maxLength"] == 500
    url = "https://example.org/" + "a" * 480
    ok = post_json(client, article, {"author_name": "Jo", "body": "x", "author_url": url})
    assert ok.status_code == 201, ok.content
    # The scheme added to an address given without one counts toward the limit.
    for long in (url + "a", url.removeprefix("https://")[:-1] + "aaaaaaaa"):
        payload = {"author_name": "Jo", "body": "x", "author_url": long}
        assert set(post_json(client, article, payload).json()["errors"]) == {"author_url"}


def test_parent_ids_are_positive_in_the_document_too(client, article, document):
    assert new_comment(document)["properties"]["parent_id"]["minimum"] == 1
    for parent in (0, -1):
        payload = {"author_name": "Jo", "body": "x", "parent_id": parent}
        assert set(post_json(client, article, payload).json()["errors"]) == {"parent_id"}


def _evaluate(expression: str, answer: dict) -> str:
    """An OpenAPI runtime expression on a response body, alone or inside {braces}."""

    def one(text: str) -> str:
        assert text.startswith("$response.body#/"), text
        node = answer
        for part in text.removeprefix("$response.body#/").split("/"):
            node = node[part]
        return str(node)

    if expression.startswith("$"):
        return one(expression)
    return re.sub(r"\{(\$[^}]+)\}", lambda m: one(m.group(1)), expression)


def test_links_lead_from_an_article_to_its_comments_and_from_a_post_to_its_edit(
    client, article, document
):
    """The links the document declares work when followed, as a client (or Schemathesis's
    stateful phase) follows them: the article's slug, the posted comment's id and token."""
    paths = document["paths"]
    got = client.get(f"{API}/articles/{article.slug}").json()
    for link in paths["/articles/{slug}"]["get"]["responses"]["200"]["links"].values():
        assert link["operationId"] in {"listComments", "postComment"}
        assert _evaluate(link["parameters"]["slug"], got) == article.slug
    posted = post_json(client, article, {"author_name": "Jo", "body": "Before."}).json()
    links = paths["/articles/{slug}/comments"]["post"]["responses"]["201"]["links"]
    assert {link["operationId"] for link in links.values()} == {"editComment", "deleteComment"}
    edit = links["EditComment"]["parameters"]
    url = comment_url(int(_evaluate(edit["path.id"], posted)))
    authorization = _evaluate(edit["header.Authorization"], posted)
    response = client.generic(
        "PATCH", url, json.dumps({"body": "After."}), content_type="application/json",
        HTTP_AUTHORIZATION=authorization,
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["body"] == "After."
    delete = links["DeleteComment"]["parameters"]["header.Authorization"]
    response = client.delete(url, HTTP_AUTHORIZATION=_evaluate(delete, posted))
    assert response.status_code == 204
