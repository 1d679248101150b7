"""The operations console's lists download as CSV and XLSX through tablib: same figures as the ledger,
formulas guarded in both formats, and only for the groups that may see the list."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from billing.selectors import ledger_platform_balances
from tests.billing.money_builders import past_paid_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def groups(db):
    call_command("ops_groups", stdout=io.StringIO())


def member(group):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def xlsx_rows(response):
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_payments_download_with_totals_equal_to_the_ledger(client):
    for amount in (8_000, 4_500):
        past_paid_session(amount=amount)
    past_paid_session(amount=3_000, currency="USD")
    client.force_login(member("Finance"))
    response = client.get("/admin/ops/money/payments/?export=xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    header, *rows = xlsx_rows(response)
    amount, currency = header.index("Amount (minor units)"), header.index("Currency")
    totals = {}
    for row in rows:
        totals[row[currency]] = totals.get(row[currency], 0) + row[amount]
    balances = ledger_platform_balances()
    assert totals == {c: -balances[("learner_payments", c)] for c in ("EUR", "USD")} == {"EUR": 12_500, "USD": 3_000}
    assert len(csv_rows(client.get("/admin/ops/money/payments/?export=csv"))) == 4


def test_a_name_that_looks_like_a_formula_is_text_in_both_formats(client):
    UserFactory(full_name='=HYPERLINK("http://evil","x")', email="formula@example.com")
    client.force_login(member("Support"))
    for export_format, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        response = client.get(f"/admin/ops/people/?q=formula&export={export_format}")
        assert response.status_code == 200
        header, *rows = read(response)
        names = [row[header.index("Name")] for row in rows]
        assert names == ['\'=HYPERLINK("http://evil","x")']
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/admin/ops/people/?q=formula&export=xlsx").content))
    assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)


def test_sessions_download_for_support(client):
    payment = past_paid_session()
    client.force_login(member("Support"))
    header, *rows = csv_rows(client.get("/admin/ops/sessions/?export=csv"))
    assert len(header) == 8 and len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert (row["Session"], row["Price (minor units)"], row["Currency"]) == (str(payment.booking_id), "8000", "EUR")


@pytest.mark.parametrize(
    ("group", "url"), [("Support", "/admin/ops/money/payments/"), ("Finance", "/admin/ops/sessions/")]
)
def test_a_group_cannot_download_a_list_it_cannot_see(client, group, url):
    client.force_login(member(group))
    response = client.get(url + "?export=csv")
    assert response.status_code == 302 and "attachment" not in response.get("Content-Disposition", "")
