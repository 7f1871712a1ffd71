from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("recordings/<int:pk>/", views.recording_file, name="recording-file"),
]
