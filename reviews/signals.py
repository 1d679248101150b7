"""What the reviews app tells higher layers (the API's webhooks) without importing them."""

from django.dispatch import Signal

# Sent inside the publishing transaction with ``reviews``: the SessionReview rows that have just
# become public (published and not hidden), their ``profile`` loaded. A receiver that writes rows
# writes them in that transaction, so they exist exactly when the publication committed.
reviews_published = Signal()
