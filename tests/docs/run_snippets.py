#!/usr/bin/python3
"""Runs the fenced blocks of Markdown documents, in order, and compares the output they show.

    /usr/bin/python3 tests/docs/run_snippets.py [--bin-dir build/release] [--update] [-v] DOC.md ...

Each document runs from the top in a fresh, empty scratch folder (TMP/study), as a reader who
follows it in an empty folder would: a block sees the files earlier blocks wrote, and `export`s
and `cd`s of shell blocks carry over to later blocks. The environment is the reader's: PATH
starts with the folder of the `ruralsim` program (--bin-dir), PYTHONPATH holds this checkout's
`analysis/` (the package `ruralsim_analysis`), and, when running as root, OpenMPI is allowed to
run as root. stdout is line-buffered and merged with stderr, as a terminal shows them. In a
build that runs slower (RURALSIM_TEST_TIME_SCALE=N, set by the sanitizer builds' tests) a block's
time limit and the durations given to `timeout` in blocks are N times longer.

Blocks, by the fence's language:

- ```sh, ```bash, ```shell, ```console: shell (bash). A block without prompts is one script,
  run with `set -e`: every command must succeed. A block whose lines start with `$ ` holds
  commands, each run on its own; the lines after a prompt, up to the next prompt, are that
  command's shown output. A command line ending in a backslash continues on the next line.
- ``` (no language) whose first line starts with `$ `: like a console block.
- ```python, ```py: run with this Python. ```r, ```R: run with Rscript, when it is installed
  (otherwise reported as skipped).
- ``` (no language) right after a command block (only blank lines between): that block's
  shown output. Any other plain block must be annotated (`shows`, `output`, or `skip`).
- Other languages (yaml, ...) are not run; with `file PATH` their text is written to PATH.

Annotations: HTML comments directly before a fence (no blank line between), each
`<!-- snippet: DIRECTIVE; DIRECTIVE ... -->`:

- `skip (REASON)`: not run. The reason is required.
- `needs PROGRAM (REASON)`: run only when PROGRAM is on the PATH, otherwise reported skipped.
- `file PATH`: the block's text is written to PATH (relative to the current folder).
- `shows PATH`: the block shows (part of) the file PATH, which is compared with it.
- `output`: a plain block after prose is the output of the last command block.
- `status N [N ...]`: expected exit status (one for the block, or one per `$` command; default 0).
- `excerpt`: the shown output is trimmed: its lines appear in order in the actual output
  (a subsequence), not necessarily next to each other.
- `unordered`: lines may come in any order (e.g. replicates finishing); compared as multisets.
- `output varies (REASON)`: the output is not compared.
- `mask /REGEX/`: text matching REGEX is ignored on both sides (replaced by `#`).

Comparing: both sides are normalised before comparing: trailing blanks and leading and trailing
blank lines are dropped; the scratch folder reads as /home/me/study and the checkout as
/home/me/ruralsim (the paths a reader's output shows); and these are masked: durations
(`0.51 s`), core-hours, thread counts (`on 2 threads`, `running 2 tasks at once`), sizes
(`2.5 MB`), timestamps (`20261202-130436` in run file names, ISO times). In a shown line, `...`
matches any text, and a line that is `...` alone matches any number of lines, so a doc can
elide what varies or is long. Without `excerpt` or `unordered` the rest must match line by line.

--update rewrites shown outputs that differ with the actual output (paths normalised, nothing
masked), where the shown output is plain (no `...`, not an excerpt, not unordered); for the
others the actual output is printed to edit by hand. Review the diff.

Exit status: 0 when every block ran as shown; 1 otherwise, after reporting each failure with the
document, line, command, expected and actual output.
"""

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOWN_STUDY = "/home/me/study"
SHOWN_ROOT = "/home/me/ruralsim"
SHELLS = {"sh", "bash", "shell", "console", "shell-session"}
PYTHONS = {"python", "py", "python3"}
RS = {"r"}
# Sanitizer builds run the program several times slower and say by how much (tests/CMakeLists.txt
# sets RURALSIM_TEST_TIME_SCALE): a block's time limit, and the durations given to `timeout` in the
# documents (written for a release build), are that many times longer.
SLOWER = int(os.environ.get("RURALSIM_TEST_TIME_SCALE", "1"))
BLOCK_TIMEOUT = 600 * SLOWER
SLOWER_TIMEOUT = """#!/bin/bash
# `timeout DURATION ...` of the documents, in a build @SCALE@ times slower than a release build.
if [[ $1 =~ ^[0-9.]+$ ]]; then
  d=$(awk -v d="$1" 'BEGIN { print d * @SCALE@ }'); shift
  exec /usr/bin/timeout "$d" "$@"
fi
exec /usr/bin/timeout "$@"
"""

# Masked on both sides: what differs between runs or machines but not between builds.
BUILTIN_MASKS = [
    (re.compile(r"\b\d{8}-\d{6}\b"), "YYYYMMDD-HHMMSS"),
    (re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?"), "TIME"),
    (re.compile(r"(?<![\w.])\d+(\.\d+)?(e[-+]?\d+)? s\b"), "# s"),
    (re.compile(r"(?<![\w.])\d+(\.\d+)?(e[-+]?\d+)? core-hours\b"), "# core-hours"),
    (re.compile(r"(?<![\w.])\d+ threads?\b"), "# threads"),
    (re.compile(r"\brunning \d+ tasks? at once\b"), "running # tasks at once"),
    (re.compile(r"(?<![\w.])\d+(\.\d+)? (B|kB|KB|MB|GB|KiB|MiB|GiB)\b"), "# MB"),
]


# ----------------------------------------------------------------------------------------- parsing

@dataclass
class Command:
    """One thing to run: a `$` command, a whole script block, or a Python or R block."""
    text: str
    line: int                     # line of the document where it starts
    shown: list = None            # shown output lines, or None (not shown)
    shown_span: tuple = None      # (first, end) 0-based line indices of the shown output in the doc
    status: int = 0


@dataclass
class Block:
    lang: str
    line: int                     # line of the opening fence (1-based)
    body: list                    # lines between the fences
    body_start: int               # 0-based index of the first body line in the document
    directives: dict = field(default_factory=dict)
    kind: str = ""                # shell, python, r, output, console-output, other
    commands: list = field(default_factory=list)


FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([^\s`]*)[^`]*$")
ANNOTATION = re.compile(r"^\s*<!--\s*snippet:\s*(.*?)\s*-->\s*$")
PROMPT = re.compile(r"^\$ (.*)$")


class DocError(Exception):
    pass


def parse_directives(text, where):
    """`skip (why); status 2 3` -> {'skip': 'why', 'status': [2, 3]}."""
    out = {}
    for part in split_directives(text):
        word, _, rest = part.partition(" ")
        rest = rest.strip()
        if word == "skip" or (word == "output" and rest.startswith("varies")):
            reason = rest[len("varies"):].strip() if word == "output" else rest
            if not (reason.startswith("(") and reason.endswith(")") and len(reason) > 2):
                raise DocError(f"{where}: `{part}` needs its reason in parentheses")
            out["skip" if word == "skip" else "varies"] = reason[1:-1]
        elif word == "needs":
            prog, _, reason = rest.partition(" ")
            if not prog:
                raise DocError(f"{where}: `needs` names a program")
            out["needs"] = prog
        elif word in ("file", "shows"):
            if not rest:
                raise DocError(f"{where}: `{word}` needs a path")
            out[word] = rest
        elif word == "output" and not rest:
            out["output"] = True
        elif word == "status":
            try:
                out["status"] = [int(s) for s in rest.replace(",", " ").split()]
            except ValueError:
                raise DocError(f"{where}: `status` takes exit statuses: {part}") from None
        elif word in ("excerpt", "unordered") and not rest:
            out[word] = True
        elif word == "mask":
            if not (len(rest) >= 2 and rest[0] == "/" and rest[-1] == "/"):
                raise DocError(f"{where}: `mask` takes /REGEX/: {part}")
            out.setdefault("mask", []).append(re.compile(rest[1:-1]))
        else:
            raise DocError(f"{where}: unknown snippet directive `{part}`")
    return out


def split_directives(text):
    """Splits on `;` outside parentheses and /regex/."""
    parts, depth, cur, in_re = [], 0, "", False
    for i, c in enumerate(text):
        if c == "/" and (in_re or cur.strip() == "mask"):
            in_re = not in_re
        if not in_re:
            depth += c == "("
            depth -= c == ")"
        if c == ";" and depth == 0 and not in_re:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += c
    if cur.strip():
        parts.append(cur.strip())
    return parts


def parse(text, name="doc"):
    """The document's fenced blocks, classified, with their commands and shown outputs."""
    lines = text.split("\n")
    blocks, i, pending = [], 0, []
    while i < len(lines):
        m = FENCE.match(lines[i])
        a = ANNOTATION.match(lines[i])
        if a:
            pending.append((i + 1, a.group(1)))
            i += 1
            continue
        if not m:
            if pending:
                raise DocError(f"{name}:{pending[-1][0]}: a snippet annotation must come directly before a fence")
            i += 1
            continue
        indent, fence, lang = m.group(1), m.group(2), m.group(3).lower()
        j = i + 1
        while j < len(lines) and not re.match(r"^\s*" + re.escape(fence[0]) + "{%d,}\\s*$" % len(fence), lines[j]):
            j += 1
        if j == len(lines):
            raise DocError(f"{name}:{i + 1}: unclosed fence")
        body = [ln[len(indent):] if ln.startswith(indent) else ln.lstrip() for ln in lines[i + 1:j]]
        directives = {}
        for line_no, d in pending:
            for k, v in parse_directives(d, f"{name}:{line_no}").items():
                if k == "mask":
                    directives.setdefault("mask", []).extend(v)
                else:
                    directives[k] = v
        pending = []
        blocks.append(Block(lang, i + 1, body, i + 1, directives))
        i = j + 1
    classify(blocks, lines, name)
    return blocks


def has_prompts(body):
    first = next((ln for ln in body if ln.strip()), "")
    return bool(PROMPT.match(first))


def classify(blocks, lines, name):
    previous = None   # the last block that ran commands, if no other block came after it
    for n, b in enumerate(blocks):
        d = b.directives
        where = f"{name}:{b.line}"
        if "file" in d:
            b.kind = "file"
        elif "shows" in d:
            b.kind = "shows"
        elif b.lang in SHELLS or (b.lang == "" and has_prompts(b.body)):
            b.kind = "shell"
            b.commands = shell_commands(b, name)
        elif b.lang in PYTHONS:
            b.kind = "python"
            b.commands = [Command("\n".join(b.body), b.line + 1)]
        elif b.lang in RS:
            b.kind = "r"
            b.commands = [Command("\n".join(b.body), b.line + 1)]
        elif b.lang == "" and "skip" not in d:
            adjacent = (previous is not None and n > 0 and previous is blocks[n - 1]
                        and all(not ln.strip() or ANNOTATION.match(ln)
                                for ln in lines[previous.body_start + len(previous.body) + 1:b.line - 1]))
            if not (adjacent or (previous is not None and d.get("output"))):
                raise DocError(f"{where}: a plain block that is not right after a command block: annotate it "
                               "(`output` for the output of the last command block, `shows PATH`, or `skip (why)`)")
            if has_prompts(previous.body):
                raise DocError(f"{where}: an output block after a block with `$` prompts: put it after its prompt")
            b.kind = "output"
            target = previous.commands[0]
            if target.shown is not None:
                raise DocError(f"{where}: a second output block for the block at line {previous.line}")
            target.shown = list(b.body)
            target.shown_span = (b.body_start, b.body_start + len(b.body))
            for k, v in d.items():   # the output block's directives apply to the comparison
                if k == "mask":
                    previous.directives.setdefault("mask", []).extend(v)
                elif k != "output":
                    previous.directives[k] = v
        else:
            b.kind = "other"
        if b.kind in ("shell", "python", "r"):
            statuses = d.get("status", [])
            if len(statuses) == 1:
                statuses = statuses * len(b.commands)
            if statuses and len(statuses) != len(b.commands):
                raise DocError(f"{where}: {len(statuses)} statuses for {len(b.commands)} commands")
            for c, s in zip(b.commands, statuses):
                c.status = s
        previous = b if b.kind in ("shell", "python", "r") else None


def shell_commands(b, name):
    if not has_prompts(b.body):
        return [Command("\n".join(b.body), b.line + 1)]
    commands, k = [], 0
    while k < len(b.body):
        m = PROMPT.match(b.body[k])
        if not m:
            if b.body[k].strip():
                raise DocError(f"{name}:{b.body_start + k + 1}: output before the first `$` prompt")
            k += 1
            continue
        text, start = m.group(1), k
        while text.endswith("\\") and k + 1 < len(b.body):
            k += 1
            text = text + "\n" + b.body[k]
        k += 1
        first_out = k
        while k < len(b.body) and not PROMPT.match(b.body[k]):
            k += 1
        c = Command(text, b.body_start + start + 1, list(b.body[first_out:k]),
                    (b.body_start + first_out, b.body_start + k))
        commands.append(c)
    return commands


# --------------------------------------------------------------------------------------- comparing

def normalise_paths(text, scratch, bin_dir):
    for real, shown in ((str(scratch), SHOWN_STUDY), (str(bin_dir), SHOWN_ROOT + "/build/release"),
                        (str(ROOT), SHOWN_ROOT)):
        text = text.replace(real, shown)
    return text


def normalise_line(line, masks):
    for rx, repl in BUILTIN_MASKS:
        line = rx.sub(repl, line)
    for rx in masks:
        line = rx.sub("#", line)
    return line.rstrip()


def trim(lines):
    lines = [ln.rstrip() for ln in lines]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


ANY = object()


def pattern(line):
    if line.strip() == "...":
        return ANY
    return re.compile(".*".join(re.escape(p) for p in line.split("...")))


def matches(shown, actual, excerpt=False, unordered=False, masks=()):
    """Whether the actual output lines are what the shown lines say (see the module's doc)."""
    shown = [normalise_line(s, masks) for s in trim(shown)]
    actual = [normalise_line(a, masks) for a in trim(actual)]
    pats = [pattern(s) for s in shown]
    if unordered:
        pats = [p for p in pats if p is not ANY]
        free = list(actual)
        for p in pats:
            hit = next((k for k, a in enumerate(free) if p.fullmatch(a)), None)
            if hit is None:
                return False
            free.pop(hit)
        return excerpt or any(p is ANY for p in (pattern(s) for s in shown)) or not free
    if excerpt:
        k = 0
        for p in pats:
            if p is ANY:
                continue
            while k < len(actual) and not p.fullmatch(actual[k]):
                k += 1
            if k == len(actual):
                return False
            k += 1
        return True
    reach = {0}
    for p in pats:
        if p is ANY:
            reach = set(range(min(reach), len(actual) + 1)) if reach else set()
        else:
            reach = {j + 1 for j in reach if j < len(actual) and p.fullmatch(actual[j])}
        if not reach:
            return False
    return len(actual) in reach


def plain(shown, directives):
    """Whether --update may replace the shown output by the actual one."""
    return not (directives.get("excerpt") or directives.get("unordered")
                or any("..." in s for s in shown))


# ----------------------------------------------------------------------------------------- running

class Runner:
    def __init__(self, bin_dir, verbose=False, update=False, keep=False):
        self.bin_dir = Path(bin_dir).resolve()
        self.verbose, self.update, self.keep = verbose, update, keep
        self.failures, self.skipped = [], []

    def base_env(self):
        env = dict(os.environ)
        env["PATH"] = f"{self.bin_dir}{os.pathsep}{env.get('PATH', '')}"
        analysis = str(ROOT / "analysis")
        env["PYTHONPATH"] = analysis + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env["RURALSIM_ANALYSIS_DIR"] = analysis
        env["LC_ALL"] = "C.UTF-8"
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["MPLBACKEND"] = "Agg"
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            env["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
            env["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        for k in ("CDPATH", "BASH_ENV", "ENV"):
            env.pop(k, None)
        return env

    def run_doc(self, doc):
        doc = Path(doc)
        name = os.path.relpath(doc, Path.cwd()) if doc.is_absolute() else str(doc)
        text = doc.read_text()
        try:
            blocks = parse(text, name)
        except DocError as e:
            self.fail(str(e))
            return
        tmp = Path(tempfile.mkdtemp(prefix="ruralsim-docs-"))
        self.scratch = tmp / "study"
        self.scratch.mkdir()
        self.state = tmp / "state"
        self.state.mkdir()
        self.env, self.cwd = self.base_env(), self.scratch
        self.env["TMPDIR"] = str(tmp)
        if SLOWER > 1:
            slower = tmp / "slower"
            slower.mkdir()
            (slower / "timeout").write_text(SLOWER_TIMEOUT.replace("@SCALE@", str(SLOWER)))
            (slower / "timeout").chmod(0o755)
            self.env["PATH"] = f"{slower}{os.pathsep}{self.env['PATH']}"
        edits = []
        t0 = time.monotonic()
        print(f"== {name} (in {self.scratch})", flush=True)
        try:
            for b in blocks:
                self.run_block(name, b, edits)
        finally:
            if not self.keep:
                shutil.rmtree(tmp, ignore_errors=True)
        print(f"== {name}: {time.monotonic() - t0:.0f} s", flush=True)
        if edits:
            lines = text.split("\n")
            for (first, end), new in sorted(edits, reverse=True):
                lines[first:end] = new
            doc.write_text("\n".join(lines))
            print(f"   updated {len(edits)} shown output(s) in {name}")

    def fail(self, message):
        self.failures.append(message)
        print("FAIL " + message, flush=True)

    def run_block(self, name, b, edits):
        d = b.directives
        where = f"{name}:{b.line}"
        if b.kind in ("output", "other") and "skip" not in d:
            return
        if "skip" in d:
            self.skipped.append(f"{where}: {d['skip']}")
            if self.verbose:
                print(f"   skip {where}: {d['skip']}")
            return
        needs = d.get("needs") or ("Rscript" if b.kind == "r" else None)
        if needs and shutil.which(needs, path=self.env["PATH"]) is None:
            self.skipped.append(f"{where}: needs {needs}, which is not installed")
            print(f"   skip {where}: needs {needs}, which is not installed")
            return
        if b.kind == "file":
            path = self.cwd / d["file"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(b.body) + "\n")
            return
        if b.kind == "shows":
            path = self.cwd / d["shows"]
            if not path.is_file():
                self.fail(f"{where}: shows {d['shows']}, which was not written")
                return
            actual = normalise_paths(path.read_text(), self.scratch, self.bin_dir).split("\n")
            c = Command(f"(the file {d['shows']})", b.line, b.body, (b.body_start, b.body_start + len(b.body)))
            self.compare(name, c, actual, d, edits)
            return
        for c in b.commands:
            t = time.monotonic()
            status, out = self.execute(b.kind, c, d, expect_ok=(c.status == 0))
            if self.verbose:
                print(f"   {time.monotonic() - t:6.1f} s  {name}:{c.line}  {first_line(c.text)}", flush=True)
            actual = normalise_paths(out, self.scratch, self.bin_dir).split("\n")
            if status != c.status:
                self.fail(f"{name}:{c.line}: exit status {status}, expected {c.status}\n"
                          f"  command: {indent(c.text)}\n  output:\n{indent(out_tail(actual), 4)}")
                continue
            if c.shown is not None:
                self.compare(name, c, actual, d, edits)

    def compare(self, name, c, actual, d, edits):
        if "varies" in d:
            return
        masks = d.get("mask", [])
        if matches(c.shown, actual, d.get("excerpt"), d.get("unordered"), masks):
            return
        if self.update and plain(c.shown, d):
            keep_blank = [""] if c.shown and not c.shown[-1].strip() and trim(c.shown) else []
            edits.append((c.shown_span, trim(actual) + keep_blank))
            print(f"   update {name}:{c.line}: shown output replaced")
            return
        if self.update:
            print(f"   {name}:{c.line}: edit by hand (excerpt, unordered or with `...`); actual output:\n"
                  + indent("\n".join(trim(actual)), 4))
        exp = [normalise_line(s, masks) for s in trim(c.shown)]
        act = [normalise_line(a, masks) for a in trim(actual)]
        diff = "\n".join(difflib.unified_diff(exp, act, "shown", "actual", lineterm="", n=2))
        mode = " (excerpt: shown lines must appear in order)" if d.get("excerpt") else ""
        mode += " (unordered)" if d.get("unordered") else ""
        self.fail(f"{name}:{c.line}: the output differs from the one shown{mode}\n"
                  f"  command: {indent(c.text)}\n  expected:\n{indent(chr(10).join(c.shown), 4)}\n"
                  f"  actual:\n{indent(out_tail(trim(actual)), 4)}\n  diff (normalised):\n{indent(clip(diff), 4)}")

    def execute(self, kind, c, d, expect_ok):
        """Runs one command in the document's state; returns (status, merged output)."""
        if kind == "python":
            script = self.state / "snippet.py"
            script.write_text(c.text + "\n")
            argv = [sys.executable, str(script)]
        elif kind == "r":
            script = self.state / "snippet.R"
            script.write_text(c.text + "\n")
            argv = ["Rscript", str(script)]
        else:
            script = self.state / "snippet.sh"
            header = [
                f"__snippet_state={shq(self.state)}",
                "trap '__snippet_rc=$?; env -0 > \"$__snippet_state/env\"; pwd > \"$__snippet_state/cwd\";"
                " exit $__snippet_rc' EXIT",
            ]
            if expect_ok:
                header += ["set -e",
                           "trap 'echo \"$((LINENO - %d)) $BASH_COMMAND\" > \"$__snippet_state/failed\"' ERR"
                           % (len(header) + 2)]
            script.write_text("\n".join(header) + "\n" + c.text + "\n")
            for f in ("env", "cwd", "failed"):
                (self.state / f).unlink(missing_ok=True)
            argv = ["bash", str(script)]
            stdbuf = shutil.which("stdbuf")
            if stdbuf:
                argv = [stdbuf, "-oL", "-eL"] + argv
        p = subprocess.Popen(argv, cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            out, _ = p.communicate(timeout=BLOCK_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, 9)
            out, _ = p.communicate()
            out += f"\n[snippets: killed after {BLOCK_TIMEOUT} s]".encode()
        try:
            os.killpg(p.pid, 9)    # whatever the block left running in the background
        except ProcessLookupError:
            pass
        out = out.decode("utf-8", "replace")
        if kind == "shell":
            self.load_state()
            failed = self.state / "failed"
            if p.returncode != 0 and failed.exists() and "\n" in c.text:
                line, _, cmd = failed.read_text().strip().partition(" ")
                out += f"\n[snippets: line {c.line + int(line) - 1} of the document: `{cmd}` failed]"
        return p.returncode, out

    def load_state(self):
        env_file, cwd_file = self.state / "env", self.state / "cwd"
        if env_file.exists():
            env = {}
            for item in env_file.read_bytes().split(b"\0"):
                k, sep, v = item.decode("utf-8", "replace").partition("=")
                if sep and k not in ("_", "SHLVL", "PWD", "OLDPWD", "LD_PRELOAD", "_STDBUF_O", "_STDBUF_E"):
                    env[k] = v
            if os.environ.get("LD_PRELOAD"):
                env["LD_PRELOAD"] = os.environ["LD_PRELOAD"]
            self.env = env
        if cwd_file.exists():
            self.cwd = Path(cwd_file.read_text().strip())


def shq(path):
    return "'" + str(path).replace("'", "'\\''") + "'"


def first_line(text):
    line = text.strip().split("\n")[0]
    return line if len(line) < 100 else line[:97] + "..."


def indent(text, n=0):
    """Lines after the first indented by 11 (n=0: continues a `  command: ` line), or all by n."""
    lines = text.split("\n")
    if n:
        return "\n".join(" " * n + ln for ln in lines)
    return "\n           ".join(lines)


def out_tail(lines, n=80):
    lines = list(lines)
    if len(lines) > n:
        return "\n".join([f"[... {len(lines) - n} lines ...]"] + lines[-n:])
    return "\n".join(lines)


def clip(text, n=120):
    lines = text.split("\n")
    return "\n".join(lines[:n] + ([f"[... {len(lines) - n} more lines]"] if len(lines) > n else []))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("docs", nargs="+", type=Path)
    ap.add_argument("--bin-dir", default=str(ROOT / "build" / "release"),
                    help="folder of the ruralsim program (default: build/release)")
    ap.add_argument("--update", action="store_true", help="rewrite shown outputs that differ (see above)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folders")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each command and its time")
    args = ap.parse_args(argv)
    if not (Path(args.bin_dir) / "ruralsim").exists():
        print(f"run_snippets: no ruralsim in {args.bin_dir} (give --bin-dir)", file=sys.stderr)
        return 2
    r = Runner(args.bin_dir, args.verbose, args.update, args.keep)
    t0 = time.monotonic()
    for doc in args.docs:
        r.run_doc(doc)
    print(f"\n{len(r.skipped)} block(s) skipped:" if r.skipped else "\nno block skipped")
    for s in r.skipped:
        print("  " + s)
    print(f"{len(r.failures)} failure(s); {time.monotonic() - t0:.0f} s in all")
    if r.failures:
        print("\nFailures:\n\n" + "\n\n".join(r.failures))
    return 1 if r.failures else 0


if __name__ == "__main__":
    sys.exit(main())
