"""The claims each test identity carries, from the JSON file serve.py was given."""

import json
import os

from oauth2_provider.oauth2_validators import OAuth2Validator


def identities() -> dict:
    with open(os.environ["OIDC_TEST_IDENTITIES"], encoding="utf-8") as handle:
        return json.load(handle)


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "preferred_username": "profile",
        "email": "email",
        "email_verified": "email",
    }

    def get_additional_claims(self, request):
        return identities()[request.user.username]["claims"]
