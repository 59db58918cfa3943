app_name = "pillars"

urlpatterns = []
