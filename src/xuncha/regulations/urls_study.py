"""Study records (学习贯彻) at /regulations/study/: activities and campaigns."""

from django.urls import path

from xuncha.regulations.views import study as views

urlpatterns = [
    path("", views.activity_list, name="study_activities"),
    path("new/", views.activity_create, name="study_activity_create"),
    path("<int:pk>/", views.activity_detail, name="study_activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="study_activity_edit"),
    path("<int:pk>/delete/", views.activity_delete, name="study_activity_delete"),
    path("<int:pk>/publish/", views.activity_publish, name="study_activity_publish"),
    path("<int:pk>/unpublish/", views.activity_unpublish, name="study_activity_unpublish"),
    path("campaigns/", views.campaign_list, name="study_campaigns"),
    path("campaigns/new/", views.campaign_create, name="study_campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="study_campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="study_campaign_edit"),
    path("campaigns/<int:pk>/organizations/", views.campaign_add_organizations, name="study_campaign_add"),
]
