from django.urls import include, path

urlpatterns = [
    path("", include("xuncha.workbench.urls")),
    path("accounts/", include("xuncha.access.urls")),
    path("registry/", include("xuncha.registry.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler403 = "xuncha.workbench.views.error_403"
handler404 = "xuncha.workbench.views.error_404"
handler500 = "xuncha.workbench.views.error_500"
