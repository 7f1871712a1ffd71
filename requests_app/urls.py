from django.urls import path

from . import letter_views, views

app_name = "requests_app"
urlpatterns = [
    path("packages/<int:pk>/", views.package_download, name="package-download"),
    path("letters/<int:pk>/<str:fmt>/", letter_views.letter_file, name="letter-file"),
]
