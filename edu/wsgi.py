"""WSGI entry point for gunicorn: `gunicorn edu.wsgi:app`.

The content catalog is loaded here, before the first request, and everything built at start-up is then moved
out of the garbage collector's sight (`gc.freeze`): the catalog is tens of thousands of long-lived objects, and
without this every full collection walks them all, a pause of many milliseconds in the middle of some request
(the p99 latency of benchmark 1, docs/performance.md).
"""

import gc

from edu import create_app
from edu.content_service import catalog

app = create_app()
with app.app_context():
    catalog()
gc.freeze()
