from django.urls import path

from . import views

app_name = "dedup"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("scan/", views.scan_start, name="scan"),
    path("merges/", views.merges, name="merges"),
    path("merges/<int:merge_id>/undo/", views.undo, name="undo"),
    path("<int:pair_id>/", views.pair_detail, name="pair"),
    path("<int:pair_id>/review/", views.review, name="review"),
    path("<int:pair_id>/merge/", views.merge, name="merge"),
]
