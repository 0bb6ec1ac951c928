"""The storage floor: catalogs, sources, accounts and history on disk and in SQLite, with locks and caches.

Modules here may import ``service.domain`` and the standard library, polib and Werkzeug's
password hashing — never Flask and never ``service.web``. Every file the service writes is
written here, atomically, under the lock its readers and writers share.
"""
