"""The inspector pool (巡察人才库) and the random draw, mounted at /rounds/pool/."""

from django.urls import path

from xuncha.rounds.views import pool as views

urlpatterns = [
    path("", views.pool_list, name="pool_list"),
    path("add/", views.pool_add, name="pool_add"),
    path("<int:pk>/", views.pool_detail, name="pool_detail"),
    path("<int:pk>/edit/", views.pool_edit, name="pool_edit"),
    path("<int:pk>/evaluate/", views.pool_evaluate, name="pool_evaluate"),
    path("draw/<int:group_id>/", views.group_draw, name="group_draw"),
    path("draw/<int:group_id>/<int:record_id>/accept/", views.group_draw_accept, name="group_draw_accept"),
]
