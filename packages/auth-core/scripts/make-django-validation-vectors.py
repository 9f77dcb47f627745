#!/usr/bin/python3
"""Writes test/vectors/django-password-validation.json: what Django's four password validators
(AUTH_PASSWORD_VALIDATORS of the project template) say about sample passwords and users.

Run from packages/auth-core:  /usr/bin/python3 scripts/make-django-validation-vectors.py
"""
import json
import os

import django_env

django_env.configure(with_models=True)

from django.contrib.auth.models import User  # noqa: E402
from django.contrib.auth.password_validation import (  # noqa: E402
    get_default_password_validators,
    password_validators_help_texts,
)
from django.core.exceptions import ValidationError  # noqa: E402

OUTPUT = os.path.join(os.path.dirname(__file__), "..", "test", "vectors", "django-password-validation.json")

USERS = {
    "none": None,
    "testclient": {"username": "testclient", "first_name": "Test", "last_name": "Client", "email": "testclient@example.com"},
    "unicode": {"username": "zoë.müller", "first_name": "Zoë", "last_name": "Müller-Lüdenscheidt", "email": "zoe@bücher.example"},
    "empty": {"username": "", "first_name": "", "last_name": "", "email": ""},
    "separator-first": {"username": "x", "first_name": "", "last_name": "", "email": "-leading@example.com"},
}

PASSWORDS = [
    "",
    "short",
    "1234567",
    "12345678",
    "password",
    "password123",
    " Password123 ",
    "PASSWORD",
    "correct horse battery staple",
    "testclient",
    "TestClient99",
    "tneilctset",
    "example.com",
    "clientclient",
    "zoë.müller",
    "Müller-Lüdenscheidt!",
    "bücher",
    "١٢٣٤٥٦٧٨٩",
    "²³¹²³¹²³¹",
    "①②③④⑤⑥⑦⑧",
    "12345678a",
    "ⅠⅡⅢⅣⅤⅥⅦⅧ",
    "x" * 7,
    "x" * 8,
    "test" * 100,
    "a" * 1000,
    "lètmein-lètmein",
    "ΣΊΣΥΦΟΣ-σίσυφος",
    "Straße1234",
]

validators = get_default_password_validators()
vectors = []
for user_key, attributes in USERS.items():
    user = None if attributes is None else User(**attributes)
    for password in PASSWORDS:
        errors = []
        for validator in validators:
            try:
                validator.validate(password, user)
            except ValidationError as error:
                errors.extend({"code": e.code, "message": e.messages[0]} for e in error.error_list)
        vectors.append({"user": user_key, "password": password, "errors": errors})

users = {
    key: None
    if value is None
    else {"username": value["username"], "firstName": value["first_name"], "lastName": value["last_name"], "email": value["email"]}
    for key, value in USERS.items()
}
with open(OUTPUT, "w", encoding="utf-8") as output:
    json.dump(
        {
            "generator": "scripts/make-django-validation-vectors.py",
            "versions": django_env.versions(),
            "helpTexts": password_validators_help_texts(),
            "users": users,
            "vectors": vectors,
        },
        output,
        ensure_ascii=False,
        indent=2,
    )
    output.write("\n")
print("wrote %d validation vectors" % len(vectors))
