#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every command of `philia-cli --help` and every option that `philia-cli COMMAND
--help-all` (and `linkpred --model gcn`, and `philia --help`) prints appears in
the man pages, each command with an example.

usage: check-man.py PHILIA_CLI PHILIA_CLI_MAN [PHILIA PHILIA_MAN]
"""
import os
import re
import subprocess
import sys


def run(*argv):
    env = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
    return subprocess.run(argv, capture_output=True, text=True, env=env, check=True).stdout


def options(text):
    return set(re.findall(r"^\s+(?:-\w, )?(--[\w-]+)", text, flags=re.M)) - {"--help"}


def plain(man_path):
    """The page's text as a reader sees it: escapes undone, fonts dropped."""
    with open(man_path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"\\f[BIRP]", "", text)
    return text.replace("\\-", "-").replace("\\e", "\\").replace("\\&", "")


def main():
    failures = []
    cli, cli_man = sys.argv[1], plain(sys.argv[2])
    commands = re.findall(r"^  (\w+) ", run(cli, "--help").split("Commands:")[1].split("\n\n")[0],
                          flags=re.M)
    assert len(commands) >= 10, commands
    checked = 0
    for cmd in commands:
        section = re.search(rf"^\.SS {cmd}\n(.*?)(?=^\.SS |^\.SH )", cli_man, flags=re.M | re.S)
        if section is None:
            failures.append(f"philia-cli(1) has no section for “{cmd}”")
            continue
        body = section.group(1)
        wanted = options(run(cli, cmd, "--help-all"))
        if cmd == "linkpred":
            wanted |= options(run(cli, "linkpred", "--model", "gcn", "--help-all"))
        for opt in sorted(wanted):
            checked += 1
            if not re.search(rf"{re.escape(opt)}(?![\w-])", body):
                failures.append(f"philia-cli(1), {cmd}: {opt} is missing")
        if not re.search(rf"^philia-cli {cmd}\b", body, flags=re.M):
            failures.append(f"philia-cli(1), {cmd}: no example")
    for opt in ("--version", "--help"):
        if opt not in cli_man:
            failures.append(f"philia-cli(1): {opt} is missing")
    print(f"philia-cli(1): {len(commands)} commands, {checked} command options checked")

    if len(sys.argv) > 4:
        app, app_man = sys.argv[3], plain(sys.argv[4])
        app_opts = options(run(app, "--help")) | {"--version"}
        for opt in sorted(app_opts):
            if not re.search(rf"{re.escape(opt)}(?![\w-])", app_man):
                failures.append(f"philia(1): {opt} is missing")
        if ".SH EXAMPLES" not in app_man:
            failures.append("philia(1) has no examples")
        print(f"philia(1): {len(app_opts)} options checked")

    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
