#!/usr/bin/env python3
"""Check docs/openapi.json with openapi-spec-validator and project rules.

Exits 0 when the document is valid, 1 with the problems listed when it is
not, and 77 (ctest's skip code here) when openapi-spec-validator is not
installed.
"""
import json
import re
import sys

try:
    from openapi_spec_validator import validate
except ImportError:
    print("openapi-spec-validator is not installed; skipping", file=sys.stderr)
    sys.exit(77)

METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def resolve(document, node):
    """The object a "#/components/..." reference points to, or node."""
    if "$ref" not in node:
        return node
    for part in node["$ref"].lstrip("#/").split("/"):
        document = document[part]
    return document


def project_problems(document):
    """Rules of this API that the OpenAPI schema does not enforce."""
    problems = []
    operation_ids = set()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            where = f"{method.upper()} {path}"
            operation_id = operation.get("operationId")
            if not operation_id:
                problems.append(f"{where} has no operationId")
            elif operation_id in operation_ids:
                problems.append(f"{where} repeats operationId {operation_id}")
            operation_ids.add(operation_id)
            responses = operation.get("responses", {})
            secured = operation.get("security", document.get("security"))
            if secured and "401" not in responses:
                problems.append(f"{where} takes a token but documents no 401")
            if "500" not in responses:
                problems.append(f"{where} documents no 500")
            declared = [resolve(document, parameter) for parameter in
                        item.get("parameters", []) +
                        operation.get("parameters", [])]
            in_path = {p["name"] for p in declared if p.get("in") == "path"}
            for name in re.findall(r"{([^}]+)}", path):
                if name not in in_path:
                    problems.append(f"{where} does not declare {{{name}}}")
    return problems


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "docs/openapi.json"
    with open(path, encoding="utf-8") as source:
        document = json.load(source)
    try:
        validate(document)
    except Exception as error:  # the validator raises several types
        print(f"{path} is not a valid OpenAPI document: {error}")
        return 1
    problems = project_problems(document)
    for problem in problems:
        print(f"{path}: {problem}")
    if problems:
        return 1
    print(f"{path} is a valid OpenAPI {document['openapi']} document with "
          f"{len(document['paths'])} paths")
    return 0


if __name__ == "__main__":
    sys.exit(main())
