"""Labour pages: permits."""

urlpatterns: list = []
