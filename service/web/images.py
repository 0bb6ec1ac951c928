"""Lead images, served from ``CONTENT_DIR/images/`` with long cache lifetimes: the page names them by content."""
from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, request

from ..storage.images import ImageNotFound
from .extension import services

bp = Blueprint("images", __name__)

#: How long browsers and shared caches keep an image: a year, as its URL carries its content's digest.
IMAGE_MAX_AGE = 365 * 24 * 60 * 60


@bp.get("/images/<name>")
def image(name: str) -> Response:
    """Serve one lead image; 404 for any name or file that is not a usable PNG or JPEG under ``images/``."""
    try:
        found = services().images.image(name)
    except ImageNotFound:
        abort(404)
    response = Response(found.data, mimetype=found.size.mimetype)
    response.set_etag(found.etag)
    response.cache_control.public = True
    response.cache_control.max_age = IMAGE_MAX_AGE
    if request.args.get("v") == found.etag:
        response.cache_control.immutable = True  # the URL names this content: it never changes under it
    response.make_conditional(request)  # 304 when the ETag matches (changes the response in place)
    return response


def init_app(app: Flask) -> None:
    """Add the image route."""
    app.register_blueprint(bp)
