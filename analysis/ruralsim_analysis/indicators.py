"""The indicators researchers compare (MODEL_BRIEF section 5), read off a run year by year.

Every indicator is computed from the monthly county datasets of a run (/county/<name>,
[months, 160]), added up over the counties of a unit (the whole set, a province, a
prefecture, or one county) and over the months of a window (one calendar year, or the
whole period). Two operators read a window:

- ``S(x)``: the sum of x over the window's months (flows such as incomes, returns,
  spending; for stocks such as people it gives person-months);
- ``L(x)``: x in the window's last month, December (stocks such as households or
  collectives under 50,000 yuan).

Ratios are recomputed from these sums for every unit and window (never averaged over
months or counties): for example income per capita is ``12 * S(income) / S(people)``,
the year's income divided by the average number of residents. Only complete calendar
years (all twelve months written) are used; the whole period is the union of them.

A few indicators need more than sums:

- growth rates compare a window with the previous year (the whole period: annualised
  growth from the first to the last complete year);
- Gini coefficients are read in the last year of the window (the whole period: its last
  year). ``gini`` is what the model recorded: among all residents at the total level,
  within the county at county level. ``gini_within_counties`` is the resident-weighted
  mean of the counties' Ginis in the unit; ``gini_between_counties`` is the Gini of
  county per-capita incomes (``12*S(income)/S(people)`` per county) weighted by the
  counties' December residents, the same definition as the model's total-level
  ``gini_between_counties``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

LEVELS = ("total", "province", "prefecture", "county")
ALL_LEVELS = LEVELS

INCOME_SOURCES = ("migrant", "local", "workshop", "post", "ranger", "farm", "livestock", "property",
                  "pension", "dibao", "package", "other_transfer")
SOURCE_LABELS = {
    "migrant": "Migrant wages", "local": "Local wages", "workshop": "Workshop wages",
    "post": "Public-welfare posts", "ranger": "Forest rangers", "farm": "Farming",
    "livestock": "Livestock and cash crops", "property": "Dividends and land rent",
    "pension": "Pensions", "dibao": "Dibao", "package": "Monitoring package",
    "other_transfer": "Other transfers",
}
# NBS income categories (wages, operating, property, transfers) made of the model's sources.
SOURCE_CATEGORIES = {
    "wages": ("migrant", "local", "workshop", "post", "ranger"),
    "operating": ("farm", "livestock"),
    "property": ("property",),
    "transfers": ("pension", "dibao", "package", "other_transfer"),
}
# Groups whose income the model also records by NBS category: (prefix, people dataset, label).
INCOME_GROUPS = (("pa", "pa_people", "poverty-alleviated"), ("monitored", "monitored_people", "monitored"),
          ("relocated", "relocated_people", "relocated"))
WORK_TYPES = ("migrant", "local", "workshop", "post", "ranger", "farm")
LOCAL_WORK = ("local", "workshop", "post", "ranger")  # paid work near home, not farming

# Every /county dataset an analysis reads; a file lacking one is not of this schema.
RAW_DATASETS = sorted(set(
    ["people", "households", "pa_people", "pa_households", "relocated_people", "monitored_households",
     "monitored_people", "monitoring_entries", "entries_unstable", "entries_marginal", "entries_sudden",
     "monitoring_exits", "exit_months", "at_risk_unidentified", "returns_to_poverty", "returns_people",
     "income", "income_pa", "income_monitored", "income_relocated", "collectives", "collectives_under_50k",
     "collectives_under_100k", "spend_industry", "spend_infrastructure", "spend_posts", "spend_training",
     "spend_relocation", "spend_assistance", "spend_risk_fund", "spend_total", "quota_used_mu", "park_mu",
     "park_jobs", "local_jobs", "gini"]
    + ["income_" + s for s in INCOME_SOURCES]
    + [f"income_{g}_{cat}" for g, _, _ in INCOME_GROUPS for cat in SOURCE_CATEGORIES]
    + ["workers_" + w for w in WORK_TYPES] + ["pa_workers_" + w for w in WORK_TYPES]))


def _ratio(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    out = np.full(np.broadcast(a, b).shape, np.nan)
    np.divide(a, b, out=out, where=(b > 0) & np.isfinite(b))
    return out


def weighted_gini(x, w):
    """Gini of values x with weights w, as the model computes it (NaN if no weight or income)."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    keep = np.isfinite(x) & np.isfinite(w) & (w > 0)
    x, w = x[keep], w[keep]
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    weight = w.sum()
    xw = x * w
    total = xw.sum()
    if weight <= 0 or total <= 0:
        return np.nan
    cumulative = np.concatenate(([0.0], np.cumsum(xw)[:-1]))
    area = np.sum(w * (2.0 * cumulative + xw))
    return 1.0 - area / (weight * total)


class Window:
    """The months of one window (a year or the whole period) of one run at one level."""

    def __init__(self, county, rows, membership, total_gini=None, previous=None, first=None, last_year=None):
        self._county = county          # name -> [T, C]
        self._rows = rows              # month rows of this window
        self.membership = membership   # [C, G] 0/1
        self._total_gini = total_gini  # [T] recorded total-level Gini, or None
        self.previous = previous       # Window of the year before (growth), or None
        self.first = first             # (period) Window of the first year
        self.last_year = last_year     # (period) Window of the last year; None for a year
        self.years = 1
        self._cache = {}

    def county_sum(self, name):
        key = ("Sc", name)
        if key not in self._cache:
            self._cache[key] = self._county[name][self._rows].sum(axis=0)
        return self._cache[key]

    def county_last(self, name):
        return self._county[name][self._rows[-1]]

    def S(self, name):
        return self.county_sum(name) @ self.membership

    def L(self, name):
        return self.county_last(name) @ self.membership

    def recorded_total_last(self):
        return None if self._total_gini is None else self._total_gini[self._rows[-1]]


@dataclass(frozen=True)
class Indicator:
    name: str
    label: str
    unit: str
    group: str
    compute: Callable[[Window, str], np.ndarray] = field(repr=False)
    definition: str           # the yearly definition, in words and operators
    fmt: str = "num"          # int | num | money | pct | ratio | months
    better: int = 0           # +1 higher is better, -1 lower is better, 0 neither
    extensive: bool = False   # a count or a yuan total: scales with population.scale
    key: bool = False         # shown on the terminal and in plots by default
    levels: tuple = LEVELS
    period: str = "window"    # window | last_year | growth


def _sum(name):
    return lambda w, level: w.S(name)


def _last(name):
    return lambda w, level: w.L(name)


def _per_capita(income, people):
    return lambda w, level: 12.0 * _ratio(w.S(income), w.S(people))


def _growth(income, people):
    def f(w, level):
        now = 12.0 * _ratio(w.S(income), w.S(people))
        if w.last_year is not None:   # whole period: annualised from the first to the last year
            if w.first is None or w.years < 2:
                return np.full_like(now, np.nan)
            a = 12.0 * _ratio(w.first.S(income), w.first.S(people))
            b = 12.0 * _ratio(w.last_year.S(income), w.last_year.S(people))
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.power(_ratio(b, a), 1.0 / (w.years - 1)) - 1.0
        if w.previous is None:
            return np.full_like(now, np.nan)
        before = 12.0 * _ratio(w.previous.S(income), w.previous.S(people))
        return _ratio(now, before) - 1.0
    return f


def _gini(w, level):
    if level == "county":
        return w.county_last("gini").astype(float)
    recorded = w.recorded_total_last()
    if recorded is None:
        return np.full(w.membership.shape[1], np.nan)
    return np.atleast_1d(np.asarray(recorded, dtype=float))


def _gini_within(w, level):
    g = w.county_last("gini")
    p = w.county_last("people")
    ok = np.isfinite(g) & (p > 0)
    num = np.where(ok, g * p, 0.0) @ w.membership
    den = np.where(ok, p, 0.0) @ w.membership
    return _ratio(num, den)


def _gini_between(w, level):
    ipc = 12.0 * _ratio(w.county_sum("income"), w.county_sum("people"))
    p = w.county_last("people")
    out = np.full(w.membership.shape[1], np.nan)
    for g in range(w.membership.shape[1]):
        members = w.membership[:, g] > 0
        if members.sum() >= 2:
            out[g] = weighted_gini(ipc[members], p[members])
    return out


def _source_share(category):
    sources = SOURCE_CATEGORIES[category]
    return lambda w, level: _ratio(sum(w.S("income_" + s) for s in sources), w.S("income"))


def _build():
    out = []

    def add(*args, **kw):
        out.append(Indicator(*args, **kw))

    # Return to poverty and monitoring
    add("returns_to_poverty", "Returns to poverty", "households", "poverty", _sum("returns_to_poverty"),
        "S(returns_to_poverty): poverty-alleviated households whose income for the year fell below the poverty line",
        fmt="int", better=-1, extensive=True, key=True)
    add("return_rate", "Return-to-poverty rate", "share of PA households", "poverty",
        lambda w, l: _ratio(w.S("returns_to_poverty"), w.L("pa_households")),
        "S(returns_to_poverty) / L(pa_households)", fmt="pct", better=-1, key=True)
    add("returns_people", "People returning to poverty", "persons", "poverty", _sum("returns_people"),
        "S(returns_people)", fmt="int", better=-1, extensive=True)
    add("monitoring_entries", "Entries into monitoring", "households", "monitoring", _sum("monitoring_entries"),
        "S(monitoring_entries)", fmt="int", extensive=True, key=True)
    add("entries_unstable", "Entries: unstable PA households", "households", "monitoring",
        _sum("entries_unstable"), "S(entries_unstable)", fmt="int", extensive=True)
    add("entries_marginal", "Entries: marginal households", "households", "monitoring",
        _sum("entries_marginal"), "S(entries_marginal)", fmt="int", extensive=True)
    add("entries_sudden", "Entries: sudden severe difficulty", "households", "monitoring",
        _sum("entries_sudden"), "S(entries_sudden)", fmt="int", extensive=True)
    add("monitoring_exits", "Exits from monitoring (risk eliminated)", "households", "monitoring",
        _sum("monitoring_exits"), "S(monitoring_exits)", fmt="int", extensive=True, key=True)
    add("mean_months_to_exit", "Mean months to exit", "months", "monitoring",
        lambda w, l: _ratio(w.S("exit_months"), w.S("monitoring_exits")),
        "S(exit_months) / S(monitoring_exits): months in monitoring of the households that left",
        fmt="months", better=-1, key=True)
    add("monitored_households", "Monitored households at year end", "households", "monitoring",
        _last("monitored_households"), "L(monitored_households)", fmt="int", extensive=True)
    add("at_risk_unidentified", "At risk, not yet identified (year end)", "households", "monitoring",
        _last("at_risk_unidentified"), "L(at_risk_unidentified)", fmt="int", better=-1, extensive=True)

    # Income
    add("income_per_capita", "Income per capita, all residents", "yuan/person/year", "income",
        _per_capita("income", "people"), "12 * S(income) / S(people)", fmt="money", better=1, key=True)
    add("income_per_capita_pa", "Income per capita, poverty-alleviated", "yuan/person/year", "income",
        _per_capita("income_pa", "pa_people"), "12 * S(income_pa) / S(pa_people)", fmt="money", better=1, key=True)
    add("income_per_capita_monitored", "Income per capita, monitored", "yuan/person/year", "income",
        _per_capita("income_monitored", "monitored_people"), "12 * S(income_monitored) / S(monitored_people)",
        fmt="money", better=1)
    add("income_per_capita_relocated", "Income per capita, relocated", "yuan/person/year", "income",
        _per_capita("income_relocated", "relocated_people"), "12 * S(income_relocated) / S(relocated_people)",
        fmt="money", better=1)
    add("income_total", "Disposable income, all households", "yuan", "income", _sum("income"), "S(income)",
        fmt="int", better=1, extensive=True)
    add("income_growth", "Growth of income per capita", "per year", "income", _growth("income", "people"),
        "income_per_capita / income_per_capita of the year before - 1 (period: annualised, first to last year)",
        fmt="pct", better=1, period="growth")
    add("income_growth_pa", "Growth of PA income per capita", "per year", "income", _growth("income_pa", "pa_people"),
        "income_per_capita_pa / the year before - 1 (period: annualised, first to last year)",
        fmt="pct", better=1, key=True, period="growth")
    add("pa_income_gap", "PA income relative to all residents", "ratio", "income",
        lambda w, l: _ratio(_ratio(w.S("income_pa"), w.S("pa_people")), _ratio(w.S("income"), w.S("people"))),
        "(S(income_pa) / S(pa_people)) / (S(income) / S(people)); 1 = no gap", fmt="ratio", better=1, key=True)
    for s in INCOME_SOURCES:
        add("income_pc_" + s, "Income p.c.: " + SOURCE_LABELS[s].lower(), "yuan/person/year", "income sources",
            _per_capita("income_" + s, "people"), f"12 * S(income_{s}) / S(people)", fmt="money")
    for cat, sources in SOURCE_CATEGORIES.items():
        add(f"income_pc_all_{cat}", f"Income p.c., all residents: {cat}", "yuan/person/year", "income sources",
            lambda w, l, sources=sources: 12.0 * _ratio(sum(w.S("income_" + s) for s in sources), w.S("people")),
            " + ".join(f"S(income_{s})" for s in sources) + " times 12 / S(people)", fmt="money")
        for g, people, label in INCOME_GROUPS:
            add(f"income_pc_{g}_{cat}", f"Income p.c., {label}: {cat}", "yuan/person/year", "income sources",
                _per_capita(f"income_{g}_{cat}", people), f"12 * S(income_{g}_{cat}) / S({people})", fmt="money")
    for cat in SOURCE_CATEGORIES:
        add("income_share_" + cat, "Share of income: " + cat, "share of income", "income sources",
            _source_share(cat), " + ".join(f"S(income_{s})" for s in SOURCE_CATEGORIES[cat]) + " / S(income)",
            fmt="pct")

    # Employment of poverty-alleviated labour
    for t in WORK_TYPES:
        label = {"migrant": "migrant work", "local": "local wage jobs", "workshop": "workshops",
                 "post": "public-welfare posts", "ranger": "forest rangers", "farm": "farming"}[t]
        add("pa_workers_" + t, "PA workers in " + label, "persons", "employment", _last("pa_workers_" + t),
            f"L(pa_workers_{t})", fmt="int", extensive=True, key=t in ("migrant", "local", "post"),
            better=0)
    add("pa_local_employment", "PA workers employed near home", "persons", "employment",
        lambda w, l: sum(w.L("pa_workers_" + t) for t in LOCAL_WORK),
        "L(pa_workers_local + pa_workers_workshop + pa_workers_post + pa_workers_ranger)",
        fmt="int", better=1, extensive=True)
    add("local_employment", "Workers employed near home (all)", "persons", "employment",
        lambda w, l: sum(w.L("workers_" + t) for t in LOCAL_WORK),
        "L(workers_local + workers_workshop + workers_post + workers_ranger)", fmt="int", better=1,
        extensive=True, key=True)

    # Village collectives
    add("collectives_under_50k", "Collectives under 50,000 yuan", "villages", "collectives",
        _last("collectives_under_50k"), "L(collectives_under_50k)", fmt="int", better=-1, extensive=True, key=True)
    add("collectives_under_100k", "Collectives under 100,000 yuan", "villages", "collectives",
        _last("collectives_under_100k"), "L(collectives_under_100k)", fmt="int", better=-1, extensive=True)
    add("share_collectives_under_50k", "Share of collectives under 50,000 yuan", "share of collectives",
        "collectives", lambda w, l: _ratio(w.L("collectives_under_50k"), w.L("collectives")),
        "L(collectives_under_50k) / L(collectives)", fmt="pct", better=-1)
    add("share_collectives_under_100k", "Share of collectives under 100,000 yuan", "share of collectives",
        "collectives", lambda w, l: _ratio(w.L("collectives_under_100k"), w.L("collectives")),
        "L(collectives_under_100k) / L(collectives)", fmt="pct", better=-1)

    # Spending
    add("spend_total", "Spending, all programmes", "yuan", "spending", _sum("spend_total"), "S(spend_total)",
        fmt="int", extensive=True, key=True)
    for part, label in (("industry", "industry projects"), ("infrastructure", "infrastructure"),
                        ("posts", "public-welfare posts"), ("training", "training"),
                        ("relocation", "relocation follow-up"), ("assistance", "monitoring assistance"),
                        ("risk_fund", "microcredit risk fund")):
        add("spend_" + part, "Spending: " + label, "yuan", "spending", _sum("spend_" + part), f"S(spend_{part})",
            fmt="int", extensive=True)
    add("spend_per_household", "Spending per household", "yuan/household", "spending",
        lambda w, l: _ratio(w.S("spend_total"), w.L("households")), "S(spend_total) / L(households)",
        fmt="money")

    # Land quota
    add("quota_used_mu", "Land quota used since 2021", "mu", "land", _last("quota_used_mu"), "L(quota_used_mu)",
        fmt="int", extensive=True, key=True)
    add("park_mu", "Park land working", "mu", "land", _last("park_mu"), "L(park_mu)", fmt="int", extensive=True)
    add("park_jobs", "Jobs on quota park land", "jobs", "land", _last("park_jobs"), "L(park_jobs)", fmt="int",
        better=1, extensive=True, key=True)
    add("local_jobs", "Local wage jobs on offer", "jobs", "land", _last("local_jobs"), "L(local_jobs)",
        fmt="int", better=1, extensive=True)

    # Inequality
    add("gini", "Gini of income (total: all residents; county: within)", "Gini", "inequality", _gini,
        "the model's December Gini of per-capita income among residents", fmt="ratio", better=-1,
        levels=("total", "county"), period="last_year")
    add("gini_within_counties", "Gini within counties (mean)", "Gini", "inequality", _gini_within,
        "sum(gini_c * people_c) / sum(people_c) over the unit's counties, December", fmt="ratio", better=-1,
        key=True, levels=("total", "province", "prefecture"), period="last_year")
    add("gini_between_counties", "Gini between counties", "Gini", "inequality", _gini_between,
        "Gini of county 12*S(income)/S(people), weighted by L(people)", fmt="ratio", better=-1, key=True,
        levels=("total", "province", "prefecture"), period="last_year")

    # Context
    add("people", "Residents", "persons", "population", _last("people"), "L(people)", fmt="int", extensive=True)
    add("households", "Households", "households", "population", _last("households"), "L(households)",
        fmt="int", extensive=True)
    add("pa_households", "Poverty-alleviated households", "households", "population", _last("pa_households"),
        "L(pa_households)", fmt="int", extensive=True)
    return out


INDICATORS = _build()
BY_NAME = {i.name: i for i in INDICATORS}
GROUPS = list(dict.fromkeys(i.group for i in INDICATORS))
KEY = [i.name for i in INDICATORS if i.key]


def select(names=None):
    """Indicator names from a list of names, group names, 'key' or 'all' (None: all)."""
    if not names:
        return [i.name for i in INDICATORS]
    chosen = []
    for raw in names:
        for name in (n.strip() for n in raw.split(",")):
            if not name:
                continue
            if name == "all":
                chosen += [i.name for i in INDICATORS]
            elif name == "key":
                chosen += KEY
            elif name in BY_NAME:
                chosen.append(name)
            elif name in GROUPS:
                chosen += [i.name for i in INDICATORS if i.group == name]
            else:
                close = difflib.get_close_matches(name, list(BY_NAME) + GROUPS, n=3)
                hint = f"; did you mean {', '.join(close)}?" if close else "; groups: " + ", ".join(GROUPS)
                raise ValueError(f"unknown indicator '{name}'{hint}")
    return list(dict.fromkeys(chosen))


def _decimals(half):
    """Decimals that show two significant digits of an interval's half-width."""
    if half is None or not np.isfinite(half) or half <= 0:
        return None
    return int(min(6, max(0, 1 - np.floor(np.log10(half)))))


def format_value(value, fmt, signed=False, half=None, like=None, precision_of=None):
    """A number as a reader wants to see it (fmt of an Indicator).

    With half (an interval's half-width) the value is rounded to two significant digits
    of it and "± half" follows; like: a value whose magnitude picks the scale (M);
    precision_of: a half-width that sets the decimals without being shown.
    """
    if value is None or not np.isfinite(value):
        return "-"
    sign = "+" if signed and value > 0 else ""
    suffix, factor = "", 1.0
    if fmt == "pct":
        suffix, factor = "%", 100.0
    elif fmt not in ("ratio", "months") and abs(like if like is not None else value) >= 1e7:
        suffix, factor = "M", 1e-6
    v = value * factor
    h = None if half is None or not np.isfinite(half) else half * factor
    if h is not None and h <= 1e-9 * max(abs(v), 1e-300):
        h = 0.0   # rounding noise of identical replicates
    if v == 0 and not h:
        return "0" + ("" if h is None else " ± 0")
    d = _decimals(h)
    if precision_of is not None and np.isfinite(precision_of):
        d = _decimals(abs(precision_of) * factor)
    if d is None:
        a = abs(v)
        if fmt == "pct":
            d = 2 if a < 10 else 1
        elif fmt == "ratio":
            d = 4 if a < 0.1 else 3
        elif fmt == "months":
            d = 2
        elif fmt == "int" and suffix == "" and float(v).is_integer():
            d = 0
        else:
            d = 0 if a >= 100 else 1 if a >= 10 else 2
    text = f"{sign}{v:,.{d}f}{suffix}"
    if h is not None:
        text += f" ± {h:,.{d}f}{suffix}"
    return text
