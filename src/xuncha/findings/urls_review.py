"""Peer review (底稿评查), mounted at /findings/review/ in the "findings" namespace."""

from django.urls import path

from xuncha.findings.views import review as views

urlpatterns = [
    path("", views.session_list, name="review_sessions"),
    path("new/", views.session_open, name="review_session_open"),
    path("<int:pk>/", views.session_detail, name="review_session"),
    path("<int:pk>/close/", views.session_close, name="review_session_close"),
    path("assignments/<int:pk>/reassign/", views.review_reassign, name="review_reassign"),
    path("mine/", views.my_reviews, name="my_reviews"),
    path("mine/<int:pk>/", views.review_form, name="review_form"),
    path("ours/", views.our_scores, name="our_scores"),
    path("rubrics/", views.rubric_list, name="review_rubrics"),
    path("rubrics/new/", views.rubric_create, name="review_rubric_create"),
    path("rubrics/default/", views.rubric_default, name="review_rubric_default"),
    path("rubrics/<int:pk>/edit/", views.rubric_edit, name="review_rubric_edit"),
]
