"""The API from the browser: the logged-in session works, unsafe methods need the CSRF token
(tokens never do), and the documentation page loads everything from our own host."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from test_api_support import Caller, report_body

from luoshi_web.tracking.models import ProgressReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(people):
    """The lead unit's browser: logged in, Django's CSRF checks enforced as in production."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.lead_unit)
    return client


def csrf_token(client) -> str:
    client.get("/api/docs")  # any page that renders the token sets the cookie
    return client.cookies["csrftoken"].value


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_the_browser_session_reads_the_api(browser, task):
    response = browser.get(f"/api/tasks/{task.pk}")
    assert response.status_code == 200
    assert response.json()["may"]["consolidate"] is True


def test_a_session_post_without_the_csrf_token_is_refused(browser, task):
    response = post(browser, f"/api/tasks/{task.pk}/reports", report_body())
    assert response.status_code == 403
    assert response.json()["code"] == "csrf"
    assert not ProgressReport.objects.filter(task=task).exists()


def test_a_session_post_with_a_wrong_csrf_token_is_refused(browser, task):
    csrf_token(browser)
    response = post(browser, f"/api/tasks/{task.pk}/reports", report_body(), X_CSRFToken="x" * 64)
    assert response.status_code == 403
    assert response.json()["code"] == "csrf"


def test_a_session_post_with_the_csrf_token_is_accepted(browser, task):
    token = csrf_token(browser)
    response = post(browser, f"/api/tasks/{task.pk}/reports", report_body(), X_CSRFToken=token)
    assert response.status_code == 201, response.content
    assert response.json()["unit"]["registry_id"] == "zj-finance"


def test_a_token_needs_no_csrf_token(people, task):
    caller = Caller(people.participant, client=Client(enforce_csrf_checks=True))
    assert caller.post(f"/api/tasks/{task.pk}/reports", report_body()).status_code == 201


def test_a_post_without_session_or_token_is_401_not_a_csrf_failure(task):
    client = Client(enforce_csrf_checks=True)
    response = post(client, f"/api/tasks/{task.pk}/reports", report_body())
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_the_docs_page_loads_everything_from_our_own_host(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    addresses = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", page)
    assert addresses, page
    assert all(a.startswith("/static/") for a in addresses), addresses
    hosts = set(re.findall(r"(?:https?:)?//([^/\s\"'<>]+)", page))
    assert hosts <= {"testserver"}, hosts
    settings = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', page, re.S)[1])
    assert settings["url"] == "/api/openapi.json"
    assert settings["validatorUrl"] is None  # no call to validator.swagger.io
    for address in addresses:
        asset = client.get(address)
        assert asset.status_code == 200, address
        asset.close()


def test_the_swagger_script_we_serve_calls_no_other_host(client):
    script = client.get("/static/ninja/swagger-ui-init.js")
    text = b"".join(script.streaming_content).decode()
    script.close()
    assert not re.search(r"https?://", text)


def test_the_openapi_document_describes_every_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert set(schema["components"]["securitySchemes"]) == {"BearerToken", "SessionCookie"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method} {path}"
            assert "application/json" in json.dumps(operation["responses"]), f"{method} {path}"
    token = schema["paths"]["/api/auth/token"]["post"]
    assert "security" not in token or token["security"] == [{}] or not token["security"]
