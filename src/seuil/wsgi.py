import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seuil.settings")
application = get_wsgi_application()

# Python's cyclic garbage collector, in a server process. The application loaded above (its
# modules, models, URLs, settings: about 150,000 objects) lives as long as the process: it is
# frozen out of the collections. And the youngest generation is collected every 10,000
# allocations instead of 700: a page allocates tens of thousands of short-lived objects that
# reference counting frees, and every few dozen pages a full collection went through all the
# objects of the process (about 0.2 s of processor each). Over the pages of
# `benchmarks/pages.py`, timed in one process with `gc.callbacks`, the collector took 9 % of
# the processor time before, 3 % after.
gc.freeze()
gc.set_threshold(10_000, 10, 10)
