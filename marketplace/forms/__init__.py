"""Forms of the catalogue: the expert area's (``expert_area``) and the expert application's
(``applications``). They parse input; the services decide."""

from .applications import AboutForm, AnswerForm, DocumentForm, ExpertiseForm, OfferForm
from .expert_area import (
    ExpertPageForm,
    ExpertProfileCreateForm,
    PackageForm,
    PriceField,
    SessionTypeForm,
    category_groups,
)

__all__ = [
    "AboutForm",
    "AnswerForm",
    "DocumentForm",
    "ExpertiseForm",
    "OfferForm",
    "ExpertPageForm",
    "ExpertProfileCreateForm",
    "PackageForm",
    "PriceField",
    "SessionTypeForm",
    "category_groups",
]
