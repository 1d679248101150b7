from wagtail.users.apps import WagtailUsersAppConfig


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms for our email-and-full-name user."""

    user_viewset = "accounts.admin_viewsets.UserViewSet"
