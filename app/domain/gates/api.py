"""/api/gates: the gates a visit records (arrivalGateId, departureGateId), defined by administrators."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from app.api.body import strict_json
from app.api.docs import problems
from app.domain.gates import schemas as gate_schemas
from app.domain.gates import service as gates
from app.lib.actors import Actor

ActiveOnly = Annotated[
    bool | None, QueryParameter(name="active", description="true: only gates in use; false: only those out of use")
]


class GateController(Controller):
    path = "/gates"
    tags = ["Gates"]

    @get("/", operation_id="listGates", summary="List the gates", responses=problems(403))
    async def list_gates(self, actor: NamedDependency[Actor], active: ActiveOnly = None) -> list[gate_schemas.Gate]:
        """Every gate (inactive ones too, unless `active` says), in the order they were added; `default` marks the
        gate a check-in or a check-out without `gateId` records. Guards and administrators; residents get 403."""
        return await gates.list_gates(actor, active)

    @get("/{gate_id:uuid}", operation_id="getGate", summary="Get a gate", responses=problems(403, 404))
    async def get_gate(self, actor: NamedDependency[Actor], gate_id: FromPath[UUID]) -> gate_schemas.Gate:
        return await gates.get_gate(actor, gate_id)

    @post(
        "/",
        operation_id="createGate",
        summary="Add a gate",
        description="Administrators only. The name is unique among the gates (ignoring case and accents).",
        status_code=HTTP_201_CREATED,
        responses=problems(403, 413),
    )
    async def create_gate(
        self, request: Request, actor: NamedDependency[Actor], data: JSONBody[gate_schemas.GateInput]
    ) -> Response[gate_schemas.Gate]:
        data = await strict_json(request, gate_schemas.GateInput)
        gate = await gates.create_gate(actor, data)
        return Response(gate, status_code=HTTP_201_CREATED, headers={"Location": f"/api/gates/{gate.id}"})

    @put(
        "/{gate_id:uuid}",
        operation_id="updateGate",
        summary="Replace a gate",
        description="Administrators only. A gate is never deleted (its visits keep it): `active: false` takes it "
        "out of use, and at least one gate stays active (400 on `active`).",
        responses=problems(403, 404, 413),
    )
    async def update_gate(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        gate_id: FromPath[UUID],
        data: JSONBody[gate_schemas.GateInput],
    ) -> gate_schemas.Gate:
        data = await strict_json(request, gate_schemas.GateInput)
        return await gates.update_gate(actor, gate_id, data)
