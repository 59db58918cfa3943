"""Screens of casework, one module per audience:

- ``casework``: the caseworker's own records (home, people, one person and what is logged for her);
- ``referrals``: referring a person to a partner, and the partner's side of a referral;
- ``data_protection``: the data protection officer's data requests, erasure and retention.

``common`` holds what they share: finding a record (404 for anyone who may not see it) and the
form page of casework, built on the project's one form-page idiom (``nextsteps.views``)."""
