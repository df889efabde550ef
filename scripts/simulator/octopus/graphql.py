"""The GraphQL endpoints of both hosts, validated against `schema.graphql`.

`POST /octopus/v1/graphql/` plays api.octopus.energy and
`POST /octopus-backend/v1/graphql/` plays api.backend.octopus.energy. A document
is parsed and validated against the host's schema first: a syntax error, an
unknown field or argument, or a variable of the wrong type is answered with HTTP
400 and `{"errors": [{"message", "locations"}]}`, as graphene does. Resolver
errors (authentication, refusals) come back with HTTP 200 next to `data`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
import json
from pathlib import Path
from typing import Any

from aiohttp import web
from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    build_schema,
    execute,
    parse,
    validate,
)

from ..core import SIM_KEY
from . import res_account, res_backend, res_flex, res_heat_pump, res_points
from .scalars import install
from .state import VENDOR
from .tokens import Context, obtain_kraken_token

SCHEMA_FILE = Path(__file__).with_name("schema.graphql")
ROOT: dict[str, Any] = {
    "obtainKrakenToken": obtain_kraken_token,
    **res_account.ROOT,
    **res_flex.ROOT,
    **res_points.ROOT,
    **res_backend.ROOT,
    **res_heat_pump.ROOT,
}
HOST_FIELDS = {
    "api": {
        "obtainKrakenToken",
        *res_account.ROOT,
        *res_flex.ROOT,
        *res_points.ROOT,
    },
    "backend": {*res_backend.ROOT, *res_heat_pump.ROOT},
}


def _restrict(full: GraphQLSchema, fields: set[str]) -> GraphQLSchema:
    def root(kind: GraphQLObjectType | None) -> GraphQLObjectType | None:
        if kind is None:
            return None
        kept = {name: field for name, field in kind.fields.items() if name in fields}
        return GraphQLObjectType(kind.name, kept) if kept else None

    types = [
        kind
        for name, kind in full.type_map.items()
        if name not in ("Query", "Mutation") and not name.startswith("__")
    ]
    return GraphQLSchema(
        query=root(full.query_type), mutation=root(full.mutation_type), types=types
    )


@cache
def schemas() -> dict[str, GraphQLSchema]:
    """Each host's schema."""
    full = build_schema(SCHEMA_FILE.read_text())
    install(full)
    return {host: _restrict(full, fields) for host, fields in HOST_FIELDS.items()}


@dataclass(frozen=True)
class Request:
    """A GraphQL POST body: the parsed document, or the error that stopped it."""

    body: dict[str, Any]
    document: DocumentNode | None
    error: GraphQLError | None

    @classmethod
    def read(cls, text: str) -> Request:
        """Decode the JSON body and parse its `query`."""
        try:
            body = json.loads(text)
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return cls({}, None, GraphQLError("Must provide query string."))
        try:
            return cls(body, parse(body["query"]), None)
        except GraphQLError as err:
            return cls(body, None, err)

    def operation(self) -> str:
        """The counting/fault name: `octopus.token` or `octopus.graphql.<name>`.

        `<name>` is the operation name, else the first root field.
        """
        for definition in self.document.definitions if self.document else ():
            if isinstance(definition, OperationDefinitionNode):
                fields = [
                    selection.name.value
                    for selection in definition.selection_set.selections
                    if isinstance(selection, FieldNode)
                ]
                if "obtainKrakenToken" in fields:
                    return "octopus.token"
                name = definition.name.value if definition.name else None
                label = name or next(iter(fields), "")
                return f"octopus.graphql.{label}" if label else "octopus.graphql"
        return "octopus.graphql"


def _errors(errors: list[GraphQLError], status: int) -> web.Response:
    return web.json_response(
        {"errors": [error.formatted for error in errors]}, status=status
    )


def _answer(result: ExecutionResult) -> web.Response:
    errors = result.errors or []
    if result.data is None and errors and all(error.path is None for error in errors):
        return _errors(errors, 400)  # variables that do not fit their types
    body: dict[str, Any] = {"data": result.data}
    if errors:
        body["errors"] = [error.formatted for error in errors]
    return web.json_response(body)


async def handle(request: web.Request, host: str) -> web.StreamResponse:
    """Answer one GraphQL POST for `host` ("api" or "backend")."""
    sim = request.app[SIM_KEY]
    post = Request.read(await request.text())
    fault = await sim.enter(post.operation(), request, graphql=True)
    if fault is not None:
        return fault
    if post.document is None:
        return _errors([post.error or GraphQLError("Invalid request.")], 400)
    schema = schemas()[host]
    if errors := validate(schema, post.document):
        return _errors(errors, 400)
    context = Context(
        state=sim.state[VENDOR],
        host=host,
        now=sim.clock.now(),
        authorization=request.headers.get("Authorization"),
    )
    result = execute(
        schema,
        post.document,
        root_value=ROOT,
        context_value=context,
        variable_values=post.body.get("variables"),
        operation_name=post.body.get("operationName"),
    )
    assert isinstance(result, ExecutionResult)  # noqa: S101  (resolvers are sync)
    return _answer(result)


def add_routes(app: web.Application) -> None:
    """Register both hosts' GraphQL endpoints."""
    for prefix, host in (("/octopus", "api"), ("/octopus-backend", "backend")):

        async def handler(request: web.Request, host: str = host) -> web.StreamResponse:
            return await handle(request, host)

        app.router.add_post(f"{prefix}/v1/graphql{{slash:/?}}", handler)
