"""Wagtail admin for users: our model has ``full_name`` instead of first/last name."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import CreateView, EditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .models import User

_FIELDS = {"email", "full_name", "time_zone", "preferred_language", "is_expert", "is_superuser", "groups"}


class AdminUserCreationForm(UserCreationForm):
    first_name = None
    last_name = None
    full_name = forms.CharField(required=True, label=_("Full name"), max_length=150)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = _FIELDS

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if not self.password_enabled:
            # The new member sets a password through allauth's reset; staff never type one in.
            user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user


class AdminUserEditForm(UserEditForm):
    first_name = None
    last_name = None
    full_name = forms.CharField(required=True, label=_("Full name"), max_length=150)

    class Meta(UserEditForm.Meta):
        model = User
        fields = _FIELDS | {"is_active"}


class _OnlySuperusersMakeSuperusers:
    """Wagtail shows "Administrator" (``is_superuser``) to anyone who may manage users; a
    superuser is both admins and code execution through django-q2's schedules, so only a
    superuser may grant or take it."""

    def get_form(self, *args: object, **kwargs: object) -> forms.ModelForm:
        form = super().get_form(*args, **kwargs)
        if not self.request.user.is_superuser:
            form.fields.pop("is_superuser", None)
        return form


class UserCreateView(_OnlySuperusersMakeSuperusers, CreateView):
    pass


class UserEditView(_OnlySuperusersMakeSuperusers, EditView):
    pass


class UserViewSet(WagtailUserViewSet):
    template_prefix = "accounts/wagtail_users/"
    add_view_class = UserCreateView
    edit_view_class = UserEditView

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        return AdminUserEditForm if for_update else AdminUserCreationForm
