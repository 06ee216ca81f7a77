"""Seeding for the cases benchmark: the demo province, then N cases and their events.

Cases go in by raw `executemany` in big batches, in one transaction, with the indexes of the
two tables dropped during the load and rebuilt after it, then ANALYZE. The mix imitates real
life: the demo handling officer's commune holds a third of all letters; most letters are
answered or closed, about 15 % are open, with deadlines spread over ±200 days.
"""

import json
import random
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Model

from bench import texts

SEED_VERSION = "5"  # 5: fingerprints and search documents too
BATCH = 50_000
OFFICER_SHARE = 0.30  # of all cases, with the demo handling officer's agency
PROVINCIAL_SHARE = 0.20
REGULARS = 5_000  # phones behind a tenth of the signed letters
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # as danvan.cases.submission.tracking_code_new

KINDS = {"feedback": 45, "petition": 25, "complaint": 20, "denunciation": 10}
STATUSES = {"received": 4, "classified": 2, "accepted": 2, "in_progress": 4, "info_requested": 1,
            "extended": 2, "resolved": 15, "closed": 60, "declined": 4, "forwarded": 3,
            "guided": 3}  # fmt: skip
OPEN = {"received", "classified", "accepted", "in_progress", "info_requested", "extended"}
ACCEPTED = {"accepted", "in_progress", "info_requested", "extended", "resolved", "closed"}
CHANNELS = {"web": 60, "reception": 20, "paper": 15, "import": 3, "api": 2}
PROCESS_RULES = {"feedback": "DON-1", "petition": "DON-1", "complaint": "KN-1",
                 "denunciation": "TC-1"}  # fmt: skip
RESOLVE_RULES = {"feedback": "KNPA-2", "petition": "KNPA-2", "complaint": "KN-2",
                 "denunciation": "TC-5"}  # fmt: skip
# status -> (the last action that led there, the status before it)
LAST_STEP = {"classified": ("classify", "received"), "accepted": ("accept", "classified"),
             "declined": ("decline", "classified"), "forwarded": ("forward", "received"),
             "guided": ("guide", "received"), "in_progress": ("start", "accepted"),
             "info_requested": ("request_info", "in_progress"), "extended": ("extend", "in_progress"),
             "resolved": ("resolve", "in_progress"), "closed": ("close", "resolved")}  # fmt: skip
DECLINE_REASONS = ["not_eligible", "already_decided", "duplicate", "withdrawn", "time_limit"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Hà", "Hải", "Hương", "Lan", "Long", "Mai", "Nam", "Tâm"]

CASE_COLUMNS = (
    "id", "tracking_code", "kind", "status", "channel", "title", "content", "address",
    "anonymous", "submitter_name", "submitter_phone", "submitter_email", "submitter_address",
    "people_count", "complaint_round", "received_at", "accepted_at", "resolved_at", "closed_at",
    "rulebook_edition", "variant", "extensions", "process_rule", "process_due", "resolve_rule",
    "resolve_due", "due_on", "overdue_since", "paused_since", "pauses", "decline_reason",
    "answer", "rating", "rating_comment", "idempotency_key", "version", "agency_id",
    "assignee_id", "citizen_id", "unit_id", "topic_id", "first_round_id", "parent_id",
)  # fmt: skip
EVENT_COLUMNS = ("case_id", "action", "from_status", "to_status", "actor_id", "at", "note",
                 "is_public", "data")  # fmt: skip
Row = tuple[Any, ...]
NOBODY = {"submitter_name": "", "submitter_phone": "", "submitter_email": "",
          "submitter_address": ""}  # fmt: skip


@dataclass(frozen=True)
class World:
    """What the demo province gives the seeder: ids of agencies, communes, topics, officers."""

    today: date
    now: datetime
    edition: str
    officer_agency: int
    officer_unit: int
    provincial: list[int]  # provincial agencies, any commune
    communes: list[tuple[int, int]]  # (People's Committee, its commune), other communes
    topics: list[int]
    officers: list[int]


def world(officer_email: str) -> World:
    """Read the ids the seeder needs from the database (after the demo is loaded)."""
    from django.utils import timezone

    from danvan.accounts.models import Membership
    from danvan.cases.models import Topic
    from danvan.deadlines.rules import edition_on
    from danvan.demo.services import DEMO_COMMUNE_CODE, PROVINCE_CODE
    from danvan.places.models import Agency

    officer = Agency.objects.get(code=f"ubnd-c{DEMO_COMMUNE_CODE}")
    agencies = Agency.objects.filter(home_unit__code=PROVINCE_CODE, home_unit__level="province")
    committees = Agency.objects.filter(
        type=Agency.Type.PEOPLES_COMMITTEE, home_unit__parent__code=PROVINCE_CODE
    ).exclude(pk=officer.pk)
    today = timezone.localdate()
    me = _user_id(officer_email)
    members = {m.user_id for m in Membership.objects.filter(agency=officer)}
    return World(
        today=today,
        now=timezone.now().replace(microsecond=0),
        edition=edition_on(today).isoformat(),
        officer_agency=officer.pk,
        officer_unit=int(officer.home_unit_id or 0),
        provincial=sorted(agencies.values_list("pk", flat=True)),
        communes=sorted((a.pk, int(a.home_unit_id or 0)) for a in committees),
        topics=sorted(Topic.objects.values_list("pk", flat=True)),
        officers=sorted(members, key=lambda user: (user != me, user)),
    )


def _user_id(email: str) -> int:
    from danvan.accounts.models import User

    return User.objects.get(email=email).pk


class CaseMaker:
    """One case and its events at a time, from a seeded random generator."""

    def __init__(self, w: World, pool: list[str], seed: int = 7) -> None:
        self.w, self.pool, self.rng = w, pool, random.Random(seed)
        self.codes: set[str] = set()
        self.commune_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(w.communes))]
        self.topic_weights = [1 / (rank + 1) ** 0.5 for rank in range(len(w.topics))]
        # People who write again and again: the case page lists their other letters.
        self.regulars = [self.phone() for _ in range(REGULARS)]

    def batch(self, first_id: int, count: int) -> tuple[list[Row], list[Row]]:
        rng = self.rng
        kinds = rng.choices(list(KINDS), list(KINDS.values()), k=count)
        statuses = rng.choices(list(STATUSES), list(STATUSES.values()), k=count)
        cases: list[Row] = []
        events: list[Row] = []
        for offset, (kind, status) in enumerate(zip(kinds, statuses, strict=True)):
            case = self.case(first_id + offset, kind, status)
            cases.append(tuple(case[column] for column in CASE_COLUMNS))
            events.extend(self.events(case))
        return cases, events

    def code(self) -> str:
        while True:
            raw = "".join(self.rng.choices(CODE_ALPHABET, k=12))
            code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
            if code not in self.codes:
                self.codes.add(code)
                return code

    def place(self) -> tuple[int, int]:
        """(agency, unit): a third to the demo officer's commune, the rest skewed."""
        draw = self.rng.random()
        if draw < OFFICER_SHARE:
            return self.w.officer_agency, self.w.officer_unit
        if draw < OFFICER_SHARE + PROVINCIAL_SHARE:
            return self.rng.choice(self.w.provincial), self.rng.choice(self.w.communes)[1]
        return self.rng.choices(self.w.communes, self.commune_weights)[0]

    def case(self, pk: int, kind: str, status: str) -> dict[str, Any]:
        rng = self.rng
        agency, unit = self.place()
        accepted = status in ACCEPTED
        return {
            "id": pk, "tracking_code": self.code(), "kind": kind, "status": status,
            "channel": rng.choices(list(CHANNELS), list(CHANNELS.values()))[0],
            "title": texts.title(rng, self.pool, kind), "content": texts.content(rng, self.pool),
            "address": f"Tổ dân phố {rng.randint(1, 20)}", **self.identity(kind),
            "people_count": rng.choice((1, 1, 1, 2, 5)),
            "complaint_round": (2 if rng.random() < 0.1 else 1) if kind == "complaint" else None,
            **self.dates(status), "rulebook_edition": self.w.edition,
            "variant": "complex" if status == "extended" and rng.random() < 0.5 else "",
            "extensions": 1 if status == "extended" else 0, "pauses": "[]",
            "process_rule": PROCESS_RULES[kind], "resolve_rule": RESOLVE_RULES[kind] if accepted else "",
            "decline_reason": rng.choice(DECLINE_REASONS) if status == "declined" else "",
            "answer": rng.choice(self.pool) if status in ("resolved", "closed") else "",
            "rating": rng.randint(1, 5) if status == "closed" and rng.random() < 0.4 else None,
            "rating_comment": "", "idempotency_key": None, "version": 0 if status == "received" else 3,
            "identity_sealed": int(kind == "denunciation"),
            "agency_id": agency, "assignee_id": self.assignee(agency, status), "citizen_id": None,
            "unit_id": unit, "topic_id": self.topic(),
            "first_round_id": None, "parent_id": None,
        }  # fmt: skip

    def identity(self, kind: str) -> dict[str, Any]:
        """Who wrote; a denouncer's identity stays empty here (it is kept apart, sealed)."""
        rng = self.rng
        anonymous = kind in ("feedback", "petition") and rng.random() < 0.1
        if kind == "denunciation" or anonymous:
            return dict(NOBODY, anonymous=int(anonymous))
        return {
            "anonymous": 0,
            "submitter_name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            "submitter_phone": rng.choice(self.regulars) if rng.random() < 0.1 else self.phone(),
            "submitter_email": f"nd{rng.randint(1, 10**6)}@example.vn"
            if rng.random() < 0.2
            else "",
            "submitter_address": f"Số {rng.randint(1, 200)}, tổ {rng.randint(1, 20)}",
        }

    def phone(self) -> str:
        return f"+849{self.rng.randint(10_000_000, 99_999_999)}"

    def topic(self) -> int | None:
        """Skewed over the topic tree; one letter in twenty not yet classified."""
        if self.rng.random() < 0.05:
            return None
        return self.rng.choices(self.w.topics, self.topic_weights)[0]

    def dates(self, status: str) -> dict[str, str | None]:
        return self.open_dates(status) if status in OPEN else self.past_dates(status)

    def open_dates(self, status: str) -> dict[str, str | None]:
        """An open letter: its running deadline spread over ±200 days around today."""
        rng, today = self.rng, self.w.today
        due_in = rng.randint(-200, 200)
        ago = max(rng.randint(0, 30), rng.randint(10, 60) - due_in)
        due = today + timedelta(days=due_in)
        received = self.w.now - timedelta(days=ago, seconds=rng.randint(0, 86_399))
        accepted = status in ACCEPTED
        paused = today - timedelta(days=rng.randint(1, 20))
        return {
            "received_at": _t(received),
            "accepted_at": _t(received + timedelta(days=3)) if accepted else None,
            "resolved_at": None, "closed_at": None,
            "process_due": _d(received.date() + timedelta(days=10) if accepted else due),
            "resolve_due": _d(due) if accepted else None, "due_on": _d(due),
            "overdue_since": _d(due + timedelta(days=1)) if due < today else None,
            "paused_since": _d(paused) if status == "info_requested" else None,
        }  # fmt: skip

    def past_dates(self, status: str) -> dict[str, str | None]:
        """A letter answered, closed, declined, forwarded or guided: no running deadline."""
        rng = self.rng
        received = self.w.now - timedelta(
            days=rng.randint(30, 1100), seconds=rng.randint(0, 86_399)
        )
        answered = received + timedelta(days=rng.randint(10, 60))
        closed = answered + timedelta(days=rng.randint(1, 30))
        resolved = status in ("resolved", "closed")
        return {
            "received_at": _t(received),
            "accepted_at": _t(received + timedelta(days=3)) if resolved else None,
            "resolved_at": _t(answered) if resolved else None,
            "closed_at": _t(closed) if status == "closed" else None,
            "process_due": _d(received.date() + timedelta(days=10)),
            "resolve_due": _d(answered.date()) if resolved else None,
            "due_on": None, "overdue_since": None, "paused_since": None,
        }  # fmt: skip

    def assignee(self, agency: int, status: str) -> int | None:
        if agency != self.w.officer_agency or status not in ACCEPTED or not self.w.officers:
            return None
        draw = self.rng.random()
        if draw < 0.5:
            return self.w.officers[0]  # the demo handling officer
        return self.rng.choice(self.w.officers) if draw < 0.7 else None

    def events(self, case: dict[str, Any]) -> list[Row]:
        """The submission, and the last step for a letter that moved on."""
        pk, status, received = case["id"], case["status"], case["received_at"]
        data = json.dumps({"channel": case["channel"], "rule": case["process_rule"],
                           "due": case["process_due"]})  # fmt: skip
        rows: list[Row] = [(pk, "submit", "", "received", None, received, "", 1, data)]
        if status in LAST_STEP:
            action, before = LAST_STEP[status]
            at = case["closed_at"] or case["resolved_at"] or case["accepted_at"] or received
            note = "Đã chuyển đến cơ quan có thẩm quyền." if action in ("forward", "guide") else ""
            public = 0 if action == "start" else 1
            rows.append((pk, action, before, status, case["assignee_id"], at, note, public, "{}"))
        return rows


def _t(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _d(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def seed_cases(db: sqlite3.Connection, w: World, count: int) -> dict[str, float]:
    """Insert `count` cases and their events; returns the seconds of each phase."""
    from danvan.cases.models import Case, CaseEvent

    clock = {"make": 0.0, "insert": 0.0, "index": 0.0}
    started = time.perf_counter()
    maker = CaseMaker(w, texts.sentences())
    first = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM cases_case").fetchone()[0])
    indexes = _drop_indexes(db)
    case_columns, case_extra = with_defaults(Case, CASE_COLUMNS)
    event_columns, event_extra = with_defaults(CaseEvent, EVENT_COLUMNS)
    case_sql = insert_sql("cases_case", case_columns)
    event_sql = insert_sql("cases_caseevent", event_columns)
    db.execute("BEGIN")
    for start in range(0, count, BATCH):
        made = time.perf_counter()
        cases, events = maker.batch(first + start, min(BATCH, count - start))
        inserted = time.perf_counter()
        db.executemany(case_sql, [row + case_extra for row in cases])
        db.executemany(event_sql, [row + event_extra for row in events])
        clock["make"] += inserted - made
        clock["insert"] += time.perf_counter() - inserted
    db.execute("COMMIT")
    indexed = time.perf_counter()
    for sql in indexes:
        db.execute(sql)
    db.execute("ANALYZE")
    clock["index"] = time.perf_counter() - indexed
    clock["total"] = time.perf_counter() - started
    return clock


def with_defaults(model: type[Model], columns: tuple[str, ...]) -> tuple[tuple[str, ...], Row]:
    """The columns, plus the model's other columns with their defaults (fields added later)."""
    from django.db import connection

    extra = [f for f in model._meta.concrete_fields if f.column not in columns]
    values = tuple(f.get_db_prep_save(f.get_default(), connection) for f in extra)
    return (*columns, *(str(f.column) for f in extra)), values


def insert_sql(table: str, columns: tuple[str, ...]) -> str:
    marks = ", ".join("?" for _ in columns)
    return f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})'  # noqa: S608


def _drop_indexes(db: sqlite3.Connection) -> list[str]:
    """Drop the secondary indexes of the two tables; returns the SQL that rebuilds them."""
    rows = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        " AND tbl_name IN ('cases_case', 'cases_caseevent')"
    ).fetchall()
    for name, _sql in rows:
        db.execute(f'DROP INDEX "{name}"')
    return [str(sql) for _name, sql in rows]
