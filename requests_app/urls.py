from django.urls import path

from . import views

app_name = "requests_app"
urlpatterns = [
    path("packages/<int:pk>/", views.package_download, name="package-download"),
]
