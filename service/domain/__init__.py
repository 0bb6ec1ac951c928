"""The domain floor: what articles, catalogs, translations and checks are, as pure functions over plain data.

Modules here may import the standard library, Babel, polib, langdetect, rapidfuzz, Werkzeug's
HTTP header parser (``werkzeug.http``, a pure function, not Flask) and each other — never
Flask, never ``service.storage`` or ``service.web``, and they open no files, sockets or
databases: what they need is passed in as arguments.
"""
