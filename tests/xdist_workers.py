"""Parallel test workers (pytest-xdist) that never see each other's state.

pytest-django already gives each worker a test database of its own (`test_privacy_gw0`, ...). Redis is
shared by name, though: the import progress is keyed by job id and the sweep locks by rule code, and both
repeat from one worker's database to the next. So each worker moves to Redis databases of its own (three per
worker: broker, cache, results), and to a private-file folder of its own. Loaded with `-p` so that this runs
before Django reads its settings; on a run without xdist it changes nothing.
"""

from __future__ import annotations

import os

REDIS_DATABASES_PER_WORKER = 3  # tests/services.py: broker /0, cache /1, results /2

worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if worker.startswith("gw"):
    index = int(worker.removeprefix("gw"))
    for name in ("CELERY_BROKER_URL", "REDIS_URL", "CELERY_RESULT_BACKEND"):
        url = os.environ.get(name, "")
        if url.startswith("redis://") and url.rsplit("/", 1)[-1].isdigit():
            base, database = url.rsplit("/", 1)
            os.environ[name] = f"{base}/{int(database) + REDIS_DATABASES_PER_WORKER * index}"
    if os.environ.get("PRIVATE_STORAGE_ROOT"):
        os.environ["PRIVATE_STORAGE_ROOT"] = os.path.join(os.environ["PRIVATE_STORAGE_ROOT"], worker)
