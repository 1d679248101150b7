"""PostgreSQL guard: every ledger transaction balances per currency at commit.

A deferred constraint trigger re-sums the transaction's entries when the
transaction commits, so a bug that bypasses ``ledger_post`` still cannot store
an unbalanced posting or an entry in another currency than its account.
SQLite relies on the service-level check alone.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION billing_ledger_check_balanced() RETURNS trigger AS $$
DECLARE
    unbalanced text;
BEGIN
    IF NEW.currency <> (SELECT currency FROM billing_ledgeraccount WHERE id = NEW.account_id) THEN
        RAISE EXCEPTION 'ledger entry % is in % but its account is not', NEW.id, NEW.currency
            USING ERRCODE = '23514';
    END IF;
    SELECT currency INTO unbalanced FROM billing_ledgerentry
        WHERE transaction_id = NEW.transaction_id
        GROUP BY currency HAVING SUM(amount) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % does not balance in %', NEW.transaction_id, unbalanced
            USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER billing_ledgerentry_balanced
    AFTER INSERT OR UPDATE ON billing_ledgerentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION billing_ledger_check_balanced();
"""

DROP = """
DROP TRIGGER IF EXISTS billing_ledgerentry_balanced ON billing_ledgerentry;
DROP FUNCTION IF EXISTS billing_ledger_check_balanced();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
