"""Tests of run_snippets.py itself, on small Markdown samples that need no ruralsim.

    /usr/bin/python3 -m unittest -v test_run_snippets      (in tests/docs)
"""

import contextlib
import io
from unittest import mock
import tempfile
import textwrap
import unittest
from pathlib import Path

import run_snippets as rs

FENCE = "```"

SAMPLE = textwrap.dedent("""\
    # Sample

    A command block and its output:

    ```sh
    export GREETING=hello
    mkdir -p sub && cd sub
    echo "$GREETING from $(basename "$PWD")"
    ```

    ```
    hello from sub
    ```

    Prompts, each with its output; the folder and variables carry over:

    <!-- snippet: status 0 3 -->
    ```
    $ printf 'a\\nb\\nc\\n' > letters.txt && cat letters.txt
    a
    b
    c
    $ echo "$GREETING again"; exit 3
    hello again
    ```

    A trimmed output:

    ```sh
    seq 1 10
    ```

    <!-- snippet: excerpt -->
    ```
    2
    5
    9
    ```

    Elided lines and text:

    ```console
    $ seq 1 5; echo "took 0.51 s on 2 threads"
    1
    ...
    5
    took 0.97 s on 8 threads
    ```

    <!-- snippet: skip (would install packages) -->
    ```sh
    apt-get install -y something
    ```

    <!-- snippet: file data.txt -->
    ```text
    x y
    ```

    <!-- snippet: shows data.txt -->
    ```
    x y
    ```

    ```python
    import os
    print(os.environ["GREETING"], open("letters.txt").read().split())
    ```

    ```
    hello ['a', 'b', 'c']
    ```

    <!-- snippet: unordered -->
    ```
    $ printf 'two\\none\\n'
    one
    two
    ```
    """)


def run(text, update=False):
    """Runs a Markdown text as a document; returns (runner, printed text, document text after)."""
    with tempfile.TemporaryDirectory() as d:
        doc = Path(d) / "doc.md"
        doc.write_text(text)
        r = rs.Runner(d, update=update)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            r.run_doc(doc)
        return r, out.getvalue(), doc.read_text()


class Parsing(unittest.TestCase):
    def test_blocks_commands_and_shown_outputs(self):
        blocks = rs.parse(SAMPLE, "sample.md")
        kinds = [b.kind for b in blocks]
        self.assertEqual(kinds, ["shell", "output", "shell", "shell", "output", "shell", "shell", "file", "shows",
                                 "python", "output", "shell"])
        first = blocks[0].commands
        self.assertEqual(len(first), 1)                         # a script block is one command
        self.assertEqual(first[0].shown, ["hello from sub"])
        prompts = blocks[2].commands
        self.assertEqual([c.text for c in prompts],
                         ["printf 'a\\nb\\nc\\n' > letters.txt && cat letters.txt", 'echo "$GREETING again"; exit 3'])
        self.assertEqual(prompts[0].shown, ["a", "b", "c"])
        self.assertEqual([c.status for c in prompts], [0, 3])
        self.assertTrue(blocks[3].directives["excerpt"])          # the output block's directive
        self.assertEqual(blocks[6].directives["skip"], "would install packages")
        self.assertEqual(blocks[7].directives["file"], "data.txt")

    def test_unattached_plain_block_is_an_error(self):
        text = f"Text\n\n{FENCE}\nsome output\n{FENCE}\n"
        with self.assertRaisesRegex(rs.DocError, "doc:3: a plain block"):
            rs.parse(text, "doc")

    def test_plain_block_after_prose_needs_output_annotation(self):
        text = f"{FENCE}sh\necho hi\n{FENCE}\n\nIt says:\n\n{FENCE}\nhi\n{FENCE}\n"
        with self.assertRaises(rs.DocError):
            rs.parse(text, "doc")
        blocks = rs.parse(text.replace("It says:\n\n", "It says:\n\n<!-- snippet: output -->\n"), "doc")
        self.assertEqual(blocks[0].commands[0].shown, ["hi"])

    def test_skip_needs_a_reason_and_annotations_touch_the_fence(self):
        with self.assertRaisesRegex(rs.DocError, "reason"):
            rs.parse(f"<!-- snippet: skip -->\n{FENCE}sh\nls\n{FENCE}\n", "doc")
        with self.assertRaisesRegex(rs.DocError, "directly before a fence"):
            rs.parse(f"<!-- snippet: skip (why) -->\n\n{FENCE}sh\nls\n{FENCE}\n", "doc")
        with self.assertRaisesRegex(rs.DocError, "unknown snippet directive"):
            rs.parse(f"<!-- snippet: skipp (why) -->\n{FENCE}sh\nls\n{FENCE}\n", "doc")


class Matching(unittest.TestCase):
    def test_exact_excerpt_wildcards_and_masks(self):
        actual = ["a", "b 0.5 s", "c", "d"]
        self.assertTrue(rs.matches(["a", "b 9 s", "c", "d"], actual))            # durations are masked
        self.assertFalse(rs.matches(["a", "c", "d"], actual))                   # exact: no line may be missing
        self.assertTrue(rs.matches(["a", "c", "d"], actual, excerpt=True))
        self.assertFalse(rs.matches(["c", "a"], actual, excerpt=True))          # excerpt keeps the order
        self.assertTrue(rs.matches(["a", "...", "d"], actual))
        self.assertTrue(rs.matches(["a", "b...", "...", "d"], actual))
        self.assertFalse(rs.matches(["a", "...", "x"], actual))
        self.assertTrue(rs.matches(["d", "c", "b 1 s", "a"], actual, unordered=True))
        self.assertFalse(rs.matches(["d", "c", "a"], actual, unordered=True))
        self.assertTrue(rs.matches(["step 7 of 60"], ["step 25 of 60"], masks=[rs.re.compile(r"\d+ of 60")]))


class Running(unittest.TestCase):
    def test_sample_runs_as_shown(self):
        r, printed, _ = run(SAMPLE)
        self.assertEqual(r.failures, [], printed)
        self.assertEqual(len(r.skipped), 1)
        self.assertIn("would install packages", r.skipped[0])

    def test_a_wrong_shown_output_fails_with_line_command_and_both_outputs(self):
        r, _, _ = run(SAMPLE.replace("hello from sub\n", "hello from elsewhere\n"))
        self.assertEqual(len(r.failures), 1)
        message = r.failures[0]
        self.assertIn("doc.md:6: the output differs", message)
        self.assertIn('echo "$GREETING from', message)
        self.assertIn("-hello from elsewhere", message)
        self.assertIn("+hello from sub", message)

    def test_a_wrong_excerpt_and_a_wrong_status_fail(self):
        r, _, _ = run(SAMPLE.replace("2\n5\n9\n", "2\n11\n"))
        self.assertEqual(len(r.failures), 1, r.failures)
        self.assertIn("excerpt", r.failures[0])
        r, _, _ = run(SAMPLE.replace("<!-- snippet: status 0 3 -->", "<!-- snippet: status 0 4 -->"))
        self.assertEqual(len(r.failures), 1, r.failures)
        self.assertIn("exit status 3, expected 4", r.failures[0])

    def test_a_failing_command_in_a_script_names_its_line(self):
        r, _, _ = run(f"Intro\n\n{FENCE}sh\ntrue\nfalse\necho never\n{FENCE}\n")
        self.assertEqual(len(r.failures), 1)
        self.assertIn("exit status 1, expected 0", r.failures[0])
        self.assertIn("line 5 of the document: `false` failed", r.failures[0])

    def test_update_rewrites_plain_outputs_only(self):
        text = SAMPLE.replace("hello from sub\n", "stale\n").replace("hello again\n", "stale too\n")
        r, _, after = run(text, update=True)
        self.assertEqual(r.failures, [])
        self.assertEqual(after, SAMPLE)
        r, _, after = run(SAMPLE.replace("2\n5\n9\n", "2\n11\n"), update=True)
        self.assertEqual(len(r.failures), 1)                  # an excerpt is edited by hand

    def test_timeouts_in_a_document_are_longer_in_a_slower_build(self):
        # A document's `timeout` is written for a release build; a sanitizer build's tests say how
        # much slower it runs, and the duration grows with it.
        doc = f"Intro\n\n<!-- snippet: status STATUS -->\n{FENCE}\n$ timeout 0.3 sleep 1 && echo slept\nSHOWN{FENCE}\n"
        r, printed, _ = run(doc.replace("STATUS", "124").replace("SHOWN", ""))
        self.assertEqual(r.failures, [], printed)
        with mock.patch.object(rs, "SLOWER", 5):
            r, printed, _ = run(doc.replace("STATUS", "0").replace("SHOWN", "slept\n"))
        self.assertEqual(r.failures, [], printed)


if __name__ == "__main__":
    unittest.main()
