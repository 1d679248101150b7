"""PDF documents of billing, drawn with ReportLab's platypus: learners' receipts, experts' statements.

Text goes through ReportLab's own layout and fonts (Bitstream Vera, shipped with ReportLab, so "€",
"¥" and accented names print the same on every machine); we never write PDF bytes by hand. Amounts
are formatted by ``core.money.Money`` in the reader's language, with the currency's own decimals.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import reportlab
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from core.money import Money

from .models import Receipt

_FONT_DIR = Path(reportlab.__file__).parent / "fonts"
FONT, FONT_BOLD = "TapTimeVera", "TapTimeVera-Bold"
pdfmetrics.registerFont(TTFont(FONT, str(_FONT_DIR / "Vera.ttf")))
pdfmetrics.registerFont(TTFont(FONT_BOLD, str(_FONT_DIR / "VeraBd.ttf")))

_BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=8, leading=11, textColor=colors.HexColor("#555555"))
_TITLE = ParagraphStyle("title", parent=_BODY, fontName=FONT_BOLD, fontSize=18, leading=24, spaceAfter=6)
_HEADING = ParagraphStyle("heading", parent=_BODY, fontName=FONT_BOLD, fontSize=11, leading=16, spaceBefore=8)
_TABLE = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 9),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def _p(text: str, style: ParagraphStyle = _BODY) -> Paragraph:
    """A paragraph of plain text (escaped: names and addresses are user input, not markup)."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _render(story: list[Flowable], *, title: str) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author="TapTime", leftMargin=20 * mm, rightMargin=20 * mm
    )
    document.build(story)
    return buffer.getvalue()


def _seller(receipt: Receipt) -> list[Flowable]:
    lines = [receipt.seller_name or "TapTime", receipt.seller_address]
    if receipt.seller_tax_id:
        lines.append(_("Tax number: %(number)s") % {"number": receipt.seller_tax_id})
    return [_p("\n".join(line for line in lines if line), _SMALL)]


def _tax_label(receipt: Receipt) -> str:
    if receipt.tax_source == Receipt.TaxSource.NONE:
        return _("Tax")
    rate = formats.number_format(receipt.tax_rate_bp / 100, decimal_pos=2 if receipt.tax_rate_bp % 100 else 0)
    how = _("included") if receipt.tax_inclusive else _("added")
    return f"{receipt.tax_name or _('Tax')} {rate} % ({how})"


def _tax_source_line(receipt: Receipt) -> str:
    if receipt.tax_source == Receipt.TaxSource.STRIPE_TAX:
        return _("Tax calculated by Stripe Tax (calculation %(id)s) for %(country)s.") % {
            "id": receipt.stripe_tax_calculation_id,
            "country": receipt.country,
        }
    if receipt.tax_source == Receipt.TaxSource.TABLE:
        return _("Tax calculated from TapTime's tax-rate table for %(country)s.") % {"country": receipt.country}
    return _("No tax was charged: there is no tax rate for %(country)s.") % {"country": receipt.country or "—"}


@dataclass(frozen=True)
class ReceiptParty:
    """Who the receipt is for and what it was for (read by the view, passed in)."""

    learner_name: str
    learner_email: str
    description: str

    @classmethod
    def for_payment(cls, payment) -> ReceiptParty:
        """The payer, and "Session with <expert>, <start in the payer's zone>" for a booking's payment."""
        learner, booking = payment.payer, payment.booking
        description = _("Payment %(reference)s") % {"reference": payment.reference}
        if booking is not None:
            zone = ZoneInfo(getattr(learner, "time_zone", "") or "UTC")
            description = _("Session with %(expert)s, %(start)s") % {
                "expert": booking.expert.full_name,
                "start": formats.date_format(booking.start.astimezone(zone), "DATETIME_FORMAT"),
            }
        return cls(
            learner_name=learner.full_name if learner else "",
            learner_email=learner.email if learner else "",
            description=description,
        )


def receipt_pdf(*, receipts: Sequence[Receipt], party: ReceiptParty) -> bytes:
    """One page per receipt (the payment, then each refund), oldest first."""
    story: list[Flowable] = []
    for index, receipt in enumerate(receipts):
        if index:
            story.append(PageBreak())
        title = _("Refund receipt") if receipt.kind == Receipt.Kind.REFUND else _("Receipt")
        money = lambda minor, currency=receipt.currency: Money(int(minor), currency).format()  # noqa: E731
        story += [
            _p(title, _TITLE),
            *_seller(receipt),
            Spacer(1, 6 * mm),
            _p(_("Receipt number: %(number)s") % {"number": receipt.number}),
            _p(_("Date: %(date)s") % {"date": formats.date_format(receipt.issued_at, "DATE_FORMAT")}),
            _p(_("Billed to: %(name)s <%(email)s>") % {"name": party.learner_name, "email": party.learner_email}),
            _p(_("Currency: %(currency)s") % {"currency": receipt.currency}),
            Spacer(1, 4 * mm),
            Table(
                [
                    [_("Description"), _("Amount")],
                    [party.description, money(receipt.net_minor)],
                    [_tax_label(receipt), money(receipt.tax_minor)],
                    [_("Refunded") if receipt.kind == Receipt.Kind.REFUND else _("Total"), money(receipt.total_minor)],
                ],
                colWidths=[120 * mm, 50 * mm],
                style=_TABLE,
            ),
            Spacer(1, 4 * mm),
            _p(_tax_source_line(receipt), _SMALL),
        ]
    return _render(story, title=_("Receipt"))


@dataclass(frozen=True)
class StatementLine:
    date: str
    description: str
    reference: str
    gross: Money | None
    fee: Money | None
    net: Money


def statement_pdf(
    *, expert_name: str, month_label: str, lines: Iterable[StatementLine], totals: Sequence[tuple[str, Money]]
) -> bytes:
    """An expert's monthly statement: every movement of the month, then the totals per currency."""
    rows = [[_("Date"), _("Movement"), _("Learner paid"), _("TapTime fee"), _("Your earnings")]]
    for line in lines:
        rows.append(
            [
                line.date,
                _p(f"{line.description} · {line.reference}", _SMALL),
                line.gross.format() if line.gross else "",
                line.fee.format() if line.fee else "",
                line.net.format(),
            ]
        )
    story: list[Flowable] = [
        _p(_("Earnings statement"), _TITLE),
        _p(_("%(name)s · %(month)s") % {"name": expert_name, "month": month_label}),
        Spacer(1, 4 * mm),
    ]
    if len(rows) == 1:
        story.append(_p(_("No earnings, fees or payouts this month.")))
    else:
        story.append(Table(rows, colWidths=[22 * mm, 68 * mm, 27 * mm, 27 * mm, 28 * mm], style=_TABLE, repeatRows=1))
    story.append(_p(_("Totals"), _HEADING))
    for label, amount in totals:
        story.append(_p(f"{label}: {amount.format()}"))
    return _render(story, title=_("Earnings statement"))
