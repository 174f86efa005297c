"""Template context: the user's role, for the navigation."""

from luoshi_web.accounts.permissions import profile_of


def profile(request):
    p = profile_of(getattr(request, "user", None))
    return {"profile": p, "is_office": p is not None and p.role == "office"}
