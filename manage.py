#!/usr/bin/env python
import os
import sys


def main():
    if sys.argv[1:2] == ["generate_encryption_key"]:
        # Production settings refuse to load until keys are set: the first key is made without
        # them (nextsteps.crypto reads settings only when it encrypts).
        from nextsteps.crypto import generate_key

        print(generate_key())
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nextsteps.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
