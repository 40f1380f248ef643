"""API docs served by the service itself: Swagger UI assets from the `fastapi-offline` wheel (no CDN)."""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse

STATIC_URL = "/static/docs"


def install_docs(app: FastAPI, title: str) -> None:
    """Mount the Swagger UI assets and serve `/docs` from them."""
    assets = files("fastapi_offline") / "static"
    app.mount(STATIC_URL, StaticFiles(directory=str(assets)), name="docs-static")

    @app.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi() -> JSONResponse:
        """The event contract of the whole system (AsyncAPI 3.0), generated from the event models."""
        from shared.asyncapi import build

        return JSONResponse(build())

    @app.get("/docs/layanan", include_in_schema=False)
    async def docs_index(request: Request) -> HTMLResponse:
        """One page linking the API docs of the four services."""
        return HTMLResponse(docs_index_html(request.url.scheme, request.url.hostname or "127.0.0.1"))

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{title} — dokumentasi API",
            swagger_js_url=f"{STATIC_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{STATIC_URL}/swagger-ui.css",
            swagger_favicon_url=f"{STATIC_URL}/favicon.png",
            swagger_ui_parameters={"persistAuthorization": True, "displayRequestDuration": True},
        )


def docs_index_html(scheme: str, host: str) -> str:
    """The docs index: each service at its well-known port on the same host."""
    from shared.cli import SERVICES

    rows = "".join(
        f'<li><a href="{scheme}://{host}:{info.port}/docs">{name}</a> — '
        f'<a href="{scheme}://{host}:{info.port}/openapi.json">openapi.json</a></li>'
        for name, info in SERVICES.items()
    )
    return (
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">"
        "<title>UKPBJ Kemendagri — dokumentasi API</title></head><body>"
        "<h1>UKPBJ Kemendagri — dokumentasi API / API docs</h1>"
        f"<ul>{rows}</ul><p>Kontrak event / event contract: <a href=\"/asyncapi.json\">asyncapi.json</a> "
        "(AsyncAPI 3.0)</p></body></html>"
    )
