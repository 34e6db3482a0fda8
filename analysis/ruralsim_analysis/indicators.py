"""The indicators of a model, as its output files describe them, and how each is read off a run.

Every ruralsim output (format 2) carries the model's description as JSON in its root
attribute ``model_description`` (``ruralsim describe --format json`` prints the same).
A :class:`Catalog` is built from it: the indicators with their units, yearly rules,
formulas, labels, topics, display formats and directions, the levels the analysis
tabulates (the whole, the groupings of ``analysis.groupings``, the analysis level), the
cost-effectiveness measures, the per-area plots and the income stack. Nothing about the
model is written here: a new indicator in the description is a new row in ``compare``.

How a value is formed, for a unit (a set of counties: all of them, a province, a
prefecture, one county) and a window (one complete calendar year, or the whole period,
the union of the complete years), with S(x) the sum of x's monthly values over the
window and L(x) its value in the window's last month:

- an indicator with values of its own whose ``combine`` is ``sum``: its yearly rule on
  the county datasets added over the unit's counties (``sum``: S(x), ``last``: L(x),
  ``mean``: S(x) / months); available at every level;
- one whose ``combine`` is ``weighted_mean`` or ``none``: where it is recorded, its
  yearly rule on /county (county level) or /total (the whole); elsewhere its formula,
  if it has one;
- a derived indicator: its formula, in which ``sum(x)`` is S(x), ``last(x)`` is L(x)
  (over the unit's counties), ``growth(x)`` is x in the window over x in the previous
  calendar year - 1 (the whole period: annualised from the first to the last complete
  year, (last / first)^(1 / (years - 1)) - 1, none unless the ratio is positive),
  ``members_mean(e, w)`` is sum(e w) / sum(w) and ``members_gini(e, w)`` the weighted
  Gini of e over the unit's counties (e and w finite, w > 0; so not at county level).

``a / b`` is a ratio: NaN unless b > 0. These are the rules of the engine's yearly
aggregator (sim/model/yearly.cpp), which prints a run's summary and collects sweeps.
"""

from __future__ import annotations

import ast
import difflib
import json
from dataclasses import dataclass, field

import numpy as np

from .errors import AnalysisError

FUNCTIONS = ("sum", "last", "growth", "members_mean", "members_gini")
FORMATS = ("int", "num", "money", "pct", "ratio", "months")
LANGUAGE = ("numbers, + - * /, parentheses and the calls sum(x), last(x), growth(x), members_mean(value, weight) "
            "and members_gini(value, weight)")
RULE_TEXT = {"sum": "sum({})", "last": "last({})", "mean": "sum({}) / months"}


# ---------------------------------------------------------------------------
# Numbers

def ratio(a, b):
    """a / b as the formula language defines it: NaN unless b > 0."""
    a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    out = np.full(a.shape, np.nan)
    np.divide(a, b, out=out, where=b > 0)
    return out


def weighted_gini(x, w):
    """Gini of values x with weights w, as the model computes it (NaN if no weight or income).

    Pairs with a non-finite value or weight, or a weight <= 0, are left out; sums run in
    the sorted order, as the engine's do.
    """
    x = np.asarray(x, dtype=float).reshape(-1)
    w = np.asarray(w, dtype=float).reshape(-1)
    keep = np.isfinite(x) & np.isfinite(w) & (w > 0)
    x, w = x[keep], w[keep]
    if x.size == 0:
        return np.nan
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    xw = x * w
    weight = np.cumsum(w)[-1]
    total = np.cumsum(xw)[-1]
    if weight <= 0 or total <= 0:
        return np.nan
    cumulative = np.concatenate(([0.0], np.cumsum(xw)[:-1]))
    area = np.cumsum(w * (2.0 * cumulative + xw))[-1]
    return 1.0 - area / (weight * total)


# ---------------------------------------------------------------------------
# Formulas

@dataclass(frozen=True, eq=False)
class Formula:
    """A parsed formula: its text, its tree (Python ``ast``) and what it refers to."""
    text: str
    tree: ast.AST = field(repr=False)
    names: frozenset          # indicators inside sum() and last()
    grows: frozenset          # indicators inside growth()
    members: bool             # uses members_mean or members_gini
    divides: bool             # has a '/'


def parse_formula(text, indicator="?", declared=None):
    """Parses a formula of the language; AnalysisError for anything outside it.

    declared: name -> whether that indicator is derived (checks the names inside calls).
    """
    def refuse(why):
        raise AnalysisError(f"indicator '{indicator}': formula '{text}' is outside the formula language: {why} "
                            f"(the analysis reads {LANGUAGE})")

    try:
        tree = ast.parse(str(text).strip(), mode="eval").body
    except SyntaxError as e:
        refuse(f"it does not parse ({e.msg})")
    names, grows = set(), set()
    flags = {"members": False, "divides": False}

    def walk(node, in_members):
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                refuse(f"{ast.unparse(node)} is not a number")
            return
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub):
                refuse(f"'{ast.unparse(node)}': only '-' may stand before a term")
            walk(node.operand, in_members)
            return
        if isinstance(node, ast.BinOp):
            if not isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
                refuse(f"'{ast.unparse(node)}': the operators are + - * /")
            flags["divides"] |= isinstance(node.op, ast.Div)
            walk(node.left, in_members)
            walk(node.right, in_members)
            return
        if isinstance(node, ast.Name):
            refuse(f"'{node.id}' must be inside sum(), last() or growth()")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                what = ast.unparse(node.func)
                refuse(f"unknown function {what}() (known: {', '.join(FUNCTIONS)})")
            fn = node.func.id
            if node.keywords:
                refuse(f"{fn}() takes no keyword arguments")
            if fn in ("sum", "last", "growth"):
                if len(node.args) != 1 or not isinstance(node.args[0], ast.Name):
                    refuse(f"{fn}() takes the name of one indicator")
                arg = node.args[0].id
                if declared is not None:
                    if arg not in declared:
                        refuse(f"{fn}({arg}) names no declared indicator")
                    if fn != "growth" and declared[arg]:
                        refuse(f"{fn}({arg}) needs an indicator with values of its own, not a formula")
                if fn == "growth":
                    if in_members:
                        refuse("growth() inside members_*()")
                    grows.add(arg)
                else:
                    names.add(arg)
                return
            if len(node.args) != 2:
                refuse(f"{fn}() takes a value and a weight")
            if in_members:
                refuse("members_*() inside members_*()")
            flags["members"] = True
            for a in node.args:
                walk(a, True)
            return
        refuse(f"'{ast.unparse(node)}' is not part of it")

    walk(tree, False)
    return Formula(str(text), tree, frozenset(names), frozenset(grows), flags["members"], flags["divides"])


# ---------------------------------------------------------------------------
# The catalogue

def display_unit(yearly_unit, fmt):
    """The unit shown for a yearly value: '1' is a share (pct) or a ratio, '1/year' is 'per year'."""
    u = str(yearly_unit or "")
    if u == "1":
        return {"pct": "share", "ratio": "ratio"}.get(fmt, "1")
    if u == "1/year":
        return "per year"
    return u


@dataclass(frozen=True, eq=False)
class Indicator:
    """One indicator of the description, with what the analysis needs to show it."""
    name: str
    label: str                 # the description's label, or the name when it has none
    unit: str                  # displayed unit of a yearly value (display_unit of yearly_unit)
    group: str                 # topic ('' for indicators that are not shown unless asked for)
    description: str
    yearly: str                # sum | last | mean | derived
    combine: str               # sum | weighted_mean | none
    fmt: str = "num"           # int | num | money | pct | ratio | months
    better: int = 0            # +1 higher is better, -1 lower is better, 0 neither
    key: bool = False          # headline: on the terminal and in plots by default
    recorded: bool = True      # has datasets in the output file
    extensive: bool = False    # scales with population.scale (--scale-up)
    levels: tuple = ()         # levels at which it has a value
    definition: str = ""       # how a window's value is formed, in the formula language
    formula: Formula = None
    yearly_unit: str = ""
    source: str = ""
    spec: dict = field(default=None, repr=False)

    @property
    def derived(self):
        return self.yearly == "derived"


@dataclass(frozen=True)
class Measure:
    """A cost-effectiveness measure: cost (analysis.cost) per unit of an outcome's change."""
    name: str
    label: str
    outcome: str
    direction: int
    definition: str


class Catalog:
    """The indicators, levels and analysis settings of one model description.

    ``indicators``: those with a topic, ordered by ``analysis.topics`` then declaration;
    ``by_name``: every indicator of the description (any can be selected); ``key``:
    names of the headline ones; ``groups``: topics in display order; ``levels``: the
    whole, the groupings, the analysis level.
    """

    def __init__(self, description, source="model description"):
        self.source = str(source)
        if not isinstance(description, dict):
            self._fail("is not a JSON object")
        d = self.description = description
        self.name = str(d.get("name", ""))
        self.version = str(d.get("version", ""))
        levels = d.get("levels")
        if not isinstance(levels, list) or not levels:
            self._fail("declares no levels")
        self.level_names = [str(lv.get("name", "")) for lv in levels]
        self.total = self.level_names[0] or "total"
        self.total_label = str(levels[0].get("label") or "all")
        analysis = d.get("analysis") or {}
        if not isinstance(analysis, dict):
            self._fail("'analysis' is not an object")
        self.package = str(analysis.get("package", ""))
        self.level = str(analysis.get("level") or (self.level_names[1] if len(self.level_names) > 1 else ""))
        if self.level not in self.level_names[1:]:
            self._fail(f"analysis level '{self.level}' is not one of its levels ({', '.join(self.level_names)})")
        self.table = str(levels[self.level_names.index(self.level)].get("table") or self.level)
        plural = [t.get("plural") for t in d.get("tables") or [] if t.get("kind") == self.table]
        self.plural = str(plural[0]) if plural and plural[0] else self.level
        self.groupings = [str(g) for g in analysis.get("groupings") or []]
        # 0/1 columns, each splitting the analysis level in two ("yes"/"no"), not nested.
        self.flags = [str(g) for g in analysis.get("flags") or []]
        clash = [g for g in self.groupings + self.flags if g in self.level_names]
        if clash:
            self._fail(f"grouping '{clash[0]}' has the name of a level")
        self.levels = tuple([self.total] + self.groupings + self.flags + [self.level])
        self.cost = str(analysis.get("cost") or "")
        self.cost_effectiveness = [
            Measure(str(m.get("name", "")), str(m.get("label", m.get("name", ""))), str(m.get("outcome", "")),
                    1 if float(m.get("direction", 1)) >= 0 else -1, str(m.get("definition", "")))
            for m in analysis.get("cost_effectiveness") or []]
        self.area_plots = [str(n) for n in analysis.get("area_plots") or []]
        self.stack_title = str(analysis.get("stack_title") or "")
        self.stack = [(str(p.get("label", "")), tuple(str(n) for n in p.get("indicators") or []))
                      for p in analysis.get("stack") or []]

        specs = d.get("indicators")
        if not isinstance(specs, list) or not specs:
            self._fail("declares no indicators")
        self._spec = {}
        for s in specs:
            name = str(s.get("name", ""))
            if not name:
                self._fail("has an indicator without a name")
            if name in self._spec:
                self._fail(f"declares indicator '{name}' twice")
            self._spec[name] = s
        declared = {n: self._is_derived(s) for n, s in self._spec.items()}
        self._formula = {}
        for name, s in self._spec.items():
            text = str(s.get("formula") or "")
            if text:
                try:
                    self._formula[name] = parse_formula(text, name, declared)
                except AnalysisError as e:
                    self._fail(str(e))
            elif declared[name]:
                self._fail(f"indicator '{name}' is derived but has no formula")

        # Where values of its own are recorded: /total for every recorded indicator,
        # /county (the analysis level) for those set at that level or finer.
        analysis_index = self.level_names.index(self.level)
        self.county_datasets, self.total_datasets = set(), set()
        for name, s in self._spec.items():
            if not bool(s.get("recorded", True)):
                continue
            self.total_datasets.add(name)
            set_at = str(s.get("set_at") or "")
            if not set_at or set_at not in self.level_names or self.level_names.index(set_at) >= analysis_index:
                self.county_datasets.add(name)
        self.summable = {n for n, s in self._spec.items()
                         if not declared[n] and s.get("combine", "sum") == "sum" and n in self.county_datasets}

        self._avail = {}
        self._ext = {}
        kinds = {lv: self.kind(lv) for lv in self.levels}
        self.by_name = {}
        for name, s in self._spec.items():
            fmt = str(s.get("format") or "num")
            if fmt not in FORMATS:
                fmt = "num"
            yearly_unit = str(s.get("yearly_unit") or s.get("unit") or "")
            self.by_name[name] = Indicator(
                name=name, label=str(s.get("label") or name), unit=display_unit(yearly_unit, fmt),
                group=str(s.get("topic") or ""), description=str(s.get("description", "")),
                yearly=str(s.get("yearly", "")), combine=str(s.get("combine") or "sum"), fmt=fmt,
                better=int(s.get("better") or 0), key=bool(s.get("key", False)),
                recorded=bool(s.get("recorded", True)), extensive=self.extensive(name),
                levels=tuple(lv for lv in self.levels if self.available(name, kinds[lv])),
                definition=self._definition(name), formula=self._formula.get(name), yearly_unit=yearly_unit,
                source=str(s.get("source", "")), spec=s)

        topics = [str(t) for t in analysis.get("topics") or []]
        declared_order = {n: k for k, n in enumerate(self._spec)}
        shown = [i for i in self.by_name.values() if i.group]
        extra = list(dict.fromkeys(i.group for i in shown if i.group not in topics))
        rank = {t: k for k, t in enumerate(topics + extra)}
        shown.sort(key=lambda i: (rank[i.group], declared_order[i.name]))
        self.indicators = shown
        self.groups = list(dict.fromkeys(i.group for i in shown))
        self.key = [i.name for i in shown if i.key]

        for what, names in (("analysis cost", [self.cost] if self.cost else []),
                            ("cost-effectiveness outcome", [m.outcome for m in self.cost_effectiveness]),
                            ("analysis area plot", self.area_plots),
                            ("analysis stack", [n for _, ns in self.stack for n in ns])):
            for n in names:
                if n not in self.by_name:
                    self._fail(f"{what} '{n}' is not a declared indicator")

    # -- construction helpers ---------------------------------------------------------------------
    def _fail(self, what):
        raise AnalysisError(f"{self.source}: model description: {what}")

    @staticmethod
    def _is_derived(s):
        return str(s.get("yearly", "")) == "derived"

    @classmethod
    def from_json(cls, text, source="model description"):
        try:
            description = json.loads(text)
        except (TypeError, ValueError) as e:
            raise AnalysisError(f"{source}: model description is not valid JSON ({e})") from None
        return cls(description, source)

    def _definition(self, name):
        s = self._spec[name]
        f = self._formula.get(name)
        if self._is_derived(s):
            return f.text if f else ""
        rule = RULE_TEXT.get(str(s.get("yearly")), "{}").format(name)
        if s.get("combine", "sum") == "sum":
            return rule
        where = [lv for lv, names in ((self.total, self.total_datasets), (self.level, self.county_datasets))
                 if name in names]
        text = f"{rule}, as recorded ({', '.join(where)})" if where else rule
        if f is not None:
            text += f"; elsewhere {f.text}"
        return text

    # -- levels -----------------------------------------------------------------------------------
    def kind(self, level):
        """'total' (the whole), 'group' (a grouping or a flag) or 'county' (the analysis level)."""
        if level == self.total:
            return "total"
        if level == self.level:
            return "county"
        if level in self.groupings or level in self.flags:
            return "group"
        raise AnalysisError(f"unknown level '{level}' (levels: {', '.join(self.levels)})")

    def available(self, name, kind, _stack=()):
        """Whether indicator ``name`` has a value at a level of ``kind`` (or a level name)."""
        if kind in self.levels:
            kind = self.kind(kind)
        key = (name, kind)
        if key in self._avail:
            return self._avail[key]
        if name in _stack:
            self._fail(f"indicator '{name}' refers to itself through growth()")
        s = self._spec[name]
        ok = False
        if not self._is_derived(s):
            if name in self.summable:
                ok = True
            elif kind == "county" and name in self.county_datasets:
                ok = True
            elif kind == "total" and name in self.total_datasets:
                ok = True
        f = self._formula.get(name)
        if not ok and f is not None:
            ok = self._formula_available(f.tree, kind, _stack + (name,))
        self._avail[key] = ok
        return ok

    def series(self, name, kind):
        """Whether ``name`` has monthly values at a level of ``kind`` (for sum() and last())."""
        return (name in self.summable or (kind == "county" and name in self.county_datasets) or
                (kind == "total" and name in self.total_datasets))

    def _formula_available(self, node, kind, stack):
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.UnaryOp):
            return self._formula_available(node.operand, kind, stack)
        if isinstance(node, ast.BinOp):
            return self._formula_available(node.left, kind, stack) and self._formula_available(node.right, kind, stack)
        fn = node.func.id
        if fn in ("sum", "last"):
            return self.series(node.args[0].id, kind)
        if fn == "growth":
            return self.available(node.args[0].id, kind, stack)
        return kind != "county" and all(self._formula_available(a, "county", stack) for a in node.args)

    def extensive(self, name):
        """Whether a value scales with population.scale (a count or a yuan total)."""
        if name in self._ext:
            return self._ext[name]
        self._ext[name] = False  # a cycle is not extensive
        s = self._spec[name]
        f = self._formula.get(name)
        if not self._is_derived(s):
            ext = s.get("combine", "sum") == "sum"
        else:
            ext = (f is not None and not f.divides and not f.members and not f.grows and
                   all(self.extensive(n) for n in f.names))
        self._ext[name] = ext
        return ext

    def accumulates(self, name):
        """Whether a window's value is a total over its months (grows with the window): an
        indicator whose yearly rule is ``sum``, or a formula that adds such sums (``sum(a) -
        sum(b)``, ``12 * sum(x)``). Its whole-period value is the total of the period, so a
        unit "X/year" is "X" there."""
        s = self._spec[name]
        if not self._is_derived(s):
            return str(s.get("yearly", "")) == "sum"
        f = self._formula.get(name)

        def linear(node):
            if isinstance(node, ast.Call):
                return node.func.id == "sum"
            if isinstance(node, ast.UnaryOp):
                return linear(node.operand)
            if isinstance(node, ast.BinOp):
                if isinstance(node.op, (ast.Add, ast.Sub)):
                    return linear(node.left) and linear(node.right)
                if isinstance(node.op, ast.Mult):
                    return ((isinstance(node.left, ast.Constant) and linear(node.right)) or
                            (isinstance(node.right, ast.Constant) and linear(node.left)))
            return False

        return f is not None and linear(f.tree)

    # -- selection --------------------------------------------------------------------------------
    def select(self, names=None):
        """Indicator names from a list of names, topics, 'key' or 'all' (None: every shown one).

        Each entry may hold several, comma-separated. A topic wins over an indicator of the
        same name (the topic 'income' over the monthly dataset 'income'); write
        'indicator:NAME' for the indicator.
        """
        if not names:
            return [i.name for i in self.indicators]
        chosen = []
        for raw in names:
            for name in (n.strip() for n in str(raw).split(",")):
                if not name:
                    continue
                if name.startswith("indicator:") and name[len("indicator:"):] in self.by_name:
                    chosen.append(name[len("indicator:"):])
                elif name == "all":
                    chosen += [i.name for i in self.indicators]
                elif name == "key":
                    chosen += self.key
                elif name in self.groups:
                    chosen += [i.name for i in self.indicators if i.group == name]
                elif name in self.by_name:
                    chosen.append(name)
                else:
                    close = difflib.get_close_matches(name, list(self.by_name) + self.groups, n=3)
                    hint = f"; did you mean {', '.join(close)}?" if close else "; groups: " + ", ".join(self.groups)
                    raise ValueError(f"unknown indicator '{name}'{hint}")
        return list(dict.fromkeys(chosen))

    def needed_datasets(self):
        """(/county names, /total names) the evaluation of every indicator reads."""
        county, total = set(), set()
        for name, s in self._spec.items():
            if not self._is_derived(s):
                if name in self.county_datasets:
                    county.add(name)
                if name not in self.summable and name in self.total_datasets:
                    total.add(name)
            f = self._formula.get(name)
            if f is not None:
                for n in f.names:
                    if n in self.county_datasets:
                        county.add(n)
                    if n not in self.summable and n in self.total_datasets:
                        total.add(n)
        return sorted(county), sorted(total)


def income_groups(catalog):
    """The panels of the income-by-group plot, as the description declares them
    (analysis.panels): [(key, title, {category: indicator})], one indicator per
    part. Empty when the description declares none."""
    out = []
    for k, panel in enumerate(catalog.description.get("analysis", {}).get("panels", [])):
        parts = {}
        for part in panel.get("parts", []):
            names = part.get("indicators", [])
            if len(names) != 1:
                raise AnalysisError(f"analysis panel '{panel.get('label')}': part '{part.get('label')}' "
                                    f"must name one indicator, names {len(names)}")
            parts[part["label"]] = names[0]
        out.append((str(k), panel.get("label", ""), parts))
    return out


# ---------------------------------------------------------------------------
# Evaluation

class Window:
    """The months (rows) of one window: a calendar year, or the whole period (year None)."""

    def __init__(self, rows, year=None, years=None):
        self.rows = np.asarray(rows, dtype=np.int64)
        self.year = year
        self.years = list(years) if years is not None else ([year] if year is not None else [])
        self.cache = {}

    @property
    def months(self):
        return len(self.rows)


class Evaluator:
    """Indicator values of one run at one level, per window, as arrays over the level's units.

    data: anything with ``county`` (name -> [months, counties]), ``total`` (name ->
    [months]) and ``year_of_row`` ([months] calendar years); membership: the [counties,
    units] 0/1 matrix of the level, or None at the analysis level (one unit per county).
    """

    def __init__(self, catalog, data, kind, membership=None):
        self.catalog = catalog
        self.data = data
        self.kind = kind
        self.membership = membership
        self.n = membership.shape[1] if membership is not None else self._counties()
        self._windows = {}
        self._members = None

    def _counties(self):
        for v in self.data.county.values():
            return v.shape[1]
        return 0

    def nan(self):
        return np.full(self.n, np.nan)

    def window(self, year=None, years=None):
        """The window of one calendar year (any rows of it in the run), or of the years given."""
        key = year if year is not None else ("period", tuple(years))
        w = self._windows.get(key)
        if w is None:
            calendar = np.asarray(self.data.year_of_row)
            if year is not None:
                rows = np.flatnonzero(calendar == year)
            else:
                rows = np.flatnonzero(np.isin(calendar, list(years)))
            w = self._windows[key] = Window(rows, year, years)
        return w

    # -- monthly values ---------------------------------------------------------------------------
    def _units(self, per_county):
        return per_county @ self.membership if self.membership is not None else per_county

    def series(self, name, w, how):
        """S(name) (how 'sum') or L(name) (how 'last') over window w, per unit."""
        key = (how, name)
        if key in w.cache:
            return w.cache[key]
        if w.months == 0:
            out = self.nan()
        elif (name in self.catalog.summable or self.kind == "county") and name in self.data.county:
            a = self.data.county[name]
            per = a[w.rows].sum(axis=0) if how == "sum" else a[w.rows[-1]]
            out = self._units(np.asarray(per, dtype=float))
        elif self.kind == "total" and name in self.data.total:
            a = self.data.total[name]
            out = np.atleast_1d(float(a[w.rows].sum() if how == "sum" else a[w.rows[-1]]))
        else:
            out = self.nan()
        w.cache[key] = out
        return out

    # -- indicators -------------------------------------------------------------------------------
    def value(self, name, w):
        """The value of indicator ``name`` in window w, per unit (NaN where it has none)."""
        key = ("value", name)
        if key in w.cache:
            return w.cache[key]
        spec = self.catalog.by_name[name]
        out = None
        if not spec.derived and (
                (name in self.catalog.summable and name in self.data.county) or
                (self.kind == "county" and name in self.data.county) or
                (self.kind == "total" and name in self.data.total)):
            if spec.yearly == "last":
                out = self.series(name, w, "last")
            else:
                out = self.series(name, w, "sum")
                if spec.yearly == "mean":
                    out = out / w.months if w.months else self.nan()
        elif spec.formula is not None:
            out = self.formula(spec.formula, w)
        if out is None:
            out = self.nan()
        out = np.broadcast_to(np.asarray(out, dtype=float), (self.n,)).copy()
        w.cache[key] = out
        return out

    def formula(self, formula, w):
        return np.broadcast_to(np.asarray(self._eval(formula.tree, w), dtype=float), (self.n,))

    def _eval(self, node, w):
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.UnaryOp):
            return -self._eval(node.operand, w)
        if isinstance(node, ast.BinOp):
            a = self._eval(node.left, w)
            b = self._eval(node.right, w)
            if isinstance(node.op, ast.Add):
                return np.add(a, b)
            if isinstance(node.op, ast.Sub):
                return np.subtract(a, b)
            if isinstance(node.op, ast.Mult):
                return np.multiply(a, b)
            return ratio(a, b)
        fn = node.func.id
        if fn in ("sum", "last"):
            return self.series(node.args[0].id, w, fn)
        if fn == "growth":
            return self._growth(node.args[0].id, w)
        return self._members_of(fn, node.args, w)

    def _growth(self, name, w):
        if w.year is not None:
            before = self.window(w.year - 1)
            if before.months == 0:
                return self.nan()
            return ratio(self.value(name, w), self.value(name, before)) - 1.0
        years = w.years
        if len(years) < 2:
            return self.nan()
        change = ratio(self.value(name, self.window(years[-1])), self.value(name, self.window(years[0])))
        out = self.nan()
        ok = change > 0
        out[ok] = np.exp(np.log(change[ok]) / float(len(years) - 1)) - 1.0
        return out

    def members(self):
        """The evaluator of the analysis level over the same run (for members_*)."""
        if self._members is None:
            self._members = Evaluator(self.catalog, self.data, "county", None)
        return self._members

    def _members_of(self, fn, args, w):
        if self.kind == "county" or self.membership is None:
            return self.nan()
        m = self.members()
        mw = m.window(w.year, w.years) if w.year is None else m.window(w.year)
        e = np.broadcast_to(np.asarray(m._eval(args[0], mw), dtype=float), (m.n,))
        wt = np.broadcast_to(np.asarray(m._eval(args[1], mw), dtype=float), (m.n,))
        if fn == "members_mean":
            ok = np.isfinite(e) & np.isfinite(wt) & (wt > 0)
            num = np.where(ok, e * wt, 0.0) @ self.membership
            den = np.where(ok, wt, 0.0) @ self.membership
            return ratio(num, den)
        out = self.nan()
        for u in range(self.n):
            inside = self.membership[:, u] > 0
            out[u] = weighted_gini(e[inside], wt[inside])
        return out


# ---------------------------------------------------------------------------
# Presentation

# How numbers are printed in tables (terminal, comparison.md, report), one rule for all:
#
# - units: a share or rate (format pct) in %, a difference of two of them in percentage
#   points ("pp": 2.83% - 2.80% is +0.03 pp, not +0.03%); other values of 10 million or
#   more (or whose `like` is) in millions ("M");
# - floating-point noise is zero: a half-width, or a difference, below NOISE (1e-9) times
#   the magnitude of the levels compared (`scale`; by default the value itself). Sums of
#   thousands of doubles in another order differ in the 13th digit, so that replicates or
#   scenarios that are the same print as the same, not as "+0.000000 ± 0.000000";
# - decimals: with a half-width, two significant digits of it, and the value to the same
#   decimals ("1,048.32M ± 0.26M", "-0.0000010 ± 0.0000030"); the half-width is never
#   rounded to fewer digits than that. Without one (a single replicate or pair, or the
#   default precision of a ratio interval), the format's own (see _default_decimals);
# - a zero-width interval (every replicate alike, after the noise rule) is not printed:
#   "1,048M", never "1,048M ± 0M" (its zero is no spread the reader can use);
# - zero: a value that rounds to 0 at its decimals prints "0", with no sign and no unit
#   ("0", "0 ± 0.31%"; never "+0.00" or "-0%").
NOISE = 1e-9


def _decimals(half):
    """Decimals that show two significant digits of an interval's half-width."""
    if half is None or not np.isfinite(half) or half <= 0:
        return None
    return int(max(0, 1 - np.floor(np.log10(half))))


def _default_decimals(v, fmt, suffix):
    a = abs(v)
    if fmt == "pct":
        return 2 if a < 10 else 1
    if fmt == "ratio":
        return 4 if a < 0.1 else 3
    if fmt == "months":
        return 2
    if fmt == "int" and suffix == "" and float(v).is_integer():
        return 0
    return 0 if a >= 100 else 1 if a >= 10 else 2


def is_noise(value, scale):
    """Whether a difference is floating-point noise: |value| <= NOISE * |scale| (scale: the
    magnitude of the levels it is the difference of)."""
    if value is None or scale is None or not np.isfinite(value) or not np.isfinite(scale):
        return False
    return abs(value) <= NOISE * abs(scale)


def format_value(value, fmt, signed=False, half=None, like=None, precision_of=None, diff=False, scale=None):
    """A number as a reader wants to see it (fmt: an indicator's format), by the rule above.

    signed: a + before a positive value; half: an interval's half-width ("± half" follows);
    like: a value whose magnitude picks the scale (M); precision_of: a half-width that sets
    the decimals without being shown; diff: a difference (of a pct indicator: in pp);
    scale: magnitude of the levels compared (for the noise rule; default the value).
    """
    if value is None or not np.isfinite(value):
        return "-"
    suffix, factor, unit = "", 1.0, ""
    if fmt == "pct":
        factor = 100.0
        if diff:
            unit = " pp"
        else:
            suffix = "%"
    elif fmt not in ("ratio", "months") and abs(like if like is not None else value) >= 1e7:
        suffix, factor = "M", 1e-6
    v = float(value) * factor
    h = None if half is None or not np.isfinite(half) else abs(float(half)) * factor
    ref = abs(v) if scale is None or not np.isfinite(scale) else max(abs(float(scale)) * factor, abs(v))
    if h is not None and h <= NOISE * ref:
        h = 0.0   # rounding noise of identical replicates
    if is_noise(value, scale):
        v = 0.0   # a difference of levels that are the same but for rounding
    d = _decimals(h)
    if precision_of is not None and np.isfinite(precision_of):
        d = _decimals(abs(precision_of) * factor)
    if d is None:
        d = _default_decimals(v, fmt, suffix)
    shown = round(v, d)
    if shown == 0:
        text = "0"
    else:
        text = f"{'+' if signed and v > 0 else ''}{v:,.{d}f}{suffix}"
    if h:   # None (no interval) and 0 (a zero-width one) are not printed
        text += f" ± {h:,.{d}f}{suffix}"
    if text != "0":
        text += unit
    return text
