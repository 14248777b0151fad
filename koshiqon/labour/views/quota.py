"""Labour pages: quota."""

urlpatterns: list = []
