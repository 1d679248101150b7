"""Receipts: issued once per payment and refund, emailed with a PDF, downloadable by the booking's learner
only, with the platform's legal details, the price, the tax (table or Stripe Tax) and the currency."""

import io

import pytest
import responses
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from billing import privacy as billing_privacy
from billing.models import LedgerTransaction, PlatformSettings, Receipt, TaxRate
from billing.services.ledger import ledger_reverse
from billing.services.receipts import booking_receipts, receipt_issue
from bookings.policy import booking_refund_quote
from core.models import OutboxMessage
from tests.factories import ExpertUserFactory, UserFactory

from .money_builders import API, past_paid_session

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def legal():
    platform = PlatformSettings.load()
    platform.legal_name = "TapTime GmbH"
    platform.legal_address = "Invalidenstraße 1\n10115 Berlin"
    platform.tax_id = "DE123456789"
    platform.save()
    TaxRate.objects.create(country="DE", name="MwSt", rate_bp=1900, inclusive=True)
    return platform


def berlin_payment(amount=11_900, currency="EUR"):
    learner = UserFactory(full_name="Lena Müller", time_zone="Europe/Berlin")
    return past_paid_session(learner=learner, amount=amount, currency=currency)


def issue(payment):
    posting = LedgerTransaction.objects.get(reference=payment.ledger_reference)
    return receipt_issue(payment_id=payment.pk, posting_id=posting.pk)


def test_an_inclusive_table_rate_splits_the_price_and_the_receipt_keeps_the_seller(legal):
    receipt = issue(berlin_payment())
    assert (receipt.total_minor, receipt.tax_minor, receipt.net_minor) == (11_900, 1_900, 10_000)
    assert (receipt.tax_source, receipt.tax_name, receipt.tax_rate_bp, receipt.country) == ("table", "MwSt", 1900, "DE")
    assert receipt.seller_name == "TapTime GmbH" and receipt.seller_tax_id == "DE123456789"
    assert receipt.number.startswith("R-") and receipt.kind == Receipt.Kind.PAYMENT
    # A later change of settings never rewrites an issued receipt.
    legal.legal_name = "Renamed Ltd"
    legal.save()
    TaxRate.objects.filter(country="DE").update(rate_bp=700)
    receipt.refresh_from_db()
    assert receipt.seller_name == "TapTime GmbH" and receipt.tax_minor == 1_900


def test_issuing_twice_gives_the_same_receipt(legal):
    payment = berlin_payment()
    assert issue(payment).pk == issue(payment).pk
    assert Receipt.objects.count() == 1


def test_a_learner_in_a_country_without_a_rate_gets_a_receipt_without_tax(legal):
    learner = UserFactory(time_zone="Asia/Tokyo")
    receipt = issue(past_paid_session(learner=learner, amount=5_000, currency="JPY"))
    assert (receipt.tax_source, receipt.tax_minor, receipt.total_minor, receipt.country) == ("none", 0, 5_000, "JP")


def test_a_rate_added_on_top_is_refused_since_checkout_charges_the_listed_price(legal):
    rate = TaxRate(country="CA", name="GST", rate_bp=500, inclusive=False)
    with pytest.raises(ValidationError) as refused:
        rate.full_clean()
    assert "must be included" in str(refused.value)
    TaxRate(country="CA", name="GST", rate_bp=500, inclusive=True).full_clean()


def test_a_partial_refund_gets_its_own_receipt_with_its_share_of_the_tax(legal):
    payment = berlin_payment()
    issue(payment)
    posting = ledger_reverse(reference=payment.ledger_reference, refunded_total=5_950)
    refund = receipt_issue(payment_id=payment.pk, posting_id=posting.pk)
    assert refund.kind == Receipt.Kind.REFUND
    assert (refund.total_minor, refund.tax_minor) == (5_950, 950)
    rest = ledger_reverse(reference=payment.ledger_reference)  # the rest: 5_950 more
    second = receipt_issue(payment_id=payment.pk, posting_id=rest.pk)
    assert (second.total_minor, second.tax_minor) == (5_950, 950)


def test_a_posting_of_another_payment_is_refused(legal):
    mine, other = berlin_payment(), berlin_payment()
    posting = LedgerTransaction.objects.get(reference=other.ledger_reference)
    assert receipt_issue(payment_id=mine.pk, posting_id=posting.pk) is None
    assert receipt_issue(payment_id=mine.pk, posting_id=999_999) is None
    assert not Receipt.objects.exists()


def stripe_tax_calculation(*, amount=11_900, tax=1_900):
    """``POST /v1/tax/calculations`` as Stripe answers it (inclusive line, one VAT breakdown)."""
    return {
        "id": "taxcalc_1OXoQ2Ld4aXZ3r7o",
        "object": "tax.calculation",
        "amount_total": amount,
        "currency": "eur",
        "customer": None,
        "customer_details": {
            "address": {
                "city": None,
                "country": "DE",
                "line1": None,
                "line2": None,
                "postal_code": None,
                "state": None,
            },
            "address_source": "billing",
            "ip_address": None,
            "tax_ids": [],
            "taxability_override": "none",
        },
        "expires_at": 1_790_000_000,
        "livemode": False,
        "ship_from_details": None,
        "shipping_cost": None,
        "tax_amount_exclusive": 0,
        "tax_amount_inclusive": tax,
        "tax_breakdown": [
            {
                "amount": tax,
                "inclusive": True,
                "tax_rate_details": {
                    "country": "DE",
                    "flat_amount": None,
                    "percentage_decimal": "19.0",
                    "rate_type": "percentage",
                    "state": None,
                    "tax_type": "vat",
                },
                "taxability_reason": "standard_rated",
                "taxable_amount": amount - tax,
            }
        ],
        "tax_date": 1_780_000_000,
    }


def test_stripe_tax_is_asked_with_the_line_and_the_country_and_the_receipt_says_so(legal, stripe_api):
    legal.tax_calculation = "stripe_tax"
    legal.save()
    stripe_api.add(responses.POST, f"{API}/v1/tax/calculations", json=stripe_tax_calculation())
    payment = berlin_payment()
    receipt = issue(payment)
    body = stripe_api.calls[-1].request.body
    body = body.decode() if isinstance(body, bytes) else body
    assert "line_items[0][amount]=11900" in body and "line_items[0][tax_behavior]=inclusive" in body
    assert "customer_details[address][country]=DE" in body and "currency=eur" in body
    assert (receipt.tax_source, receipt.tax_minor, receipt.tax_rate_bp, receipt.tax_name) == (
        "stripe_tax",
        1_900,
        1900,
        "VAT",
    )
    assert receipt.stripe_tax_calculation_id == "taxcalc_1OXoQ2Ld4aXZ3r7o"


def test_a_stripe_tax_outage_issues_nothing_so_the_outbox_retries(legal, stripe_api):
    legal.tax_calculation = "stripe_tax"
    legal.save()
    stripe_api.add(
        responses.POST,
        f"{API}/v1/tax/calculations",
        status=500,
        json={"error": {"type": "api_error", "message": "Something went wrong"}},
    )
    payment = berlin_payment()
    with pytest.raises(Exception):  # noqa: B017 - PaymentError, re-raised for the outbox's retry
        issue(payment)
    assert not Receipt.objects.exists()


def test_the_pdf_shows_seller_price_tax_currency_and_source(client, legal):
    payment = berlin_payment()
    client.force_login(payment.payer)
    response = client.get(reverse("booking_receipt", kwargs={"pk": payment.booking_id}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"].startswith("max-age=0")
    text = pdf_text(response.content)
    for expected in (
        "Receipt",
        "TapTime GmbH",
        "Invalidenstraße 1",
        "DE123456789",
        "Lena Müller",
        "€100.00",
        "MwSt 19 % (included)",
        "€19.00",
        "€119.00",
        "Currency: EUR",
        "tax-rate table for DE",
    ):
        assert expected in text, expected


def test_the_pdf_has_one_page_per_payment_and_refund(client, legal):
    payment = berlin_payment()
    ledger_reverse(reference=payment.ledger_reference, refunded_total=5_950)
    client.force_login(payment.payer)
    content = client.get(reverse("booking_receipt", kwargs={"pk": payment.booking_id})).content
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 2
    assert "Refund receipt" in reader.pages[1].extract_text() and "€59.50" in reader.pages[1].extract_text()


def test_only_the_bookings_learner_may_fetch_the_receipt(client, legal):
    payment = berlin_payment()
    url = reverse("booking_receipt", kwargs={"pk": payment.booking_id})
    assert client.get(url)["Location"].startswith("/accounts/login/")
    for stranger in (UserFactory(), ExpertUserFactory(), payment.payee):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    client.force_login(payment.payer)
    assert client.get(reverse("booking_receipt", kwargs={"pk": 999_999})).status_code == 404
    assert client.post(url).status_code == 405
    assert not Receipt.objects.exists()  # nobody else's request issued anything


def test_an_unpaid_booking_has_no_receipt(client, legal):
    payment = berlin_payment()
    booking = payment.booking  # detached from its payment: a booking nobody paid for
    booking.payments.all().update(booking=None)
    client.force_login(payment.payer)
    assert client.get(reverse("booking_receipt", kwargs={"pk": booking.pk})).status_code == 404


def test_the_receipt_page_costs_the_same_queries_with_one_or_four_refunds(client, legal):
    small, large = berlin_payment(), berlin_payment()
    for total in (1_000, 2_000, 3_000, 4_000):
        ledger_reverse(reference=large.ledger_reference, refunded_total=total)
    ledger_reverse(reference=small.ledger_reference, refunded_total=1_000)
    counts = []
    for payment in (small, large):
        booking_receipts(booking=payment.booking)  # issue them first
        client.force_login(payment.payer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("booking_receipt", kwargs={"pk": payment.booking_id})).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_payment_and_refund_postings_queue_one_receipt_each(
    client, paid, mailoutbox, django_capture_on_commit_callbacks
):
    """Through the real flow: the test card payment queued a receipt (and sent it); a cancellation
    with a refund queues and emails a refund receipt with its PDF."""
    payment = paid.payments.get()
    assert OutboxMessage.objects.filter(dedupe_key=f"receipt-{payment.ledger_reference}").exists()
    assert Receipt.objects.filter(payment=payment, kind="payment").exists()
    with django_capture_on_commit_callbacks(execute=True):
        refund = booking_refund_quote(booking=paid, now=timezone.now()).amount.amount
        response = client.post(reverse("booking_cancel", kwargs={"pk": paid.pk}), {"refund": str(refund)})
    assert response.status_code == 302
    refund = Receipt.objects.get(payment=payment, kind="refund")
    assert refund.total_minor == 8_000 and refund.emailed_at is not None
    mails = [m for m in mailoutbox if m.attachments and m.attachments[0][0] == f"{refund.number}.pdf"]
    assert len(mails) == 1 and mails[0].to == [payment.payer.email]
    assert "Refund receipt" in pdf_text(mails[0].attachments[0][1])
    assert "\n" not in mails[0].subject and refund.number in mails[0].subject


def test_the_learners_receipts_are_in_their_data_export_and_nobody_elses(legal):
    payment = berlin_payment()
    receipt = issue(payment)
    mine = list(billing_privacy.export(user=payment.payer)["receipts"])
    assert [(row["number"], row["total_minor"], row["tax_minor"]) for row in mine] == [
        (receipt.number, receipt.total_minor, receipt.tax_minor)
    ]
    assert list(billing_privacy.export(user=UserFactory())["receipts"]) == []
