"""The database refuses changes to a frozen criteria set and to the scores of a final round.

A set is frozen once a round uses it: its own row (except `effective_to`, to end it when a
new version comes) and every row of its tiers, criteria and disqualifying conditions stay
as they were, whatever writes (the admin, a script, the shell). A round approved or
published takes no more scores. Triggers, in each database's own way; the refusal is an
integrity error (SQLite RAISE(ABORT); PostgreSQL SQLSTATE 23000).

On SQLite Django rebuilds a table for most field changes and drops its triggers: a later
migration that alters one of these tables must run `install` again (the tests of frozen
sets fail until it does).
"""

from django.db import migrations

SET_COLUMNS = [
    "province_id", "code", "version", "name", "legal_basis", "effective_from", "status",
    "is_example", "bonus_cap", "flag_tier", "flag_count", "tie_break", "created_at",
]  # fmt: skip
CHILDREN = ["evaluation_tierband", "evaluation_criterion", "evaluation_disqualifier"]
FROZEN = "(SELECT status FROM evaluation_criteriaset WHERE id = {row}.criteria_set_id) = 'frozen'"
FINAL_ROUND = (
    "(SELECT r.status FROM evaluation_round r JOIN evaluation_assessment a ON a.round_id = r.id"
    " WHERE a.id = NEW.assessment_id) IN ('approved', 'published')"
)


def _sqlite() -> list[str]:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in SET_COLUMNS)
    abort = "BEGIN SELECT RAISE(ABORT, '{}'); END"
    statements = [
        f"CREATE TRIGGER evaluation_set_frozen_update BEFORE UPDATE ON evaluation_criteriaset"
        f" WHEN OLD.status = 'frozen' AND ({changed}) {abort.format('criteria set is frozen')}",
        "CREATE TRIGGER evaluation_set_frozen_delete BEFORE DELETE ON evaluation_criteriaset"
        f" WHEN OLD.status = 'frozen' {abort.format('criteria set is frozen')}",
        "CREATE TRIGGER evaluation_score_final BEFORE INSERT ON evaluation_scoreentry"
        f" WHEN {FINAL_ROUND} {abort.format('the round is final')}",
    ]
    for table in CHILDREN:
        name = table.removeprefix("evaluation_")
        refuse = abort.format("criteria set is frozen")
        statements += [
            f"CREATE TRIGGER evaluation_{name}_frozen_insert BEFORE INSERT ON {table}"
            f" WHEN {FROZEN.format(row='NEW')} {refuse}",
            f"CREATE TRIGGER evaluation_{name}_frozen_update BEFORE UPDATE ON {table}"
            f" WHEN {FROZEN.format(row='OLD')} OR {FROZEN.format(row='NEW')} {refuse}",
            f"CREATE TRIGGER evaluation_{name}_frozen_delete BEFORE DELETE ON {table}"
            f" WHEN {FROZEN.format(row='OLD')} {refuse}",
        ]
    return statements


def _postgresql() -> list[str]:
    old = ", ".join(f"OLD.{c}" for c in SET_COLUMNS)
    new = ", ".join(f"NEW.{c}" for c in SET_COLUMNS)
    refuse = "RAISE EXCEPTION '%' , {} USING ERRCODE = 'integrity_constraint_violation'"
    frozen = "SELECT status = 'frozen' FROM evaluation_criteriaset WHERE id = {}"
    statements = [
        f"""CREATE OR REPLACE FUNCTION evaluation_set_frozen() RETURNS trigger AS $$
        BEGIN
          IF OLD.status = 'frozen' THEN
            IF TG_OP = 'DELETE' THEN {refuse.format("'criteria set is frozen'")}; END IF;
            IF ({old}) IS DISTINCT FROM ({new}) THEN
              {refuse.format("'criteria set is frozen'")};
            END IF;
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER evaluation_set_frozen BEFORE UPDATE OR DELETE
        ON evaluation_criteriaset FOR EACH ROW EXECUTE FUNCTION evaluation_set_frozen()""",
        f"""CREATE OR REPLACE FUNCTION evaluation_child_frozen() RETURNS trigger AS $$
        BEGIN
          IF TG_OP <> 'INSERT' THEN
            IF ({frozen.format("OLD.criteria_set_id")}) THEN
              {refuse.format("'criteria set is frozen'")};
            END IF;
          END IF;
          IF TG_OP <> 'DELETE' THEN
            IF ({frozen.format("NEW.criteria_set_id")}) THEN
              {refuse.format("'criteria set is frozen'")};
            END IF;
            RETURN NEW;
          END IF;
          RETURN OLD;
        END $$ LANGUAGE plpgsql""",
        f"""CREATE OR REPLACE FUNCTION evaluation_score_final() RETURNS trigger AS $$
        BEGIN
          IF {FINAL_ROUND} THEN {refuse.format("'the round is final'")}; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER evaluation_score_final BEFORE INSERT ON evaluation_scoreentry
        FOR EACH ROW EXECUTE FUNCTION evaluation_score_final()""",
    ]
    statements += [
        f"""CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION evaluation_child_frozen()"""
        for table in CHILDREN
    ]
    return statements


def install(apps, schema_editor):
    builders = {"sqlite": _sqlite, "postgresql": _postgresql}
    for statement in builders[schema_editor.connection.vendor]():
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        names = ["evaluation_set_frozen_update", "evaluation_set_frozen_delete",
                 "evaluation_score_final"]  # fmt: skip
        for table in CHILDREN:
            name = table.removeprefix("evaluation_")
            names += [f"evaluation_{name}_frozen_{op}" for op in ("insert", "update", "delete")]
        for name in names:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        return
    for table in CHILDREN:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
    schema_editor.execute("DROP TRIGGER IF EXISTS evaluation_set_frozen ON evaluation_criteriaset")
    schema_editor.execute("DROP TRIGGER IF EXISTS evaluation_score_final ON evaluation_scoreentry")
    for function in ("evaluation_set_frozen", "evaluation_child_frozen", "evaluation_score_final"):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()")


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_criteria_sets_and_rounds"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
