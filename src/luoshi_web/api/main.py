"""The REST API under ``/api/``, documented at ``/api/docs`` (Swagger UI served from our own
static files) and ``/api/openapi.json`` (OpenAPI 3.1).

Routers by noun: ``tokens`` (auth, me), ``tasks``, ``workflow`` (reports, consolidations, review,
reminders, instructions), ``documents`` (list, detail, import), ``reference`` (units, leaders,
periods), ``exports`` (ledger, bulletin).
"""

from __future__ import annotations

from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from luoshi_web.api import documents, errors, exports, reference, tasks, tokens, workflow
from luoshi_web.api.auth import caller_auth


class ReadableJSON(JSONRenderer):
    """JSON with Chinese as characters, not ``\\uXXXX`` escapes."""

    json_dumps_params = {"ensure_ascii": False}


class LuoshiAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # The handler's name (``list_tasks``), not ninja's module-qualified default.
        return operation.view_func.__name__


DESCRIPTION = """\
落实（luoshi）的 REST API：任务、进展报送、汇总、审核、催办、批示、单位、领导、文件。

**认证**：`POST /api/auth/token` 用用户名和密码换取令牌，之后的请求带上
`Authorization: Bearer <token>`（令牌 30 天后失效，`DELETE /api/auth/token` 注销）。
浏览器中已登录的会话也可直接调用；会话方式的 POST 须在 `X-CSRFToken` 头中带 CSRF 令牌。

**权限**与网页相同（`accounts/permissions.py`）：看不到的任务答 404，看得到但无权操作答 403。

**错误**一律为 `{"detail": "中文说明", "code": "机器可读的原因"}`：`conflict`（版本冲突，
说明谁在何时修改过）、`locked`（已审核通过）、`not_found`、`forbidden`、`invalid`、
`invalid_input`（不符合接口定义，`errors` 列出位置）等。
"""

api = LuoshiAPI(
    title="luoshi 落实 API",
    version="1",
    description=DESCRIPTION,
    auth=caller_auth(),
    renderer=ReadableJSON(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    # validatorUrl null: Swagger UI would otherwise send our schema to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
errors.install(api)
for module in (tokens, tasks, workflow, documents, exports, reference):
    api.add_router("", module.router)
