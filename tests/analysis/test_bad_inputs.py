"""Bad inputs to `ruralsim compare`: each gets a clear message naming the file and the problem."""

import errno
import json
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import unittest
from pathlib import Path

import pandas as pd

import support
from ruralsim_analysis import errors  # noqa: E402  (support puts the package on the path)


class BadInputs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        support.binary()
        cls.tmp = Path(tempfile.mkdtemp(prefix="ruralsim-bad-"))
        cls.base = support.run_ensemble("baseline", cls.tmp / "baseline", 3, months=12)
        cls.other = support.run_ensemble("land_quota_0", cls.tmp / "quota0", 3, months=12)
        cls.n = 0

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def fresh(self, name):
        """A new folder for one test."""
        type(self).n += 1
        d = self.tmp / f"case{self.n}-{name}"
        d.mkdir()
        return d

    def copy_ensemble(self, src, name):
        d = self.fresh(name)
        for f in Path(src).iterdir():
            shutil.copy(f, d / f.name)
        return d

    def compare(self, *args, program=False):
        """compare in this process; program=True: through `ruralsim compare` (a new interpreter)."""
        out = self.fresh("out")
        if program:
            p = support.ruralsim("compare", *args, "-o", out, "--no-plots")
        else:
            p = support.in_process("compare", *args, "-o", out, "--no-plots")
        return p, out

    def edit(self, path, **attrs):
        import h5py
        with h5py.File(path, "r+") as f:
            for k, v in attrs.items():
                f.attrs[k] = v

    # ------------------------------------------------------------------------------------------
    def test_good_inputs_pass(self):
        p, out = self.compare(self.base, self.other)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("warning", p.stderr)

    def test_different_model_versions(self):
        d = self.copy_ensemble(self.other, "version")
        self.edit(d / "land_quota_0-r1.h5", model_version="0.1.9")
        p, _ = self.compare(self.base, d, program=True)
        self.assertEqual(p.returncode, errors.INVALID_INPUT)
        self.assertIn("different model versions", p.stderr)
        self.assertIn("0.1.9", p.stderr)
        self.assertIn("land_quota_0-r1.h5", p.stderr)

    def test_unsupported_format_version(self):
        d = self.fresh("format")
        f = d / "baseline-r0.h5"
        shutil.copy(self.base / "baseline-r0.h5", f)
        self.edit(f, format_version="7")
        p, _ = self.compare(f, self.other)
        self.assertEqual(p.returncode, errors.INVALID_INPUT)
        self.assertIn(str(f), p.stderr)
        self.assertIn("format version 7 is not supported", p.stderr)

    def test_format_1_file(self):
        d = self.fresh("format1")
        f = d / "baseline-r0.h5"
        shutil.copy(self.base / "baseline-r0.h5", f)
        self.edit(f, format_version="1")
        p, _ = self.compare(f, self.other, program=True)
        self.assertEqual(p.returncode, errors.INVALID_INPUT)
        self.assertIn(f"{f}: written by an older ruralsim (format 1); re-run it", p.stderr)

    def test_file_without_a_description(self):
        import h5py
        d = self.fresh("nodescription")
        f = d / "baseline-r0.h5"
        shutil.copy(self.base / "baseline-r0.h5", f)
        with h5py.File(f, "r+") as h:
            del h.attrs["model_description"]
        p, _ = self.compare(f, self.other)
        self.assertEqual(p.returncode, errors.INVALID_INPUT)
        self.assertIn(f"{f}: no model description (root attribute model_description)", p.stderr)

    def description(self, path):
        import h5py
        with h5py.File(path, "r") as h:
            return json.loads(h.attrs["model_description"])

    def describe(self, path, d):
        self.edit(path, model_description=json.dumps(d))

    def test_runs_with_different_descriptions(self):
        d = self.copy_ensemble(self.other, "described")
        f = d / "land_quota_0-r1.h5"
        desc = self.description(f)
        desc["indicators"][0]["label"] = "Residents, relabelled"
        self.describe(f, desc)
        p, _ = self.compare(self.base, d, program=True)
        self.assertEqual(p.returncode, errors.INVALID_INPUT)
        self.assertIn("the inputs describe their model differently", p.stderr)
        self.assertIn("land_quota_0-r1.h5", p.stderr)
        self.assertIn("baseline-r0.h5", p.stderr)

    def test_model_of_another_analysis_package(self):
        d = self.fresh("package")
        f = d / "baseline-r0.h5"
        shutil.copy(self.base / "baseline-r0.h5", f)
        desc = self.description(f)
        desc["analysis"]["package"] = "other_analysis"
        self.describe(f, desc)
        p, _ = self.compare(f)
        self.assertEqual(p.returncode, errors.INVALID_INPUT)
        self.assertIn(f"{f}: model 'transition' names the analysis package 'other_analysis'", p.stderr)

    def test_formula_outside_the_language(self):
        d = self.fresh("formula")
        f = d / "baseline-r0.h5"
        shutil.copy(self.base / "baseline-r0.h5", f)
        desc = self.description(f)
        for i in desc["indicators"]:
            if i["name"] == "return_rate":
                i["formula"] = "sum(returns_to_poverty) ** 2 / last(pa_households)"
        self.describe(f, desc)
        p, _ = self.compare(f, program=True)
        self.assertEqual(p.returncode, errors.INVALID_INPUT)
        self.assertIn(f"{f}: model description: indicator 'return_rate': formula "
                      f"'sum(returns_to_poverty) ** 2 / last(pa_households)' is outside the formula language",
                      p.stderr)

    def test_missing_dataset_is_a_schema_error(self):
        import h5py
        d = self.copy_ensemble(self.other, "schema")
        with h5py.File(d / "land_quota_0-r2.h5", "r+") as f:
            del f["county"]["returns_to_poverty"]
        p, _ = self.compare(self.base, d)
        self.assertEqual(p.returncode, errors.INVALID_INPUT)
        self.assertIn("land_quota_0-r2.h5", p.stderr)
        self.assertIn("/county/returns_to_poverty", p.stderr)

    def test_uneven_ensembles_pair_common_replicates(self):
        d = self.copy_ensemble(self.other, "uneven")
        index = json.loads((d / "ensemble.json").read_text())
        index["members"] = index["members"][:2]          # replicates 0 and 1 only
        (d / "ensemble.json").write_text(json.dumps(index))
        p, out = self.compare(self.base, d)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("uneven ensembles", p.stderr)
        self.assertIn("use the 2 replicates both have", p.stderr)
        s = pd.read_csv(out / "summary.csv")
        self.assertEqual(set(s[(s.scenario == "baseline") & (s.n > 0)].n), {3})
        self.assertEqual(set(s[(s.scenario == "land_quota_0") & (s.n > 0)].n), {2})
        diffs = pd.read_csv(out / "differences.csv")
        self.assertEqual(set(diffs[diffs.n_pairs > 0].n_pairs), {2})

    def test_missing_member_file(self):
        d = self.copy_ensemble(self.other, "missing")
        (d / "land_quota_0-r1.h5").unlink()
        p, out = self.compare(self.base, d)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("land_quota_0-r1.h5: skipped (replicate 1 missing", p.stderr)
        s = pd.read_csv(out / "summary.csv")
        self.assertEqual(set(s[(s.scenario == "land_quota_0") & (s.n > 0)].n), {2})

    def test_incomplete_run_is_skipped_not_averaged(self):
        d = self.copy_ensemble(self.other, "incomplete")
        self.edit(d / "land_quota_0-r2.h5", complete=0, status="interrupted")
        p, out = self.compare(self.base, d)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stderr, r"land_quota_0-r2\.h5: skipped \(incomplete run \(status 'interrupted'")
        s = pd.read_csv(out / "summary.csv")
        self.assertEqual(set(s[(s.scenario == "land_quota_0") & (s.n > 0)].n), {2})
        runs = pd.read_csv(out / "runs.csv")
        self.assertNotIn("land_quota_0-r2.h5", " ".join(runs.file))

    def test_failed_member_in_index(self):
        d = self.copy_ensemble(self.other, "failed")
        index = json.loads((d / "ensemble.json").read_text())
        index["members"][0].update(status="failed", error="disk full")
        (d / "ensemble.json").write_text(json.dumps(index))
        p, _ = self.compare(self.base, d)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("land_quota_0-r0.h5: skipped (replicate 0 failed: disk full", p.stderr)

    def test_partial_file_is_skipped(self):
        d = self.fresh("partial")
        partial = d / "land_quota_0-r0.h5.partial"
        shutil.copy(self.other / "land_quota_0-r0.h5", partial)
        self.edit(partial, complete=0, status="running")
        p, _ = self.compare(self.base, self.other / "land_quota_0-r1.h5", partial)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(f"{partial}: skipped (unfinished output (.partial; incomplete run (status 'running'", p.stderr)

    def test_only_incomplete_runs(self):
        d = self.fresh("allbad")
        f = d / "x.h5"
        shutil.copy(self.other / "land_quota_0-r0.h5", f)
        self.edit(f, complete=0, status="failed")
        p, _ = self.compare(f)
        self.assertEqual(p.returncode, errors.INVALID_INPUT)
        self.assertIn("no complete run among the inputs", p.stderr)

    def test_baseline_not_among_inputs(self):
        p, _ = self.compare(self.base, self.other, "--baseline", "no_tilt", program=True)
        self.assertEqual(p.returncode, errors.USAGE)
        self.assertIn("baseline 'no_tilt' is not among the inputs (scenarios: baseline, land_quota_0)", p.stderr)

    def test_not_a_ruralsim_output(self):
        d = self.fresh("junk")
        text = d / "notes.h5"
        text.write_text("just text\n")
        p, _ = self.compare(self.base, text, program=True)
        self.assertEqual(p.returncode, errors.INVALID_INPUT)
        self.assertIn(f"{text}: not a ruralsim output (not an HDF5 file)", p.stderr)
        import h5py
        other = d / "other.h5"
        with h5py.File(other, "w") as f:
            f["x"] = [1, 2, 3]
        p, _ = self.compare(self.base, other)
        self.assertEqual(p.returncode, errors.INVALID_INPUT)
        self.assertIn(f"{other}: not a ruralsim output (no root attribute model", p.stderr)
        bad_index = d / "ensemble.json"
        bad_index.write_text("{not json")
        p, _ = self.compare(self.base, bad_index)
        self.assertEqual(p.returncode, errors.INVALID_INPUT)
        self.assertIn(f"{bad_index}: not a ruralsim ensemble index", p.stderr)
        p, _ = self.compare(self.base, d / "nothing-here.h5")
        self.assertEqual(p.returncode, errors.IO)
        self.assertIn("nothing-here.h5: no such file", p.stderr)

    def test_no_replicate_in_common(self):
        d = self.fresh("disjoint")
        support.run_ensemble("land_quota_0", d, months=12, replicate_list=[7])
        p, _ = self.compare(self.base, d)
        self.assertEqual(p.returncode, errors.INVALID_INPUT)
        self.assertIn("cannot pair 'land_quota_0' with the baseline 'baseline': no replicate in common", p.stderr)

    def test_same_replicate_twice(self):
        f = self.base / "baseline-r0.h5"
        p, _ = self.compare(self.base, f)
        self.assertEqual(p.returncode, errors.INVALID_INPUT)
        self.assertIn("replicate 0 of 'baseline' is given twice", p.stderr)

    def test_labels_and_unknown_indicator(self):
        p, out = self.compare(f"policy={self.base}", f"zero={self.other}", "--indicators", "income", "poverty")
        self.assertEqual(p.returncode, 0, p.stderr)
        s = pd.read_csv(out / "summary.csv")
        self.assertEqual(set(s.scenario), {"policy", "zero"})
        self.assertIn("income_per_capita", set(s.indicator))
        self.assertNotIn("spend_total", set(s.indicator))
        p, _ = self.compare(self.base, self.other, "--indicators", "income_per_capta")
        self.assertEqual(p.returncode, errors.USAGE)
        self.assertIn("unknown indicator 'income_per_capta'; did you mean income_per_capita", p.stderr)

    # -- inputs after --indicators NAMES... (argparse gives them to --indicators) ---------------------
    def test_inputs_after_indicators(self):
        p, out = self.compare("--indicators", "income", self.base, self.other)
        self.assertEqual(p.returncode, 0, p.stderr)
        s = pd.read_csv(out / "summary.csv")
        self.assertEqual(set(s.scenario), {"baseline", "land_quota_0"})
        self.assertIn("income_per_capita", set(s.indicator))
        self.assertNotIn("returns_to_poverty", set(s.indicator))
        self.assertIn("baseline 'baseline'", p.stdout)   # the first input is still the default baseline
        # inputs on both sides, LABEL=PATH, several names before them
        p, out = self.compare(self.base, "--indicators", "poverty", "indicator:income", f"zero={self.other}")
        self.assertEqual(p.returncode, 0, p.stderr)
        s = pd.read_csv(out / "summary.csv")
        self.assertEqual(set(s.scenario), {"baseline", "zero"})
        self.assertIn("income", set(s.indicator))
        self.assertIn("returns_to_poverty", set(s.indicator))
        self.assertNotIn("income_per_capita", set(s.indicator))

    def test_words_after_indicators_that_are_neither(self):
        # no input at all: a usage error that says what was read as indicators
        p, _ = self.compare("--indicators", "income", "nosuch")
        self.assertEqual(p.returncode, 2)
        self.assertIn("INPUT required", p.stderr)
        self.assertIn("'income', 'nosuch' after --indicators are read as indicators", p.stderr)
        # a word that is neither an indicator nor a file, inputs given
        p, _ = self.compare(self.base, "--indicators", "income", "nosuch")
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown indicator 'nosuch'", p.stderr)
        self.assertIn("not an existing file or folder either", p.stderr)
        # a path that does not exist is a missing input, not an unknown indicator
        p, _ = self.compare("--indicators", "income", self.base, self.tmp / "missing-ensemble")
        self.assertEqual(p.returncode, 4)
        self.assertIn("missing-ensemble: no such file", p.stderr)

    def test_inputs_after_indicators_through_the_program(self):
        p, out = self.compare("--indicators", "key", self.base, self.other, program=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Δ land_quota_0", p.stdout)


class ExitStatus(unittest.TestCase):
    """One table of exit statuses for every command of the package, the engine's
    (sim/core/error.hpp): 2 usage, 3 invalid input, 4 io (a missing input), 130 interrupted."""

    COMMANDS = ("compare", "report", "sensitivity", "sweep")

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="ruralsim-status-"))
        cls.text = cls.tmp / "x.h5"
        cls.text.write_text("not HDF5 at all\n")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_command(self, command, *args):
        out = self.tmp / f"out-{command}"
        extra = {"compare": ["-o", out, "--no-plots"], "report": ["-o", out], "sensitivity": ["--out", out],
                 "sweep": []}[command]
        return support.in_process(command, *args, *extra)

    def test_missing_input_is_4(self):
        for command in self.COMMANDS:
            with self.subTest(command=command):
                p = self.run_command(command, self.tmp / "nothing-here")
                self.assertEqual(p.returncode, 4, p.stderr)
                self.assertIn("nothing-here", p.stderr)

    def test_malformed_input_is_3(self):
        for command in self.COMMANDS:
            with self.subTest(command=command):
                p = self.run_command(command, self.text)
                self.assertEqual(p.returncode, 3, p.stderr)
                self.assertIn(str(self.text), p.stderr)
                self.assertIn("not", p.stderr)    # "not an HDF5 file", "not a ruralsim ..."

    def test_bad_option_is_2(self):
        for command in self.COMMANDS:
            with self.subTest(command=command):
                p = self.run_command(command, self.text, "--no-such-option")
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn("--no-such-option", p.stderr)
        self.assertEqual(self.run_command("compare").returncode, 2)                 # no INPUT
        self.assertEqual(self.run_command("sensitivity", self.tmp, "--confidence", "2").returncode, 2)

    def test_interrupt_is_130(self):
        from unittest import mock

        from ruralsim_analysis import load
        for command in ("compare", "report"):
            with self.subTest(command=command), \
                    mock.patch.object(load, "load_inputs", side_effect=KeyboardInterrupt):
                try:
                    p = self.run_command(command, self.text)
                except KeyboardInterrupt:
                    self.fail("KeyboardInterrupt escaped the command")
                self.assertEqual(p.returncode, 130, p.stderr)
                self.assertIn("interrupted", p.stderr)

    def test_sigterm_is_130(self):
        """SIGTERM while the command waits on its input (a FIFO named like a run)."""
        import os
        import signal
        import subprocess
        import time
        fifo = self.tmp / "waiting.h5"
        os.mkfifo(fifo)
        env = support.env()
        env["PYTHONPATH"] = str(support.ANALYSIS)
        p = subprocess.Popen([support.PYTHON, "-m", "ruralsim_analysis", "compare", str(fifo)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        writer = None
        try:
            deadline = time.monotonic() + 30
            while writer is None:   # opening the writing end succeeds once compare reads the FIFO
                try:
                    writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                except OSError:
                    if time.monotonic() > deadline or p.poll() is not None:
                        self.fail(f"compare did not open its input: {p.communicate(timeout=5)}")
                    time.sleep(0.05)
            p.send_signal(signal.SIGTERM)
            _, err = p.communicate(timeout=30)
        finally:
            if p.poll() is None:
                p.kill()
            if writer is not None:
                os.close(writer)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("interrupted", err)



def _limited(fsize):
    """preexec_fn of a child whose files may grow to fsize bytes only: a full disk (writes
    past it fail with EFBIG; SIGXFSZ, which would kill the child, ignored)."""
    def pre():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    return pre


class OutputFailures(unittest.TestCase):
    """An output that cannot be written (a full disk, a folder that cannot be made: its parent is
    a file, which stops root too): exit 4, one line naming the file and the system's reason, no
    traceback, and no 0-byte, partial or temporary file left (each file is written beside itself
    and renamed into place when whole)."""

    FULL = os.strerror(errno.EFBIG)       # "File too large"
    NOTDIR = os.strerror(errno.ENOTDIR)   # "Not a directory"

    @classmethod
    def setUpClass(cls):
        support.binary()
        cls.tmp = Path(tempfile.mkdtemp(prefix="ruralsim-write-"))
        cls.base = support.run_ensemble("baseline", cls.tmp / "baseline", 2, months=12)
        cls.other = support.run_ensemble("land_quota_0", cls.tmp / "quota0", 2, months=12)
        sweep = cls.tmp / "s.yaml"
        sweep.write_text("set: {population.scale: 0.002, run.months: 3}\n"
                         "parameters:\n"
                         "  - {key: labour.migrant_wage, min: 3000, max: 6000}\n"
                         "  - {key: behaviour.consumption_share, min: 0.6, max: 0.95, name: consumption}\n"
                         "design: {type: sobol, samples: 4, seed: 1}\n"
                         "outputs: [income_per_capita]\n")
        cls.sweep = cls.tmp / "sweep"
        support.ruralsim("sweep", "run", sweep, "-o", cls.sweep, "-q", check=True)
        cls.n = 0

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def fresh(self, name):
        type(self).n += 1
        d = self.tmp / f"case{self.n}-{name}"
        d.mkdir()
        return d

    def program(self, *args, fsize=None, module=False):
        """`ruralsim ARGS` (module: `python -m ruralsim_analysis ARGS`), its files limited to fsize bytes."""
        env = support.env()
        if module:
            env["PYTHONPATH"] = str(support.ANALYSIS)
            cmd = [support.PYTHON, "-m", "ruralsim_analysis"]
        else:
            cmd = [support.binary()]
        return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, env=env, timeout=300,
                              preexec_fn=None if fsize is None else _limited(fsize))

    def files(self, folder):
        """The files under folder (hidden ones included), relative to it."""
        return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*") if not p.is_dir())

    def assert_cannot_write(self, p, command, path, reason):
        self.assertEqual(p.returncode, errors.IO, p.stderr)
        self.assertNotIn("Traceback", p.stderr)
        message = f"ruralsim {command}: error: cannot write {path}: {reason}"
        self.assertEqual(p.stderr.rstrip("\n").splitlines()[-1], message, p.stderr)
        self.assertEqual(sum(": error:" in line for line in p.stderr.splitlines()), 1, p.stderr)

    def assert_left(self, folder, expected=()):
        left = self.files(folder)
        self.assertEqual(left, sorted(expected))
        self.assertFalse([f for f in left if f.endswith(".tmp")], left)
        for f in left:
            self.assertGreater((Path(folder) / f).stat().st_size, 0, f)

    # ------------------------------------------------------------------------------------------
    def test_compare_on_a_full_disk(self):
        d = self.fresh("compare-full")
        out = d / "out"
        p = self.program("compare", self.base, self.other, "-o", out, "--no-plots", "-q", fsize=64 << 10)
        self.assert_cannot_write(p, "compare", out / "summary.csv", self.FULL)
        self.assert_left(d)

    def test_compare_keeps_an_existing_output_on_a_full_disk(self):
        """A failed write leaves the earlier output as it was; one that succeeds replaces it (no
        command refuses to overwrite an analysis output: no exit 5, as before)."""
        d = self.fresh("compare-existing")
        out = d / "out"
        out.mkdir()
        (out / "summary.csv").write_text("earlier\n")
        p = self.program("compare", self.base, self.other, "-o", out, "--no-plots", "-q", fsize=64 << 10)
        self.assert_cannot_write(p, "compare", out / "summary.csv", self.FULL)
        self.assert_left(d, ["out/summary.csv"])
        self.assertEqual((out / "summary.csv").read_text(), "earlier\n")
        p = support.in_process("compare", self.base, self.other, "-o", out, "--no-plots", "-q")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue((out / "summary.csv").read_text().startswith("level,"))
        self.assert_left(d, [f"out/{f}" for f in ("summary.csv", "differences.csv", "cost_effectiveness.csv",
                                                   "runs.csv", "comparison.md")])

    def test_compare_into_a_file(self):
        d = self.fresh("compare-notdir")
        (d / "file").write_text("a file\n")
        p = self.program("compare", self.base, self.other, "-o", d / "file" / "out", "--no-plots", "-q")
        self.assert_cannot_write(p, "compare", d / "file" / "out" / "summary.csv", self.NOTDIR)
        self.assert_left(d, ["file"])
        self.assertEqual((d / "file").read_text(), "a file\n")

    def test_compare_plots_into_a_file(self):
        """The plots (the last outputs written) cannot be: the tables before them are whole."""
        d = self.fresh("compare-plots")
        out = d / "out"
        out.mkdir()
        (out / "plots").write_text("a file\n")
        p = self.program("compare", self.base, self.other, "-o", out, "-q")
        self.assert_cannot_write(p, "compare", out / "plots" / "trajectories-1.png", self.NOTDIR)
        tables = ["summary.csv", "differences.csv", "cost_effectiveness.csv", "runs.csv", "comparison.md"]
        self.assert_left(out, tables + ["plots"])
        self.assertEqual(len(pd.read_csv(out / "runs.csv")), 4)   # whole: every run of both ensembles

    def test_report_on_a_full_disk(self):
        # 512 KiB: room for each plot (written to a temporary folder, then embedded), not for the page
        d = self.fresh("report-full")
        out = d / "out"
        p = self.program("report", self.base, self.other, "-o", out, "-q", fsize=512 << 10)
        self.assert_cannot_write(p, "report", out / "index.html", self.FULL)
        self.assert_left(d)

    def test_report_into_a_file(self):
        d = self.fresh("report-notdir")
        (d / "file").write_text("a file\n")
        p = self.program("report", self.base, self.other, "-o", d / "file" / "out", "-q")
        self.assert_cannot_write(p, "report", d / "file" / "out" / "index.html", self.NOTDIR)
        self.assert_left(d, ["file"])

    def sensitivity(self, out, fsize=None):
        return self.program("sensitivity", self.sweep, "--indicator", "income_per_capita", "--bootstrap", "20",
                            "--out", out, fsize=fsize)

    def test_sensitivity_on_a_full_disk(self):
        d = self.fresh("sensitivity-full")
        p = self.sensitivity(d / "out", fsize=100)
        self.assert_cannot_write(p, "sensitivity", d / "out" / "income_per_capita.csv", self.FULL)
        self.assert_left(d)

    def test_sensitivity_plot_on_a_full_disk(self):
        """Room for the table (about 200 bytes), not for the plot: the table is whole, no plot is left."""
        d = self.fresh("sensitivity-plot")
        p = self.sensitivity(d / "ref")
        self.assertEqual(p.returncode, 0, p.stderr)
        p = self.sensitivity(d / "out", fsize=8 << 10)
        self.assert_cannot_write(p, "sensitivity", d / "out" / "income_per_capita.png", self.FULL)
        self.assert_left(d / "out", ["income_per_capita.csv"])
        self.assertEqual((d / "out" / "income_per_capita.csv").read_bytes(),
                         (d / "ref" / "income_per_capita.csv").read_bytes())

    def test_sensitivity_into_a_file(self):
        d = self.fresh("sensitivity-notdir")
        (d / "file").write_text("a file\n")
        p = self.sensitivity(d / "file" / "out")
        self.assert_cannot_write(p, "sensitivity", d / "file" / "out" / "income_per_capita.csv", self.NOTDIR)
        self.assert_left(d, ["file"])

    def test_sweep_csv_on_a_full_disk(self):
        d = self.fresh("sweep-full")
        p = self.program("sweep", self.sweep, "--csv", d / "tasks.csv", fsize=100, module=True)
        self.assert_cannot_write(p, "sweep", d / "tasks.csv", self.FULL)
        self.assert_left(d)

    def test_sweep_csv_into_a_file(self):
        d = self.fresh("sweep-notdir")
        (d / "file").write_text("a file\n")
        p = self.program("sweep", self.sweep, "--csv", d / "file" / "tasks.csv", module=True)
        self.assert_cannot_write(p, "sweep", d / "file" / "tasks.csv", self.NOTDIR)
        self.assert_left(d, ["file"])

    def test_interrupt_while_writing_leaves_no_file(self):
        """Ctrl-C in the middle of writing a table: exit 130, and neither the part written nor a
        temporary file is left."""
        from unittest import mock
        real = pd.DataFrame.to_csv

        def interrupted(df, target=None, *args, **kwargs):
            text = real(df, None, *args, **kwargs)
            if hasattr(target, "write"):
                target.write(text[:100])
            else:
                with open(target, "w") as f:
                    f.write(text[:100])
            raise KeyboardInterrupt

        d = self.fresh("interrupt")
        with mock.patch.object(pd.DataFrame, "to_csv", interrupted):
            p = support.in_process("compare", self.base, self.other, "-o", d / "out", "--no-plots", "-q")
        self.assertEqual(p.returncode, errors.INTERRUPTED, p.stderr)
        self.assertIn("interrupted", p.stderr)
        self.assert_left(d)

    def test_temporary_file_is_new_and_never_a_link(self):
        """The temporary is created exclusively: a link planted under its name is neither followed
        nor removed; another name is drawn."""
        from unittest import mock

        from ruralsim_analysis import outfile
        d = self.fresh("link")
        victim = d / "victim.txt"
        victim.write_text("keep\n")
        os.symlink(victim, d / ".out.csv.aaaa.tmp")
        with mock.patch.object(outfile.secrets, "token_hex", side_effect=["aaaa", "bbbb"]):
            with outfile.replacing(d / "out.csv") as f:
                f.write("new\n")
        self.assertEqual(victim.read_text(), "keep\n")
        self.assertEqual((d / "out.csv").read_text(), "new\n")
        self.assertTrue((d / ".out.csv.aaaa.tmp").is_symlink())
        self.assertEqual(self.files(d), [".out.csv.aaaa.tmp", "out.csv", "victim.txt"])

class Dispatch(unittest.TestCase):
    def test_module_lists_commands_and_rejects_unknown(self):
        import subprocess
        env = support.env()
        env["PYTHONPATH"] = str(support.ANALYSIS)
        p = subprocess.run([support.PYTHON, "-m", "ruralsim_analysis", "--help"], capture_output=True, text=True,
                           env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("compare", p.stdout)
        self.assertIn("report", p.stdout)
        p = subprocess.run([support.PYTHON, "-m", "ruralsim_analysis", "nosuch"], capture_output=True, text=True,
                           env=env)
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown command 'nosuch'", p.stderr)

    def test_compare_help_through_the_program(self):
        p = support.ruralsim("compare", "--help")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("usage: ruralsim compare", p.stdout)
        self.assertIn("--baseline", p.stdout)


if __name__ == "__main__":
    unittest.main()
