"""Staff for the load benchmark (benchmarks/load.py), run as `python -m benchmarks._load_users` against the
benchmark's throwaway database: for each Locust user a member of staff like the demo user of that role (same
role, municipality, unit and department, the same password), and a one-time enrollment code issued by the
demo administrator, as an administrator does on the user's page. Reads {"role": count} as JSON on stdin and
prints {"role": ["username:code", ...]}."""

import json
import sys

import django


def main():
    django.setup()
    from trappa.accounts import enrollment  # noqa: PLC0415 - after django.setup()
    from trappa.accounts.models import User  # noqa: PLC0415

    wanted = json.load(sys.stdin)
    administrator = User.objects.get(username="administrator")
    out = {}
    for role, count in wanted.items():
        model = User.objects.get(username=role)
        users = []
        for i in range(count):
            user = User.objects.create(
                username=f"{role}_bench_{i + 1}",
                password=model.password,  # the same password's hash: hashing it again would only cost time
                first_name=model.first_name,
                last_name=f"{model.last_name} {i + 1}",
                role=model.role,
                municipality=model.municipality,
                unit=model.unit,
                department=model.department,
            )
            users.append(f"{user.username}:{enrollment.issue(user, administrator)}")
        out[role] = users
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
