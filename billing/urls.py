from django.urls import path

from . import views
from .views import earnings, packages, receipts

urlpatterns: list = [
    path("bookings/<int:pk>/review/", views.booking_review, name="booking_review"),
    path("bookings/<int:pk>/paid/", views.booking_paid, name="booking_paid"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/cancel-as-expert/", views.booking_cancel_by_expert, name="booking_cancel_by_expert"),
    path("bookings/<int:pk>/use-credit/", packages.booking_use_credit, name="booking_use_credit"),
    path("packages/", packages.learner_packages, name="learner_packages"),
    path("packages/<int:package_id>/buy/", packages.package_buy, name="package_buy"),
    path("packages/purchases/<int:pk>/", packages.package_purchase, name="package_purchase"),
    path("packages/purchases/<int:pk>/paid/", packages.package_purchase_paid, name="package_purchase_paid"),
    path("bookings/<int:pk>/receipt/", receipts.booking_receipt, name="booking_receipt"),
    path("expert/earnings/statement/", receipts.expert_statement, name="expert_statement"),
    path("expert/earnings/", earnings.expert_earnings, name="expert_earnings"),
    path("expert/earnings/export.csv", earnings.expert_earnings_csv, name="expert_earnings_csv"),
    path("expert/withdrawals/", earnings.expert_withdrawal_create, name="expert_withdrawal_create"),
    path("expert/payouts/", earnings.expert_payouts, name="expert_payouts"),
    path("expert/payouts/refresh/", earnings.expert_payouts_refresh, name="expert_payouts_refresh"),
    path("expert/payouts/return/", earnings.expert_payouts_return, name="expert_payouts_return"),
]
