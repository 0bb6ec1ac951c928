"""The OpenAPI document of the translators' JSON API, served at ``/api/openapi.json``."""
from __future__ import annotations

from typing import Any, Sequence

#: What ``<domain>`` may be: the UI strings or one article's catalog.
DOMAIN_PATTERN = "^(messages|articles/[a-z0-9]+(-[a-z0-9]+)*)$"


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _path_parameters(languages: Sequence[str]) -> list[dict[str, Any]]:
    return [
        {"name": "language", "in": "path", "required": True, "schema": {"type": "string", "enum": list(languages)},
         "example": languages[0]},
        {"name": "domain", "in": "path", "required": True, "schema": {"type": "string", "pattern": DOMAIN_PATTERN},
         "description": "`messages` or `articles/<slug>` (the slash is part of the path)",
         "example": "articles/lviv-ryasne-tram-line"},
    ]


_ENTRY_PARAMETER = {"name": "entry_id", "in": "path", "required": True, "schema": {"type": "string",
                    "pattern": "^[0-9a-f]{16}$"},
                    "description": "first 16 hex digits of SHA-1 over UTF-8 msgctxt + \"\\x04\" + msgid "
                                   "(just msgid without a context)"}
_NUMBERS_CHECKED = {"type": "boolean", "description": (
    "the translation's numbers differ from the source's on purpose: lets a fuzzy entry be cleared although the "
    "source changed a number (else 422, check `facts_changed`), and records the flag `numbers-checked` in the "
    "entry; `false` removes the flag; absent leaves it as it is")}
_TERM_PARAMETER = {"name": "term_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_REFUSALS = {"401": _error("no or invalid credentials"), "403": _error("not one of your languages"),
             "404": _error("no such catalog or entry")}


def openapi_document(languages: Sequence[str] = ("uk", "en")) -> dict[str, Any]:
    """Return the OpenAPI 3.1 description of the API for the configured ``languages``."""
    path_parameters = _path_parameters(languages)
    language_query = {"name": "language", "in": "query", "required": False,
                      "schema": {"type": "string", "enum": [*languages, ""]}}  # empty (a form's "all"): no filter
    translation_schema = {
        "oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/PluralForms"}],
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Newsroom localization API",
            "version": "1.0",
            "description": "Read and edit the gettext catalogs of the newsroom. Authenticate with "
                           "`Authorization: Bearer <token>` (from `l10n users add`) or the web session "
                           "(with its CSRF token in `X-CSRFToken`). Refusals come in this order: 401, 403, "
                           "404, 400, 409, 422.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"session": []}],
        "paths": {
            "/api/catalogs": {"get": {
                "summary": "Every catalog of your languages with its counts",
                "description": "UI strings first, then unreadable, stale, incomplete and complete catalogs, each "
                               "by domain. Check results are per entry, in each catalog's answer.",
                "parameters": [
                    {**language_query, "description": "only this language (repeatable)"},
                    {"name": "state", "in": "query", "schema": {
                        "type": "string", "enum": ["all", "needs-work", "stale", "incomplete", "complete"],
                        "default": "all"}, "description": "`needs-work`: stale or incomplete"},
                    {"name": "q", "in": "query", "schema": {"type": "string"},
                     "description": "text in the article's slug or title (only its first 200 characters count)"},
                ],
                "responses": {"200": {"description": "the catalogs", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"catalogs": {"type": "array", "items": {
                        "$ref": "#/components/schemas/CatalogSummary"}}}}}}},
                              "400": _error("unknown language or state"), "401": _REFUSALS["401"],
                              "403": _REFUSALS["403"]},
            }},
            "/api/catalogs/{language}/{domain}": {"get": {
                "summary": "A catalog with every entry and its check results",
                "parameters": path_parameters,
                "responses": {"200": {"description": "the catalog", "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/Catalog"}}}}, **_REFUSALS},
            }},
            "/api/catalogs/{language}/{domain}/entries/{entry_id}": {
                "get": {"summary": "One entry", "parameters": [*path_parameters, _ENTRY_PARAMETER],
                        "responses": {"200": {"description": "the entry", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Entry"}}}}, **_REFUSALS}},
                "put": {
                    "summary": "Save one entry's translation, if it still equals `base`",
                    "parameters": [*path_parameters, _ENTRY_PARAMETER],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/Save"}}}},
                    "responses": {
                        "200": {"description": "saved; `checks` lists any warnings",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Entry"}}}},
                        **_REFUSALS,
                        "400": _error("malformed body"),
                        "409": {"description": "the entry changed since `base`; nothing saved",
                                "content": {"application/json": {"schema": {
                                    "$ref": "#/components/schemas/Conflict"}}}},
                        "422": {"description": "a check failed at error level; nothing saved",
                                "content": {"application/json": {"schema": {
                                    "$ref": "#/components/schemas/CheckFailure"}}}},
                    },
                },
            },
            "/api/catalogs/{language}/{domain}/entries/{entry_id}/history": {"get": {
                "summary": "Recorded changes of one entry, newest first",
                "parameters": [*path_parameters, _ENTRY_PARAMETER],
                "responses": {"200": {"description": "the history", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"history": {"type": "array", "items": {
                        "$ref": "#/components/schemas/HistoryRow"}}}}}}}, **_REFUSALS},
            }},
            "/api/catalogs/{language}/{domain}/entries/{entry_id}/suggestions": {"get": {
                "summary": "Translation memory suggestions for the entry's source",
                "description": "From every catalog's reviewed translations in this language: the same source "
                               "first (score 100), then similar ones (score ≥ 70, rapidfuzz's normalized Indel "
                               "similarity), best first, at most 5; the entry itself is left out.",
                "parameters": [*path_parameters, _ENTRY_PARAMETER],
                "responses": {"200": {"description": "the suggestions", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"suggestions": {"type": "array", "items": {
                        "$ref": "#/components/schemas/Suggestion"}}}}}}}, **_REFUSALS},
            }},
            "/api/catalogs/{language}/{domain}/entries/{entry_id}/checks": {"post": {
                "summary": "Run the checks on a proposed translation without saving it",
                "parameters": [*path_parameters, _ENTRY_PARAMETER],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/Draft"}}}},
                "responses": {"200": {"description": "the results", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"checks": {"type": "array", "items": {
                        "$ref": "#/components/schemas/CheckResult"}}}}}}}, **_REFUSALS,
                    "400": _error("malformed body")},
            }},
            "/api/catalogs/{language}/{domain}/po": {
                "get": {"summary": "Download the catalog as a PO file",
                        "description": "The file carries `X-Base-Revision`; keep it when uploading so the "
                                       "upload can tell your edits from other people's.",
                        "parameters": path_parameters,
                        "responses": {"200": {"description": "the PO file",
                                              "content": {"text/x-gettext-translation": {}}}, **_REFUSALS}},
                "put": {
                    "summary": "Upload a PO file: merged entry by entry",
                    "description": "An entry is applied when the stored value is still the one the file was "
                                   "downloaded with (or is empty). When both changed, the stored value stays "
                                   "and the uploaded one is kept in the entry's history as a `conflict` row. "
                                   "A broken file is refused with its line number and changes nothing.",
                    "parameters": path_parameters,
                    "requestBody": {"required": True, "content": {
                        "text/x-gettext-translation": {"schema": {"type": "string", "format": "binary"}},
                        "multipart/form-data": {"schema": {"type": "object", "properties": {
                            "file": {"type": "string", "format": "binary"}}}}}},
                    "responses": {"200": {"description": "what was merged", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/UploadReport"}}}}, **_REFUSALS,
                        "400": _error("broken PO file (the message names the line) or malformed request"),
                        "409": _error("the stored catalog itself is broken (the message names the line)"),
                        "413": _error("the request body is larger than MAX_CONTENT_LENGTH")},
                },
            },
            "/api/glossary/{language}": {
                "get": {"summary": "The glossary of a target language (translators of it, editors, admins)",
                        "parameters": [path_parameters[0]],
                        "responses": {"200": {"description": "the terms", "content": {"application/json": {"schema": {
                            "type": "object", "properties": {"language": {"type": "string"}, "terms": {
                                "type": "array", "items": {"$ref": "#/components/schemas/GlossaryTerm"}}}}}}},
                            **_REFUSALS}},
                "post": {"summary": "Add a term (editors and admins)", "parameters": [path_parameters[0]],
                         "requestBody": {"required": True, "content": {"application/json": {"schema": {
                             "$ref": "#/components/schemas/GlossaryTermInput"}}}},
                         "responses": {"201": {"description": "the new term", "content": {"application/json": {
                             "schema": {"$ref": "#/components/schemas/GlossaryTerm"}}}}, **_REFUSALS,
                             "400": _error("malformed or invalid term"),
                             "409": _error("the glossary already has this term")}},
            },
            "/api/glossary/{language}/{term_id}": {
                "put": {"summary": "Change a term (editors and admins): send every field",
                        "parameters": [path_parameters[0], _TERM_PARAMETER],
                        "requestBody": {"required": True, "content": {"application/json": {"schema": {
                            "$ref": "#/components/schemas/GlossaryTermInput"}}}},
                        "responses": {"200": {"description": "the changed term", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/GlossaryTerm"}}}}, **_REFUSALS,
                            "400": _error("malformed or invalid term"),
                            "409": _error("the glossary already has this term")}},
                "delete": {"summary": "Remove a term (editors and admins)",
                           "parameters": [path_parameters[0], _TERM_PARAMETER],
                           "responses": {"200": {"description": "removed"}, **_REFUSALS}},
            },
            "/api/coverage": {"get": {
                "summary": "Translation coverage of every catalog (editors and admins)",
                "description": "Counted as `msgfmt --statistics` counts; `complete` is stricter (every plural "
                               "form filled, nothing fuzzy). `percent` is translated ÷ all messages × 100 "
                               "(an empty catalog is 100).",
                "parameters": [
                    {**language_query, "description": "only this language (may be repeated)"},
                    {"name": "format", "in": "query", "required": False,
                     "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"},
                     "description": "`csv`: the `catalogs` rows as CSV, same columns"},
                ],
                "responses": {
                    "200": {"description": "the coverage", "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Coverage"}},
                        "text/csv": {"schema": {"type": "string"}}}},
                    "400": _error("unknown language or format"),
                    "401": _REFUSALS["401"],
                    "403": _error("only editors and admins see coverage"),
                },
            }},
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": {
                "Coverage": {"type": "object", "properties": {
                    "catalogs": {"type": "array", "items": {"$ref": "#/components/schemas/CatalogCoverage"}},
                    "totals": {"type": "array", "items": {"$ref": "#/components/schemas/LanguageTotals"}},
                    "errors": {"type": "array", "items": {"type": "string"},
                               "description": "catalogs that could not be read, with file and line"}}},
                "CatalogCoverage": {"type": "object", "properties": {
                    "language": {"type": "string"}, "domain": {"type": "string"},
                    "article": {"type": ["string", "null"], "description": "the slug; null for `messages`"},
                    "state": {"type": "string", "enum": ["complete", "stale", "incomplete"]},
                    **{name: {"type": "integer"} for name in (
                        "translated", "fuzzy", "untranslated", "complete", "words", "words_translated",
                        "facts_changed")},
                    "percent": {"type": "number"},
                    "stale_since": {"type": ["string", "null"], "format": "date-time"}}},
                "LanguageTotals": {"type": "object", "properties": {
                    "language": {"type": "string"},
                    **{name: {"type": "integer"} for name in (
                        "catalogs", "translated", "fuzzy", "untranslated", "complete", "words", "words_translated",
                        "articles", "articles_complete", "articles_stale", "articles_incomplete", "facts_changed")},
                    "percent": {"type": "number"}}},
                "Error": {"type": "object", "required": ["error"], "properties": {
                    "error": {"type": "string"},
                    "line": {"type": "integer", "description": "the line of a broken PO file"}}},
                "SavedText": {"type": "string", "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$",
                              "description": "no control characters but tab, line feed and carriage return (400)"},
                "NonEmptyPluralForms": {"allOf": [{"$ref": "#/components/schemas/PluralForms"}],
                                        "minProperties": 1},
                "PluralForms": {"type": "object", "additionalProperties": {"type": "string"},
                                "propertyNames": {"pattern": "^[0-9]$"},
                                "dependentRequired": {str(n): [str(n - 1)] for n in range(1, 10)},
                                "description": "plural forms numbered \"0\", \"1\", … without gaps",
                                "example": {"0": "…", "1": "…", "2": "…"}},
                "CheckResult": {"type": "object", "required": ["check", "level", "message"], "properties": {
                    "check": {"type": "string", "enum": ["length", "placeholders", "plurals", "markup", "language",
                                                         "numbers", "same-as-source", "whitespace", "punctuation",
                                                         "typography", "glossary"]},
                    "level": {"type": "string", "enum": ["error", "warning"]},
                    "message": {"type": "string"}}},
                "GlossaryTerm": {"type": "object", "required": ["id", "term", "translation", "note", "forbidden"],
                                 "properties": {
                    "id": {"type": "integer"}, "term": {"type": "string", "description": "in the source language"},
                    "translation": {"type": "string", "description": "the required translation"},
                    "note": {"type": "string"},
                    "forbidden": {"type": "array", "items": {"type": "string"},
                                  "description": "variants not to use (\"Kiev\" for \"Kyiv\")"}}},
                "GlossaryTermInput": {"type": "object", "required": ["term", "translation"],
                                      "additionalProperties": False, "properties": {
                    "term": {"type": "string", "maxLength": 200}, "translation": {"type": "string", "maxLength": 200},
                    "note": {"type": "string", "maxLength": 1000},
                    "forbidden": {"type": "array", "items": {"type": "string"}, "maxItems": 20}}},
                "Suggestion": {"type": "object", "required": ["source", "translation", "score", "domain"],
                               "properties": {
                    "source": {"type": "string", "description": "the remembered source text"},
                    "translation": {"type": "string"},
                    "score": {"type": "integer", "minimum": 70, "maximum": 100, "description": "100: the same source"},
                    "domain": {"type": "string", "description": "the catalog it comes from (`tmx` when imported)"}}},
                "Entry": {"type": "object", "properties": {
                    "id": {"type": "string"}, "msgctxt": {"type": ["string", "null"]}, "msgid": {"type": "string"},
                    "msgid_plural": {"type": ["string", "null"]}, "msgstr": {"type": ["string", "null"]},
                    "msgstr_plural": {"oneOf": [{"$ref": "#/components/schemas/PluralForms"}, {"type": "null"}]},
                    "fuzzy": {"type": "boolean"}, "numbers_checked": {"type": "boolean"},
                    "state": {"type": "string", "enum": ["translated", "fuzzy", "untranslated"]},
                    "previous_msgid": {"type": ["string", "null"]},
                    "comments": {"type": "object", "properties": {"translator": {"type": ["string", "null"]},
                                                                  "extracted": {"type": ["string", "null"]}}},
                    "references": {"type": "array", "items": {"type": "string"}},
                    "checks": {"type": "array", "items": {"$ref": "#/components/schemas/CheckResult"}}}},
                "Catalog": {"type": "object", "properties": {
                    "language": {"type": "string"}, "domain": {"type": "string"},
                    "plural_forms": {"type": ["string", "null"]},
                    "entries": {"type": "array", "items": {"$ref": "#/components/schemas/Entry"}}}},
                "CatalogSummary": {"type": "object", "properties": {
                    "language": {"type": "string"}, "domain": {"type": "string"},
                    "article": {"type": ["string", "null"]}, "title": {"type": ["string", "null"]},
                    "translated": {"type": "integer"},
                    "fuzzy": {"type": "integer"}, "untranslated": {"type": "integer"},
                    "total": {"type": "integer"}, "percent": {"type": "number"},
                    "state": {"type": ["string", "null"], "enum": ["complete", "stale", "incomplete", None]},
                    "error": {"type": "string", "description": "why the catalog cannot be read (no counts)"}}},
                "Draft": {"description": "`msgstr` for a message without plural forms, `msgstr_plural` for one "
                                         "with them (anything else is 400)",
                          "oneOf": [
                              {"type": "object", "required": ["msgstr"], "properties": {"msgstr": {"type": "string"}}},
                              {"type": "object", "required": ["msgstr_plural"], "properties": {
                                  "msgstr_plural": {"$ref": "#/components/schemas/NonEmptyPluralForms"}}}]},
                "Save": {"description": "`msgstr` and a string `base` for a message without plural forms, "
                                        "`msgstr_plural` and a plural-forms `base` for one with them; no other field "
                                        "(anything else is 400)",
                         "oneOf": [
                             {"type": "object", "required": ["msgstr", "base"], "additionalProperties": False,
                              "properties": {"msgstr": {"$ref": "#/components/schemas/SavedText"},
                                            "fuzzy": {"type": "boolean", "default": False},
                                             "numbers_checked": _NUMBERS_CHECKED,
                                             "base": {"type": "string",
                                                      "description": "the value the edit started from"}}},
                             {"type": "object", "required": ["msgstr_plural", "base"], "additionalProperties": False,
                              "properties": {"msgstr_plural": {"allOf": [
                                                 {"$ref": "#/components/schemas/NonEmptyPluralForms"},
                                                 {"additionalProperties": {"$ref": "#/components/schemas/SavedText"}}]},
                                             "fuzzy": {"type": "boolean", "default": False},
                                             "numbers_checked": _NUMBERS_CHECKED,
                                             "base": {"$ref": "#/components/schemas/PluralForms",
                                                      "description": "the value the edit started from"}}}]},
                "Conflict": {"type": "object", "properties": {"error": {"type": "string"},
                                                              "current": {"$ref": "#/components/schemas/Entry"}}},
                "CheckFailure": {"type": "object", "properties": {"error": {"type": "string"}, "checks": {
                    "type": "array", "items": {"$ref": "#/components/schemas/CheckResult"}}}},
                "HistoryRow": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "user": {"type": "string"}, "at": {"type": "string",
                                                                                  "format": "date-time"},
                    "language": {"type": "string"}, "domain": {"type": "string"}, "entry_id": {"type": "string"},
                    "old": translation_schema, "new": translation_schema, "old_fuzzy": {"type": "boolean"},
                    "new_fuzzy": {"type": "boolean"},
                    "action": {"type": "string", "enum": ["save", "revert", "upload", "conflict", "rejected"]}}},
                "UploadReport": {"type": "object", "properties": {
                    "applied": {"type": "array", "items": {"type": "object"}},
                    "conflicts": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "string"}, "msgctxt": {"type": ["string", "null"]}, "msgid": {"type": "string"},
                        "current": translation_schema, "uploaded": translation_schema}}},
                    "rejected": {"type": "array", "items": {"type": "object"}},
                    "unknown": {"type": "array", "description": "entries of the file that match no message of the "
                                                               "catalog (left alone)",
                                "items": {"type": "object", "properties": {
                                    "id": {"type": "string"}, "msgctxt": {"type": ["string", "null"]},
                                    "msgid": {"type": "string"},
                                    "line": {"type": "integer", "description": "where the entry is in the file"}}}},
                    "unchanged": {"type": "integer"}}},
            },
        },
    }
