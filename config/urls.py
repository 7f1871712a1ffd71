from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from privacy.i18n import admin_language_set
from retention.views import customer_overview_view

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("i18n/admin-language/", admin_language_set, name="admin-language"),
    path("files/", include("privacy.urls")),
    path("files/requests/", include("requests_app.urls")),
    path(
        "admin/customers/<int:pk>/overview/",
        admin.site.admin_view(customer_overview_view),
        name="customer-overview",
    ),
    path("admin/", admin.site.urls),
]
