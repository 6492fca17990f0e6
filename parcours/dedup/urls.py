app_name = "dedup"
urlpatterns: list = []
