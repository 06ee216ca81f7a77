"""The production layout on one machine, for trying it: `python -m deploy.run_prod`.

See docs/production.md. `deploy.layout.Layout` starts and supervises the processes (also
used by the soak test, `python -m bench soak`); `deploy.postgres` keeps the persistent
PostgreSQL clusters, `deploy.nginx` the reverse proxy's configuration.
"""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
