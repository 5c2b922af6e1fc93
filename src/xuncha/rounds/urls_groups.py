from django.urls import path

from xuncha.rounds.views import groups as views

urlpatterns = [
    path("mine/", views.my_work, name="my_work"),
    path("<int:round_id>/groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/members/new/", views.member_add, name="group_member_add"),
    path("groups/<int:pk>/members/<int:member_id>/remove/", views.member_remove, name="group_member_remove"),
    path("groups/<int:pk>/targets/new/", views.target_add, name="group_target_add"),
    path("groups/<int:pk>/targets/<int:target_id>/remove/", views.target_remove, name="group_target_remove"),
    path("groups/<int:pk>/declarations/new/", views.declaration_add, name="group_declaration_add"),
    path("groups/<int:pk>/conflicts/new/", views.conflict_declare, name="group_conflict_declare"),
    path("groups/<int:pk>/people/", views.person_suggestions, name="group_person_suggestions"),
    path("groups/<int:pk>/accounts/", views.account_suggestions, name="group_account_suggestions"),
    path("groups/<int:pk>/organizations/", views.organization_suggestions, name="group_organization_suggestions"),
]
