"""The REST API (``/api/``): django-ninja handlers that read the request, ask
``accounts.permissions``, call one action and map its refusals to HTTP — see ``api.main`` for the
routers, ``api.errors`` for the statuses and codes, ``api.auth`` for tokens and sessions."""
