app_name = "labour"
urlpatterns: list = []
