from django.urls import path

from xuncha.access import system_views as views

app_name = "system"

urlpatterns = [
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<int:pk>/active/", views.account_set_active, name="account_set_active"),
    path("accounts/<int:pk>/unlock/", views.account_unlock, name="account_unlock"),
    path("accounts/<int:pk>/password/", views.account_reset_password, name="account_reset_password"),
    path("roles/", views.assignment_list, name="roles"),
    path("roles/grant/", views.assignment_grant, name="role_grant"),
    path("roles/organizations/", views.organization_options, name="role_organizations"),
    path("roles/<int:pk>/revoke/", views.assignment_revoke, name="role_revoke"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/new/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
