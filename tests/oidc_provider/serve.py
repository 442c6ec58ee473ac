"""Start the test identity provider: ``python -m tests.oidc_provider.serve SPEC.json PORT``.

SPEC.json holds the client (id, secret, redirect URIs) and the identities (username, password,
claims). The database is made here, in the SPEC's folder; the RSA key comes from the environment
(made by the test at start). Serves until it is killed.
"""

import json
import os
import sys


def main() -> None:
    spec_path, port = sys.argv[1], sys.argv[2]
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    with open(spec_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    call_command("migrate", verbosity=0)
    for username, identity in spec["identities"].items():
        User.objects.create_user(username=username, password=identity["password"])
    Application.objects.create(
        name="Karyalay",
        client_id=spec["client_id"],
        client_secret=spec["client_secret"],
        hash_client_secret=True,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(spec["redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True, skip_checks=True)


if __name__ == "__main__":
    main()
