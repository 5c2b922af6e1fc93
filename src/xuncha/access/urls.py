from django.contrib.auth import views as auth_views
from django.urls import path

from xuncha.access import views

app_name = "access"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("role/", views.switch_role, name="switch_role"),
]
