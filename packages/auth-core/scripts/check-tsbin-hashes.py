#!/usr/bin/python3
"""Checks hashes made by tsbin with real Django's check_password.

Usage: /usr/bin/python3 scripts/check-tsbin-hashes.py <file.json>
The file holds {"vectors": [{"algorithm", "password", "wrongPassword", "encoded"}, ...]}.
Prints a JSON report on stdout and exits 1 when Django rejects a right password, accepts a
wrong one or identifies another algorithm; exit 2 on bad usage.
"""
import json
import sys

import django_env

django_env.configure()

from django.contrib.auth import hashers  # noqa: E402


def check(vector):
    encoded = vector["encoded"]
    try:
        algorithm = hashers.identify_hasher(encoded).algorithm
    except ValueError as error:
        return {"encoded": encoded, "ok": False, "problem": "not identified: %s" % error}
    right = hashers.check_password(vector["password"], encoded)
    wrong = hashers.check_password(vector["wrongPassword"], encoded)
    problems = []
    if algorithm != vector["algorithm"]:
        problems.append("identified as %s" % algorithm)
    if not right:
        problems.append("right password rejected")
    if wrong:
        problems.append("wrong password accepted")
    return {"algorithm": algorithm, "encoded": encoded, "ok": not problems, "problem": "; ".join(problems)}


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as source:
        vectors = json.load(source)["vectors"]
    results = [check(vector) for vector in vectors]
    failed = [result for result in results if not result["ok"]]
    json.dump(
        {"versions": django_env.versions(), "checked": len(results), "failed": failed},
        sys.stdout,
        ensure_ascii=False,
    )
    sys.stdout.write("\n")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
