"""How the API says no: every refusal is JSON ``{"detail": "…", "code": "…"}`` — ``detail`` in
Chinese for the person, ``code`` for the script.

======  ===================  ==================================================================
status  code                 when
======  ===================  ==================================================================
400     bad_request          the body is not JSON
400     invalid              the action refused the input (a period of another document, a
                             target of another task, a return without a reason…)
400     unreadable           an uploaded notice the parser cannot read (its one-line reason)
401     unauthenticated      no valid token and no session
401     invalid_credentials  wrong user name or password
403     forbidden            the caller sees the object but may not do this
403     csrf                 a session request of an unsafe method without the CSRF token
404     not_found            no such object, or one the caller may not see (never "forbidden")
409     conflict             the row changed since the version the caller edited
409     locked               the report or consolidation was accepted: it no longer changes
409     invalid_state        the step does not apply now (submitting a filed report…)
409     already_imported     the same file (sha256) was imported before
413     too_large            an upload over ``UPLOAD_MAX_BYTES``
415     unsupported_type     an upload that is not PDF, DOCX, HTML, TXT or MD
422     invalid_input        the request does not fit the schema; ``errors`` lists where
429     locked_out           too many failed logins (django-axes)
======  ===================  ==================================================================

Handlers decide each status themselves: they raise :class:`ApiError`, or wrap the one action
they call in :func:`action_errors`, which maps the action's exceptions as the table says.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from luoshi_web.tracking import actions


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: str):
        self.status, self.code, self.detail = status, code, detail
        super().__init__(detail)


def not_found(detail: str = "没有找到") -> ApiError:
    return ApiError(404, "not_found", detail)


def forbidden(detail: str) -> ApiError:
    return ApiError(403, "forbidden", detail)


def invalid(detail: str) -> ApiError:
    return ApiError(400, "invalid", detail)


@contextmanager
def action_errors():
    """Turn a ``tracking.actions`` refusal into the API's answer (see the module's table)."""
    try:
        yield
    except PermissionDenied as exc:
        raise forbidden(str(exc) or "无权进行此操作") from exc
    except actions.Conflict as exc:
        raise ApiError(409, "conflict", exc.message) from exc
    except actions.Locked as exc:
        raise ApiError(409, "locked", exc.message) from exc
    except actions.InvalidState as exc:
        raise ApiError(409, "invalid_state", exc.message) from exc
    except actions.Invalid as exc:
        raise invalid(exc.message) from exc


def _field_errors(errors: list[dict]) -> list[dict]:
    """Pydantic's errors without the parts that are not JSON (``ctx`` may hold exceptions)."""
    return [
        {
            "loc": [str(part) if not isinstance(part, int) else part for part in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in errors
    ]


def install(api: NinjaAPI) -> None:
    """Register the handlers that give every refusal the ``{"detail", "code"}`` shape."""

    def answer(request, status: int, code: str, detail: str, **extra):
        return api.create_response(
            request, {"detail": detail, "code": code, **extra}, status=status
        )

    @api.exception_handler(ApiError)
    def _api_error(request, exc: ApiError):
        return answer(request, exc.status, exc.code, exc.detail)

    @api.exception_handler(ValidationError)
    def _validation(request, exc: ValidationError):
        errors = _field_errors(exc.errors)
        first = errors[0] if errors else {"loc": [], "msg": ""}
        where = ".".join(str(p) for p in first["loc"])
        detail = f"请求数据不符合要求：{where} {first['msg']}".strip()
        return answer(request, 422, "invalid_input", detail, errors=errors)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        detail = (
            "需要登录：请在请求头中提供有效的令牌（Authorization: Bearer …），或先在浏览器中登录"
        )
        return answer(request, 401, "unauthenticated", detail)

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        if exc.status_code == 403 and "CSRF" in exc.message:
            detail = "CSRF 校验失败：以浏览器会话调用时，请在 X-CSRFToken 头中提供 CSRF 令牌"
            return answer(request, 403, "csrf", detail)
        if exc.status_code == 400:
            detail = "请求体无法解析（应为 JSON）" if "parse" in exc.message else exc.message
            return answer(request, 400, "bad_request", detail)
        return answer(request, exc.status_code, "error", exc.message)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return answer(request, 404, "not_found", "没有找到")

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return answer(request, 403, "forbidden", str(exc) or "无权进行此操作")
