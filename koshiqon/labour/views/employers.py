"""Labour pages: employers."""

urlpatterns: list = []
