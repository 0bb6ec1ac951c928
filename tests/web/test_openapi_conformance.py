"""Schemathesis against ``/api/openapi.json`` (issue 9, part 6): the API answers what its document says.

Every operation of the document is called in-process (WSGI) with an admin's Bearer token, with
valid and invalid data (Schemathesis' positive and negative modes), and every response goes through
all of Schemathesis' checks — the CLI's ``--checks all``: no 5xx, status codes the operation
declares, declared content types and headers, response bodies valid against their schemas, invalid
data refused with a 4xx, and so on. Bounded: 20 valid and 10 invalid examples per operation and mode, derandomized; the valid ones
both free and against a real catalog and entry (free path parameters mostly meet a 404).
"""
from __future__ import annotations


import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from service.domain.editing import entry_id_of
from service.web.openapi import openapi_document

from ..conftest import app_with_admin, copy_tree

#: Examples per operation and mode: valid data reaches deeper code than invalid data, which is refused early.
EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 10}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """One app over a private tree and an admin's token; saves the cases make stay in this tree."""
    return app_with_admin(copy_tree(tmp_path_factory.mktemp("tree")))


@pytest.fixture(scope="module")
def api_schema(api):
    app, _headers = api
    config = schemathesis.Config.from_dict({"checks": {
        # A schema-valid save may still fail a quality check (422): its text decides, not its shape.
        "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "422"]},
    }})
    config.projects.default.checks.update(included_check_names=["all"])
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=config)


OPERATIONS = [(method.upper(), path) for path, item in openapi_document()["paths"].items() for method in item]


#: A real catalog and entry, so that generated bodies and queries reach the code behind the 404s.
REAL_PATH = {"language": "uk", "domain": "articles/nordic-baltic-grid-repair-fund",
             "entry_id": entry_id_of("title", "Nordic and Baltic states pledge €240 million to repair Ukraine’s power grid")}
SINGULAR_ENTRY = entry_id_of(None, "Newsroom")
PLURAL_ENTRY = entry_id_of(None, "%(num)d article")
#: Checks that cannot hold for an operation, and why.
EXCLUDED = {
    # A PO file's syntax is beyond JSON Schema: any bytes are schema-valid, and most are refused with 400
    # naming the line. tests/web/test_properties.py proves that contract for uploads.
    ("PUT", "/api/catalogs/{language}/{domain}/po"): [positive_data_acceptance],
    # A term must contain a word (letters), which JSON Schema's ASCII-only classes cannot say: a
    # schema-valid "…" or "12" is refused with 400 saying so. tests/web/test_desk_web.py covers the rules.
    ("POST", "/api/glossary/{language}"): [positive_data_acceptance],
    ("PUT", "/api/glossary/{language}/{term_id}"): [positive_data_acceptance],
}
MODES = {"positive": GenerationMode.POSITIVE, "negative": GenerationMode.NEGATIVE, "real-path": GenerationMode.POSITIVE,
         "real-path-negative": GenerationMode.NEGATIVE}


CASES = [(method, path, mode) for method, path in OPERATIONS for mode in MODES
         if not mode.startswith("real-path") or "{" in path]


@pytest.mark.parametrize(("method", "path", "mode"), CASES, ids=[f"{m} {p} {mode}" for m, p, mode in CASES])
def test_every_operation_answers_as_documented(api, api_schema, method, path, mode):
    _app, headers = api
    operation = api_schema[path][method]
    fixed = {name: value for name, value in REAL_PATH.items() if "{" + name + "}" in path}
    real = mode.startswith("real-path")
    strategy = operation.as_strategy(generation_mode=MODES[mode],
                                     path_parameters=fixed if real else None)

    @settings(max_examples=EXAMPLES[MODES[mode]], deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def answers_as_documented(case):
        if real and "entry_id" in fixed and isinstance(case.body, dict):
            # An entry with plural forms for a plural body, one without for a singular body.
            plural = "msgstr_plural" in case.body
            case.path_parameters = {**case.path_parameters, "domain": "messages",
                                    "entry_id": PLURAL_ENTRY if plural else SINGULAR_ENTRY}
        case.call_and_validate(headers=headers, excluded_checks=EXCLUDED.get((method, path), []))

    answers_as_documented()


def test_the_document_covers_every_api_route(api, api_schema):
    app, _headers = api
    documented = {(method.upper(), path) for path, item in api_schema.raw_schema["paths"].items() for method in item
                  if method in ("get", "put", "post", "delete", "patch")}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.rule != "/api/openapi.json":
            path = (rule.rule.replace("<language>", "{language}").replace("<path:domain>", "{domain}")
                    .replace("<entry_id>", "{entry_id}").replace("<term_id>", "{term_id}"))
            routed |= {(method, path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed
