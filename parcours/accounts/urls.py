from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("account/users/", views.users, name="account_users"),
    path("account/users/<int:user_id>/tokens/", views.user_tokens, name="account_user_tokens"),
]
