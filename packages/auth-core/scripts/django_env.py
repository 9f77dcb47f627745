"""Django set up for tsbin's compatibility scripts (importable, hence the underscore).

Debian's python3-django is 3.2, which predates the scrypt hasher; ScryptPasswordHasher below
is Django 4.2's class, unchanged apart from imports, so scrypt hashes follow the real format.
"""
import base64
import hashlib
import importlib.metadata
import platform

import django
from django.conf import settings

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django_env.ScryptPasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.BCryptPasswordHasher",
    "django.contrib.auth.hashers.SHA1PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.UnsaltedSHA1PasswordHasher",
    "django.contrib.auth.hashers.UnsaltedMD5PasswordHasher",
]


AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


def configure(with_models=False):
    """Configures settings; with_models also loads the auth app so User instances can be made."""
    if not settings.configured:
        settings.configure(
            PASSWORD_HASHERS=PASSWORD_HASHERS,
            AUTH_PASSWORD_VALIDATORS=AUTH_PASSWORD_VALIDATORS,
            INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
            DATABASES={},
            USE_I18N=False,
        )
    if with_models:
        django.setup()


def versions():
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "argon2-cffi": importlib.metadata.version("argon2-cffi"),
        "bcrypt": importlib.metadata.version("bcrypt"),
    }


from django.contrib.auth.hashers import BasePasswordHasher  # noqa: E402
from django.utils.crypto import constant_time_compare  # noqa: E402


class ScryptPasswordHasher(BasePasswordHasher):
    """Django 4.2's django.contrib.auth.hashers.ScryptPasswordHasher."""

    algorithm = "scrypt"
    block_size = 8
    maxmem = 0
    parallelism = 1
    work_factor = 2**14

    def encode(self, password, salt, n=None, r=None, p=None):
        assert password is not None
        assert salt and "$" not in salt
        n = n or self.work_factor
        r = r or self.block_size
        p = p or self.parallelism
        hash_ = hashlib.scrypt(
            password.encode(),
            salt=salt.encode(),
            n=n,
            r=r,
            p=p,
            maxmem=self.maxmem,
            dklen=64,
        )
        hash_ = base64.b64encode(hash_).decode("ascii").strip()
        return "%s$%d$%s$%d$%d$%s" % (self.algorithm, n, salt, r, p, hash_)

    def decode(self, encoded):
        algorithm, work_factor, salt, block_size, parallelism, hash_ = encoded.split("$", 6)
        assert algorithm == self.algorithm
        return {
            "algorithm": algorithm,
            "work_factor": int(work_factor),
            "salt": salt,
            "block_size": int(block_size),
            "parallelism": int(parallelism),
            "hash": hash_,
        }

    def verify(self, password, encoded):
        decoded = self.decode(encoded)
        encoded_2 = self.encode(
            password,
            decoded["salt"],
            decoded["work_factor"],
            decoded["block_size"],
            decoded["parallelism"],
        )
        return constant_time_compare(encoded, encoded_2)

    def safe_summary(self, encoded):
        return {}

    def must_update(self, encoded):
        decoded = self.decode(encoded)
        return (
            decoded["work_factor"] != self.work_factor
            or decoded["block_size"] != self.block_size
            or decoded["parallelism"] != self.parallelism
        )

    def harden_runtime(self, password, encoded):
        pass
