"""URLs of the recommendation and campaign pages (names in the "analytics" namespace, under
/analytics/recommendations/)."""

from django.urls import path

from xuncha.analytics.views import campaigns
from xuncha.analytics.views import recommendations as views

urlpatterns = [
    path("", views.recommendation_list, name="recommendation_list"),
    path("export/", views.recommendation_export, name="recommendation_export"),
    path("new/", views.recommendation_create, name="recommendation_create"),
    path("received/", views.received_recommendations, name="received_recommendations"),
    path("received/<int:pk>/", views.received_detail, name="received_detail"),
    path("received/<int:pk>/word/", views.received_word, name="received_word"),
    path("<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("<int:pk>/edit/", views.recommendation_edit, name="recommendation_edit"),
    path("<int:pk>/items/", views.recommendation_items, name="recommendation_items"),
    path("<int:pk>/delete/", views.recommendation_delete, name="recommendation_delete"),
    path("<int:pk>/word/", views.recommendation_word, name="recommendation_word"),
    path("<int:pk>/<slug:action>/", views.recommendation_transition, name="recommendation_transition"),
    path("addressees/<int:pk>/receipt/", views.addressee_acknowledge, name="addressee_acknowledge"),
    path("addressees/<int:pk>/response/", views.addressee_respond, name="addressee_respond"),
    path("addressees/<int:pk>/response/file/", views.response_file, name="response_file"),
    path("addressees/<int:pk>/outcomes/", views.outcome_add, name="outcome_add"),
    path("outcomes/<int:pk>/delete/", views.outcome_delete, name="outcome_delete"),
    path("outcomes/<int:pk>/file/", views.outcome_file, name="outcome_file"),
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/items/", campaigns.campaign_item_add, name="campaign_item_add"),
    path("campaigns/<int:pk>/close/", campaigns.campaign_close, name="campaign_close"),
    path("campaigns/items/<int:pk>/", campaigns.campaign_item, name="campaign_item"),
    path("campaigns/items/<int:pk>/result/", campaigns.campaign_item_report, name="campaign_item_report"),
    path("campaigns/items/<int:pk>/edit/", campaigns.campaign_item_edit, name="campaign_item_edit"),
    path("campaigns/items/<int:pk>/delete/", campaigns.campaign_item_delete, name="campaign_item_delete"),
]
