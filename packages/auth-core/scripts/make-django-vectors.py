#!/usr/bin/python3
"""Writes test/vectors/django-hashes.json: password hashes made by real Django.

Run from packages/auth-core:  /usr/bin/python3 scripts/make-django-vectors.py
Needs python3-django, python3-argon2 and python3-bcrypt (Debian packages). Every vector is
checked with Django's check_password (right password True, wrong password False) before it
is written, so the file only holds what Django itself accepts.
"""
import json
import os
import sys

import django_env

django_env.configure()

from django.contrib.auth import hashers  # noqa: E402

OUTPUT = os.path.join(os.path.dirname(__file__), "..", "test", "vectors", "django-hashes.json")

PASSWORDS = [
    "lètmein",
    "secret",
    "",
    " ",
    "  leading and trailing spaces  ",
    "пароль-🔑",
    "パスワード",
    "Tr0ub4dor&3",
]


class FastArgon2(hashers.Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 256
    parallelism = 2


class FastBCryptSHA256(hashers.BCryptSHA256PasswordHasher):
    rounds = 4


class FastBCrypt(hashers.BCryptPasswordHasher):
    rounds = 4


class FastScrypt(django_env.ScryptPasswordHasher):
    work_factor = 2**10


def wrong_for(password):
    # Appending is enough, except where bcrypt's 72-byte truncation would hide the change.
    return "x" + password if len(password.encode()) >= 72 else password + "z"


vectors = []


def add(algorithm, password, encoded, note, wrong=None):
    wrong = wrong_for(password) if wrong is None else wrong
    assert hashers.identify_hasher(encoded).algorithm == algorithm, encoded
    assert hashers.check_password(password, encoded), (algorithm, password, encoded)
    assert not hashers.check_password(wrong, encoded), (algorithm, wrong, encoded)
    vectors.append(
        {"algorithm": algorithm, "password": password, "wrongPassword": wrong, "encoded": encoded, "note": note}
    )


def make(password, hasher):
    return hashers.make_password(password, hasher=hasher)


# argon2: Django's defaults (t=2, m=102400, p=8) once, cheap parameters for the rest, and the
# two vectors of Django's own test suite.
add("argon2", "lètmein", make("lètmein", "argon2"), "Django 3.2 defaults: t=2, m=102400, p=8, 16-byte hash")
for password in PASSWORDS:
    add("argon2", password, make(password, FastArgon2()), "t=1, m=256, p=2")
add(
    "argon2",
    "secret",
    "argon2$argon2id$v=19$m=102400,t=2,p=8$Y041dExhNkljRUUy$TMa6A8fPJhCAUXRhJXCXdw",
    "Django test suite (test_argon2_decode)",
)
add(
    "argon2",
    "secret",
    "argon2$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q",
    "Django test suite (argon2i, Django < 2.1 default variety)",
)

# pbkdf2: Django 3.2's default (260000 iterations) once, low iterations for the rest.
pbkdf2 = hashers.PBKDF2PasswordHasher()
pbkdf2_sha1 = hashers.PBKDF2SHA1PasswordHasher()
add("pbkdf2_sha256", "lètmein", make("lètmein", "pbkdf2_sha256"), "Django 3.2 default iterations (260000)")
add(
    "pbkdf2_sha256",
    "lètmein",
    pbkdf2.encode("lètmein", "seasalt", 390000),
    "make_password('lètmein', 'seasalt', 'pbkdf2_sha256') with 390000 iterations (Django 4.1 test vector)",
)
add("pbkdf2_sha256", "lètmein", pbkdf2.encode("lètmein", "seasalt", 1), "1 iteration, weak 7-character salt")
for password in PASSWORDS + ["nul\u0000inside"]:
    add("pbkdf2_sha256", password, pbkdf2.encode(password, pbkdf2.salt(), 1000), "1000 iterations")
    add("pbkdf2_sha1", password, pbkdf2_sha1.encode(password, pbkdf2_sha1.salt(), 1000), "1000 iterations")

# scrypt (Django 4.0+ format): the Django 4.x test vector with the default parameters, then
# cheap ones.
add(
    "scrypt",
    "lètmein",
    django_env.ScryptPasswordHasher().encode("lètmein", "seasalt"),
    "Django 4.x test vector: N=16384, r=8, p=1, salt 'seasalt'",
)
for password in PASSWORDS:
    add("scrypt", password, make(password, FastScrypt()), "N=1024, r=8, p=1")

# bcrypt pair: Django's default 12 rounds once, 4 rounds for the rest.
add("bcrypt_sha256", "lètmein", make("lètmein", "bcrypt_sha256"), "12 rounds (Django default)")
for password in PASSWORDS + ["a" * 100]:
    add("bcrypt_sha256", password, make(password, FastBCryptSHA256()), "4 rounds")
add("bcrypt", "lètmein", make("lètmein", "bcrypt"), "12 rounds (Django default)")
for password in PASSWORDS:
    add("bcrypt", password, make(password, FastBCrypt()), "4 rounds")
long_password = "b" * 80
long_bcrypt = make(long_password, FastBCrypt())
assert hashers.check_password("b" * 72 + "anything", long_bcrypt)
add("bcrypt", long_password, long_bcrypt, "80 bytes: plain bcrypt ignores everything after byte 72")

# Legacy digests, verify-only in tsbin.
for password in PASSWORDS:
    add("sha1", password, make(password, "sha1"), "salted SHA-1")
    add("md5", password, make(password, "md5"), "salted MD5")
    add("unsalted_sha1", password, make(password, "unsalted_sha1"), "sha1$$<hex>")
    add("unsalted_md5", password, make(password, "unsalted_md5"), "bare 32-hex MD5")
    add("unsalted_md5", password, "md5$$" + make(password, "unsalted_md5"), "md5$$<hex>")

unusable = [hashers.make_password(None) for _ in range(3)]
for encoded in unusable:
    assert not hashers.is_password_usable(encoded)
    assert not hashers.check_password(encoded, encoded)

with open(OUTPUT, "w", encoding="utf-8") as output:
    json.dump(
        {
            "generator": "scripts/make-django-vectors.py",
            "versions": django_env.versions(),
            "vectors": vectors,
            "unusable": unusable,
        },
        output,
        ensure_ascii=False,
        indent=2,
    )
    output.write("\n")
print("wrote %d vectors and %d unusable passwords to %s" % (len(vectors), len(unusable), os.path.normpath(OUTPUT)), file=sys.stderr)
