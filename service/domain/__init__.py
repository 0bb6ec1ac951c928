"""The domain floor: what articles, catalogs, translations and checks are, as pure functions over plain data.

Modules here may import the standard library, Babel, polib, langdetect, rapidfuzz and each
other — never Flask or Werkzeug (HTTP headers are read on the web floor), never
``service.storage`` or ``service.web`` — and they open no files, sockets or databases:
what they need is passed in as arguments.
"""
