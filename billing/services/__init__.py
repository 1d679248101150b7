"""Every change to money: payments (``payments``), the ledger (``ledger``), paying for a
booking (``checkout``) and cancelling it with a refund (``cancellation``)."""
