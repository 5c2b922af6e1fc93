"""The plan: terms, rounds, their transitions and the plan export."""

from django.urls import path

from xuncha.rounds.views import plan as views

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("new/", views.round_create, name="round_create"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("<int:pk>/transition/", views.round_transition, name="round_transition"),
    path("<int:pk>/export/plan.docx", views.round_export_word, name="round_export_word"),
    path("<int:pk>/export/plan.xlsx", views.round_export_excel, name="round_export_excel"),
    path("terms/new/", views.term_create, name="term_create"),
    path("terms/<int:pk>/edit/", views.term_edit, name="term_edit"),
]
