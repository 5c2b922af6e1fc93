"""The API reference page: the OpenAPI schema rendered on the server, with no script from
outside (ninja's default page loads Swagger UI from a CDN, which intranets cannot reach)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.urls import reverse
from django.views.decorators.http import require_GET

from xuncha.api.api import api

METHODS = ("get", "post", "put", "patch", "delete")


def _template(name: str):
    return get_template(f"api/{name}")


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_label(schema: dict[str, Any] | None) -> dict[str, Any]:
    """A short description of a JSON schema: {"text": "array of X", "ref": "X" or None}."""
    if not schema:
        return {"text": "", "ref": None}
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return {"text": name, "ref": name}
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            parts = [type_label(s) for s in schema[key]]
            ref = next((p["ref"] for p in parts if p["ref"]), None)
            return {"text": " | ".join(p["text"] for p in parts), "ref": ref}
    kind = schema.get("type", "")
    if kind == "array":
        inner = type_label(schema.get("items"))
        return {"text": f"array of {inner['text']}", "ref": inner["ref"]}
    if "enum" in schema:
        return {"text": f"{kind}: " + ", ".join(repr(v) for v in schema["enum"]), "ref": None}
    if "const" in schema:
        return {"text": repr(schema["const"]), "ref": None}
    fmt = schema.get("format")
    return {"text": f"{kind} ({fmt})" if fmt else str(kind), "ref": None}


def _constraints(schema: dict[str, Any]) -> str:
    bits = []
    for key, sign in (("minimum", "≥"), ("maximum", "≤"), ("exclusiveMinimum", ">"),
                      ("exclusiveMaximum", "<"), ("minLength", "length ≥"), ("maxLength", "length ≤")):
        if key in schema:
            bits.append(f"{sign} {schema[key]}")
    if "default" in schema:
        bits.append(f"default {schema['default']!r}")
    return ", ".join(bits)


def _parameters(operation: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for param in operation.get("parameters", []):
        schema = param.get("schema", {})
        rows.append({
            "name": param["name"], "in": param.get("in", ""), "required": param.get("required", False),
            "type": type_label(schema), "constraints": _constraints(schema),
            "description": param.get("description") or schema.get("description", ""),
        })
    return rows


def _body(operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    for media_type, spec in content.items():
        return {"media_type": media_type, "type": type_label(spec.get("schema"))}
    return None


def _responses(operation: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for status, spec in sorted(operation.get("responses", {}).items()):
        schema = next(iter(spec.get("content", {}).values()), {}).get("schema")
        rows.append({"status": status, "description": spec.get("description", ""),
                     "type": type_label(schema)})
    return rows


def _schemas(components: dict[str, Any]) -> list[dict[str, Any]]:
    result = []
    for name, schema in sorted(components.get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [
            {"name": field, "type": type_label(spec), "required": field in required,
             "constraints": _constraints(spec), "description": spec.get("description", "")}
            for field, spec in schema.get("properties", {}).items()
        ]
        result.append({"name": name, "description": schema.get("description", ""), "fields": fields})
    return result


def reference(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI schema flattened into what the reference template lists."""
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            operations.append({
                "method": method.upper(), "path": path,
                "anchor": operation.get("operationId", f"{method}-{path}"),
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "tag": (operation.get("tags") or [""])[0],
                "secured": bool(operation.get("security")),
                "parameters": _parameters(operation), "body": _body(operation),
                "responses": _responses(operation),
            })
    tags: dict[str, list[dict[str, Any]]] = {}
    for operation in operations:
        tags.setdefault(operation["tag"], []).append(operation)
    return {
        "info": schema.get("info", {}),
        "groups": [{"tag": tag, "operations": ops} for tag, ops in tags.items()],
        "schemas": _schemas(schema.get("components", {})),
        "security": schema.get("components", {}).get("securitySchemes", {}),
    }


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema()
    ctx = reference(schema)
    ctx["openapi_url"] = reverse("api:openapi-json")
    body = _template("reference.html").render(ctx, request)
    return HttpResponse(_template("docs.html").render({"reference": body, **ctx}, request))
