"""PostgreSQL guard: the ledger is append-only; a correction is a new (reversal) posting.

A ``BEFORE UPDATE OR DELETE`` trigger on both ledger tables refuses every
change to a stored row, so no bug, admin edit or hand-written SQL can rewrite
a balanced pair of amounts, move an entry to another transaction or delete
one (the balance trigger of 0002 re-sums only the transaction it is told of,
so those went unnoticed). SQLite relies on the services, which never update
or delete ledger rows. What the database role may do is the deployment's
part: revoke UPDATE, DELETE and TRUNCATE on these tables from the application
role (docs/operations.md).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION billing_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % refused; post a reversal instead', TG_OP, TG_TABLE_NAME
        USING ERRCODE = '23000';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER billing_ledgerentry_append_only
    BEFORE UPDATE OR DELETE ON billing_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION billing_ledger_append_only();

CREATE TRIGGER billing_ledgertransaction_append_only
    BEFORE UPDATE OR DELETE ON billing_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION billing_ledger_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS billing_ledgertransaction_append_only ON billing_ledgertransaction;
DROP TRIGGER IF EXISTS billing_ledgerentry_append_only ON billing_ledgerentry;
DROP FUNCTION IF EXISTS billing_ledger_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_one_open_payment_per_booking")]

    operations = [migrations.RunPython(create, drop)]
