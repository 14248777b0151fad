"""Labour pages: exchange."""

urlpatterns: list = []
