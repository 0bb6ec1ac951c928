"""The web floor: the only package that imports Flask — blueprints, the error edge, i18n glue, headers.

Views here parse a request, call ``service.domain`` use cases with the stores from
``service.storage`` and turn the result (or a domain error) into an HTTP answer. Nothing
below this package may import it.
"""
