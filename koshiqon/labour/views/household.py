"""Labour pages: household."""

urlpatterns: list = []
