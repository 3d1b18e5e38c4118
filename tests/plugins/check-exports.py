#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every function the installed plugin headers declare must be exported by the
executables that load plugins, or a plugin calling it fails to load (or dies
at the first call, with lazy binding).

usage: check-exports.py HEADER... -- EXECUTABLE...
"""
import re
import subprocess
import sys

args = sys.argv[1:]
split = args.index('--')
headers, executables = args[:split], args[split + 1:]

declared = set()
for header in headers:
    text = open(header, encoding='utf-8').read()
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)      # comments
    text = re.sub(r'^\s*#.*$', '', text, flags=re.M)       # preprocessor lines
    # A prototype: a philia_ name followed by "(" at file scope; typedefs of
    # function pointers are "(*name)" and are not matched.
    for match in re.finditer(r'\b(philia_[a-z0-9_]+)\s*\(', text):
        name = match.group(1)
        if name == 'philia_plugin_register':   # the plugin's own, not the host's
            continue
        declared.add(name)

if len(declared) < 50:
    sys.exit(f'only {len(declared)} functions found in the headers: the parser is broken')

failed = False
for exe in executables:
    out = subprocess.run(['nm', '-D', '--defined-only', exe], check=True,
                         capture_output=True, text=True).stdout
    exported = {line.split()[-1] for line in out.splitlines() if line.strip()}
    missing = sorted(declared - exported)
    if missing:
        failed = True
        print(f'{exe}: {len(missing)} of {len(declared)} plugin functions not exported: '
              + ', '.join(missing))
    else:
        print(f'{exe}: all {len(declared)} plugin functions exported')
sys.exit(1 if failed else 0)
