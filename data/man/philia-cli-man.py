#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write philia-cli(1) from the built philia-cli's own --help texts.

The commands, their synopses, summaries and every option come from running
`philia-cli --help` and `philia-cli COMMAND --help-all`, so the page cannot
fall behind the program; the description, the examples and the sections
below the commands are written here. Needs no network (Debian builds it).

usage: philia-cli-man.py PHILIA_CLI VERSION OUT
"""
import os
import re
import subprocess
import sys

EXAMPLES = {
    "info": ["philia-cli info cora.npz",
             "philia-cli info --json graph.graphml",
             "philia-cli info edges.txt --nodes nodes.csv"],
    "stats": ["philia-cli stats cora.npz",
              "philia-cli stats cora.npz --per-node local.csv --bins 20",
              "philia-cli stats cora.npz --json --keep-self-loops"],
    "layout": ["philia-cli layout cora.npz -a fr --seed 1 -o positions.csv",
               "philia-cli layout cora.philia -a kk --save --name \"kk, seed 0\""],
    "figure": ["philia-cli figure cora.npz --kind graph -o cora.svg",
               "philia-cli figure cora.npz --kind local-homophily --by-class -o local.pdf",
               "philia-cli figure cora.npz --kind compatibility --dpi 300 -o compat.png",
               "philia-cli figure cora.npz --kind factors --k 100 --model gcn -o factors.svg"],
    "generate": ["philia-cli generate csbm --homophily 0.2 --classes 4 -o hetero.npz",
                 "philia-cli generate grid --rows 30 -o grid.npz",
                 "philia-cli generate latent --preset fp --seed 3 -o latent.npz"],
    "proximity": ["philia-cli proximity cora.npz --pairs pairs.csv --heuristics cn,aa,katz",
                  "philia-cli proximity cora.npz --pairs pairs.csv --katz-len exact -o scores.csv"],
    "linkpred": ["philia-cli linkpred cora.npz --heuristic ra",
                 "philia-cli linkpred cora.npz --model gcn --epochs 100 --json",
                 "philia-cli linkpred cora.philia --heuristic katz --save",
                 "philia-cli linkpred cora.philia --model gcn --save",
                 "philia-cli linkpred cora.npz --model gcn --factors 100 --json"],
    "train": ["philia-cli train cora.npz --model gcn",
              "philia-cli train cora.npz --model gat --splits all --seeds 3",
              "philia-cli train cora.npz --model mlp --random-split 0.6,0.2 --num-splits 5",
              "philia-cli train cora.npz --model sage --save-model sage.philia-model"],
    "predict": ["philia-cli predict sage.philia-model other.npz --predictions out.csv"],
    "adapt": ["philia-cli adapt sage.philia-model target.npz --epochs 50 "
              "--save-model adapted.philia-model"],
    "plugins": ["philia-cli plugins",
                "PHILIA_PLUGIN_PATH=$HOME/src/my-plugin philia-cli plugins --json"],
    "project": ["philia-cli project new cora.philia cora.npz",
                "philia-cli project new --embed --force cora.philia cora.npz"],
}


def run(cli, *args):
    env = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
    res = subprocess.run([cli, *args], capture_output=True, text=True, env=env)
    if res.returncode != 0:
        sys.exit(f"{' '.join([cli, *args])} failed ({res.returncode}): {res.stderr}")
    return res.stdout


def esc(text):
    """Text for troff: backslashes, hyphens of options, leading dots."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return re.sub(r"^([.'])", r"\\&\1", text, flags=re.M)


def commands(cli):
    """(name, args, summary) from `philia-cli --help`'s Commands: list."""
    out, inside = [], False
    for line in run(cli, "--help").splitlines():
        if line.startswith("Commands:"):
            inside = True
        elif inside and not line.strip():
            break
        elif inside:
            m = re.match(r"  (\S+)\s+(.*?)\s{2,}(\S.*)$", line) or \
                re.match(r"  (\S+)\s+()(\S.*)$", line)
            out.append(m.groups())
    return out


def parse_help(text):
    """Usage line, description paragraphs and [(section, [(opt, arg, doc)])]."""
    lines = text.splitlines()
    usage = next(l.strip() for l in lines if l.startswith("  philia-cli"))
    paragraphs, sections, section, i = [], [], None, 0
    while i < len(lines):
        line = lines[i]
        if re.match(r"^[A-Z][\w ()-]*:$", line) and line != "Usage:":
            section = (line[:-1], [])
            sections.append(section)
        elif section is not None and line.startswith("  "):
            m = re.match(r"  (?:(-\w), )?(--[\w-]+)(?:=(\S+))?\s+(.*)$", line)
            if m:
                short, opt, arg, doc = m.groups()
                section[1].append(((short + ", " if short else "") + opt, arg, doc))
            else:
                m = re.match(r"  (\S+)\s+(.*)$", line)
                section[1].append((m.group(1), None, m.group(2)))
        elif section is None and line.strip() and not line.startswith("  philia-cli") \
                and line != "Usage:":
            paragraphs.append(line.strip())
        i += 1
    return usage, paragraphs, [s for s in sections if s[0] != "Help Options"]


def option_items(entries):
    out = []
    for opt, arg, doc in entries:
        head = f"\\fB{esc(opt)}\\fR" + (f"=\\fI{esc(arg)}\\fR" if arg else "")
        out.append(f".TP\n{head}\n{esc(doc)}")
    return out


def main():
    cli, version, out_path = sys.argv[1:4]
    page = [f'.TH PHILIA\\-CLI 1 "" "Philia {esc(version)}" "User Commands"',
            ".SH NAME", "philia\\-cli \\- graph machine learning from the command line",
            ".SH SYNOPSIS",
            "\\fBphilia\\-cli\\fR \\fICOMMAND\\fR \\fIFILE\\fR [\\fIOPTION\\fR...]",
            ".br", "\\fBphilia\\-cli\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR",
            ".br", "\\fBphilia\\-cli\\fR \\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR",
            ".SH DESCRIPTION",
            "\\fBphilia\\-cli\\fR is the headless twin of the Philia workbench, \\fBphilia\\fR(1):",
            "it reads a graph dataset, checks it, measures its homophily, lays it out,",
            "renders figures, scores node pairs, and trains and applies node and link",
            "models, printing text or, with \\fB\\-\\-json\\fR, one JSON document on standard",
            "output.",
            ".PP",
            "Datasets are NumPy archives (\\fI.npz\\fR in the layout of the heterophilous",
            "graphs benchmark), GraphML, GML, Pajek and edge lists; an edge list or a",
            "GraphML/GML file takes its labels and features from a CSV node table given",
            "with \\fB\\-\\-nodes\\fR. A Philia project (\\fI.philia\\fR) goes wherever a",
            "dataset goes, and \\fBlayout\\fR, \\fBtrain\\fR and \\fBlinkpred\\fR \\fB\\-\\-save\\fR",
            "add their results to it. Algorithms added by plugins are used like",
            "built-in ones.",
            ".SH GLOBAL OPTIONS",
            ".TP", "\\fB\\-h\\fR, \\fB\\-\\-help\\fR", "List the commands (with a command: its options).",
            ".TP", "\\fB\\-\\-version\\fR", "Print the version and exit.",
            ".SH COMMANDS"]
    cmds = commands(cli)
    for name, args, summary in cmds:
        usage, paragraphs, sections = parse_help(run(cli, name, "--help-all"))
        page += [f".SS {esc(name)}", f"\\fB{esc(usage)}\\fR", ".PP"]
        page += [esc(p) + "\n.PP" for p in paragraphs]
        for title, entries in sections:
            title = "Options" if title == "Application Options" else title
            page += [f"\\fI{esc(title)}\\fR", ".RS 4"] + option_items(entries) + [".RE", ".PP"]
        if name == "linkpred":
            _, _, model_sections = parse_help(run(cli, "linkpred", "--model", "gcn", "--help-all"))
            known = {e[0] for _, entries in sections for e in entries}
            extra = [e for _, entries in model_sections for e in entries if e[0] not in known]
            if extra:
                page += ["\\fIWith \\-\\-model (a GNN link predictor)\\fR", ".RS 4"]
                page += option_items(extra) + [".RE", ".PP"]
        page += ["Examples:", ".RS 4", ".nf"]
        page += [esc(e) for e in EXAMPLES.get(name, [])]
        page += [".fi", ".RE"]
    page += [".SH EXIT STATUS",
             "0 on success, 1 when the command failed (the reason is printed on standard",
             "error, one sentence naming the file or option at fault), 2 for a usage",
             "error (an unknown command or option, a missing argument).",
             ".SH ENVIRONMENT",
             ".TP", "\\fBPHILIA_PLUGIN_PATH\\fR",
             "Colon-separated folders searched for plugins (\\fI*.plugin\\fR files) before",
             "the user's and the installed plugin folder.",
             ".TP", "\\fBOPENBLAS_NUM_THREADS\\fR",
             "Threads of the linear algebra library (the commands' \\fB\\-\\-threads\\fR set",
             "Philia's own worker threads).",
             ".SH FILES",
             ".TP", "\\fI$XDG_DATA_HOME/philia/plugins\\fR",
             "The user's plugins (by default \\fI~/.local/share/philia/plugins\\fR).",
             ".TP", "\\fI<libdir>/philia/plugins\\fR",
             "The plugins installed with Philia, found relative to the installed",
             "program, so a staged or moved installation finds its own.",
             ".TP", "\\fI<datadir>/philia/cora.npz\\fR",
             "The Cora citation graph bundled with Philia (2708 nodes, 7 classes).",
             ".SH SEE ALSO",
             "\\fBphilia\\fR(1); the Philia help (\\fByelp help:philia\\fR).",
             ""]
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(page))
    missing = [c[0] for c in cmds if c[0] not in EXAMPLES]
    if missing:
        sys.exit(f"philia-cli-man.py: no examples for {', '.join(missing)}; add them to EXAMPLES.")


if __name__ == "__main__":
    main()
