"""What the tests need and the platform never runs: a served instance and a browser
(`platform`), throwaway PostgreSQL and Redis servers (`postgres_server`, `redis_server`).

It lives outside `danvan` so that no runtime module can reach it (a test checks that no
module of `danvan`, `config` or `deploy` imports it)."""
