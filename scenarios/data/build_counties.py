#!/usr/bin/env python3
"""Build counties.csv: the 160 national key counties for rural-revitalization
assistance (国家乡村振兴重点帮扶县, notice of 27 August 2021), with codes, names,
prefectures, flags and county sizes, for the model's `population.county_file`.

Run from anywhere (Python 3 standard library only, no randomness):

    python3 scenarios/data/build_counties.py

Inputs (scenarios/data/research/):
  counties_160.csv   list, codes, names, prefectures, coordinates, flags
  county_stats.csv   figures found per county (census, registration, villages,
                     poverty-alleviated and relocated people, large sites)
  province_stats.csv prefecture and provincial totals used by the fill rules
Output: scenarios/data/counties.csv (overwritten).

The script prints the rule constants it computed and the coverage counts
(pasted into docs/data.md), runs the checks listed in check() and exits with
status 1 if any fails. docs/data.md explains every column, basis word, rule
and source key.

Fill rules (their keys appear in the `sources` column of each row they touch):

RULE_RURALPOP_CENSUS  rural_population = census rural resident population x C,
    or census resident population x S x C, where C is the median ratio of
    registered rural to census rural resident population and S the median
    census rural share of the province's key counties (all key counties if the
    province has fewer than 3).
RULE_RURALPOP_REG     rural_population = registered total population x A, the
    median ratio of registered rural to registered total population.
RULE_RURALPOP_CAP     a derived rural_population never exceeds the county's
    registered total population, where known.
RULE_RURALPOP_PREF    no county figure: prefecture census population minus the
    key counties of the prefecture with a figure, shared equally among the
    prefecture's other county-level units; then x S x C.
RULE_RURALPOP_MEDIAN  no county or prefecture figure: median rural_population of
    the province's key counties with a county figure (all key counties if
    fewer than 3).
RULE_RURALPOP_WEIXI   Weixi: registered poor people / published incidence.
RULE_HH               rural_households = rural_population / census family-
    household size (county, else prefecture, else province, else median of the
    key counties with a county size).
RULE_VILLAGES         villages = rural_population / median rural people per
    village (prefecture if >= 3 key counties with both figures, else province
    if >= 3, else all key counties).
RULE_VILLAGE_MERGER   Sichuan village counts dated before the 2019-2020
    village mergers are multiplied by 0.7.
RULE_PA_PREF, RULE_PA_PROV, RULE_PA_PROV_MEDIAN
                      pa_people = rural_population x poverty share of the
    prefecture (published incidence or total / rural population), else of the
    province (poverty-alleviated people / (census rural residents x C)), else
    the median provincial share.
RULE_RELOC_PREF, RULE_RELOC_PROV, RULE_RELOC_PROV_MEDIAN
                      relocated_people = pa_people x (relocated / poverty-
    alleviated people) of the prefecture, else of the province, else the
    median ratio of the provinces with both figures.
"""
import csv
import math
import os
import re
import statistics
import sys
from collections import Counter, OrderedDict, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
RESEARCH = os.path.join(HERE, "research")
OUT = os.path.join(HERE, "counties.csv")
DOC = os.path.normpath(os.path.join(HERE, "..", "..", "docs", "data.md"))

COLUMNS = [
    "code", "name_zh", "name", "province", "prefecture_zh", "prefecture", "lat", "lon", "list_basis",
    "hazard_prone", "hazard_prone_basis", "ethnic_area", "ethnic_area_basis", "old_revolutionary",
    "old_revolutionary_basis", "no_railway", "no_railway_basis", "no_expressway", "no_expressway_basis",
    "rural_population", "rural_population_basis", "rural_households", "rural_households_basis",
    "villages", "villages_basis", "pa_people", "pa_people_basis", "relocated_people",
    "relocated_people_basis", "large_sites", "large_sites_basis", "sources",
]
FLAGS = ["hazard_prone", "ethnic_area", "old_revolutionary", "no_railway", "no_expressway"]
SIZES = ["rural_population", "rural_households", "villages", "pa_people", "relocated_people", "large_sites"]

# ---------------------------------------------------------------------------
# Facts the checks compare against (notice of 27 Aug 2021 and the launch speech;
# see scenarios/data/research/counties_160_notes.md).
# ---------------------------------------------------------------------------
PROVINCE_COUNTS = OrderedDict([
    ("Inner Mongolia", 10), ("Guangxi", 20), ("Chongqing", 4), ("Sichuan", 25), ("Guizhou", 20),
    ("Yunnan", 27), ("Shaanxi", 11), ("Gansu", 23), ("Qinghai", 15), ("Ningxia", 5),
])
FLAG_TOTALS = {"hazard_prone": 73, "ethnic_area": 114, "old_revolutionary": 44, "no_railway": 106,
               "no_expressway": 69}
PREFECTURE_COUNTS = OrderedDict([
    ("Liangshan", 10), ("Ganzi", 9), ("Zhaotong", 8), ("Hechi", 7), ("Baise", 7), ("Aba", 6),
    ("Linxia", 6), ("Honghe", 5), ("Guoluo", 5), ("Yushu", 5),
])
HH_SIZE_RANGE = (2.5, 7.0)

# Basis words per size column (defined in docs/data.md).
BASIS_WORDS = {
    "rural_population": {"county", "census", "registered", "prefecture", "key_county_median"},
    "rural_households": {"census", "prefecture", "province", "key_county_median"},
    "villages": {"county", "county_scaled", "key_county_median"},
    "pa_people": {"county", "prefecture", "province", "province_median"},
    "relocated_people": {"county", "prefecture", "province", "province_median"},
    "large_sites": {"county", "not_found"},
}

# ---------------------------------------------------------------------------
# Provincial 2020 census constants.  Source (key NBS_CENSUS7): National Bureau
# of Statistics, 第七次全国人口普查公报（第三号）地区人口情况 (resident population by
# province) and 第七次全国人口普查公报（第七号）城乡人口和流动人口情况 (share of the
# resident population living in urban areas, %), both 2021-05-11.  The Guangxi,
# Inner Mongolia, Qinghai and Ningxia totals equal the provincial figures in
# research/province_stats.csv.
# ---------------------------------------------------------------------------
CENSUS_PROVINCE = {  # province: (resident population, urban share %)
    "Inner Mongolia": (24049155, 67.48),
    "Guangxi": (50126804, 54.20),
    "Chongqing": (32054159, 69.46),
    "Sichuan": (83674866, 56.73),
    "Guizhou": (38562148, 53.15),
    "Yunnan": (47209277, 50.05),
    "Shaanxi": (39528999, 62.66),
    "Gansu": (25019831, 52.23),
    "Qinghai": (5923957, 60.08),
    "Ningxia": (7202654, 64.96),
}

# County-level units per prefecture (statistics-bureau division codes, key
# AREACITY), for the prefectures whose census total RULE_RURALPOP_PREF uses.
PREF_UNITS = {
    "百色市": 12, "甘孜藏族自治州": 18, "凉山彝族自治州": 17, "六盘水市": 4, "遵义市": 14, "安顺市": 6,
    "毕节市": 8, "铜仁市": 10, "黔西南布依族苗族自治州": 8, "黔东南苗族侗族自治州": 16,
    "黔南布依族苗族自治州": 12, "商洛市": 7, "天水市": 7, "武威市": 4, "平凉市": 7, "庆阳市": 8,
    "定西市": 7, "陇南市": 9, "白银市": 5, "临夏回族自治州": 8, "甘南藏族自治州": 8, "海东市": 6,
    "果洛藏族自治州": 6, "曲靖市": 9, "赤峰市": 12, "通辽市": 8, "呼伦贝尔市": 14, "乌兰察布市": 11,
    "兴安盟": 6, "锡林郭勒盟": 12,
}

# Census family households (家庭户, urban + rural) from county_stats_notes.md.
# size None: resident population / family households; else the average
# family-household size printed in the bulletin (or table).
COUNTY_FAMILY_HH = {  # name_zh: (family households, bulletin size or None, key)
    "织金县": (284639, None, "ZJ_HHK"),
    "赫章县": (198523, None, "HZ_WEIMO"),
    "务川仡佬族苗族自治县": (108580, 2.71, "WC_HHK"),
    "凌云县": (54179, 3.34, "LY_HHK"),
    "融水苗族自治县": (140016, None, "RS_GOV"),
    "都安瑶族自治县": (175645, 2.95, "DA_BX"),
    "天等县": (102432, None, "TD_BX"),
    "漳县": (56295, 2.91, "ZHX_HHK"),
}
# Prefecture sizes: bulletin values where the notes give one (Liangshan's
# bulletin gives the size but no household count), else resident population /
# family households from province_stats.csv.
PREF_HH_BULLETIN = {"凉山彝族自治州": (3.25, "LS_PREF"), "临夏回族自治州": (3.75, "LX_PREF"),
                    "百色市": (2.89, "BS_PREF")}
PROV_HH_BULLETIN = {"Guangxi": (2.87, "GX_PROV"), "Ningxia": (2.65, "NX_PROV")}

# Sichuan village counts dated before the 2019-2020 village mergers
# (村级建制调整); the notes suggest reducing them by about 30 %.
PRE_MERGER_VILLAGES = {"昭觉县": "2010", "石渠县": "2018", "炉霍县": "2010"}
MERGER_FACTOR = 0.7

# Weixi: 48554 registered poor people = 37 % of the county's rural population
# (WX2_RTS).  Poverty incidence (贫困发生率) is measured against the registered
# rural population, so 48554 / 0.37 is read as that population.
WEIXI = ("维西傈僳族自治县", 48554, 0.37, "WX2_RTS")

# Prefecture poverty shares (RULE_PA_PREF).  Each is registered poor people /
# registered rural population of the whole prefecture.
#   Aba: 2013 incidence 14.5 % (ABA_PA).
#   Ganzi: (Sichuan Tibetan area 360000 (SC_ZANG, 2013) - Aba 104000 (ABA_PA))
#          / Ganzi rural registered population 899000 (GZ_2010POOR); the 360000
#          also holds Muli county of Liangshan, so the share is slightly high.
#   Liangshan: 801000 lifted to end-2019 (LS_PA) plus the remaining 4 %
#          incidence (left in 2020), over the prefecture's rural population
#          estimated as census population x S x C (no rural figure found).
#   Chuxiong: 2014 incidence 12.25 % (CX_PA).   Wuwei: 2013 incidence 23.14 % (WW_PA).
PA_INCIDENCE_PREF = {"阿坝藏族羌族自治州": (0.145, "ABA_PA"), "楚雄彝族自治州": (0.1225, "CX_PA"),
                     "武威市": (0.2314, "WW_PA")}
LIANGSHAN_REMAINING_INCIDENCE = 0.04

# Provincial poverty-alleviated people (province_stats.csv): which quantity is
# used for each province.  Guangxi and Chongqing have none in the research notes.
PA_PROVINCE_QUANTITY = {
    "Guizhou": "pa_people_cumulative_since_2012", "Sichuan": "pa_people_registered_2013",
    "Yunnan": "poor_people_2012", "Gansu": "pa_people_cumulative_since_2013",
    "Shaanxi": "poor_people_2011", "Qinghai": "pa_people", "Ningxia": "pa_people_cumulative_since_2012",
    "Inner Mongolia": "pa_people_cumulative",
}
# Provincial relocated people (province_stats.csv); Shaanxi, Qinghai and
# Ningxia have none in the research notes.
RELOC_PROVINCE_QUANTITY = {
    "Guizhou": "relocated_people_13th_fyp", "Sichuan": "relocated_people_plan", "Yunnan": "relocated_people",
    "Gansu": "relocated_people", "Inner Mongolia": "relocated_people_plan", "Guangxi": "relocated_people",
    "Chongqing": "relocated_people",
}

ERRORS = []


def fail(msg):
    ERRORS.append(msg)


def rint(x):
    """Round half up (deterministic, no banker's rounding)."""
    return int(math.floor(x + 0.5))


def num(s):
    s = (s or "").strip()
    return float(s) if s else None


def median(xs):
    return statistics.median(xs)


def read_csv(name):
    with open(os.path.join(RESEARCH, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def clean_prefecture(en):
    """'Ganzi (Garze)' -> 'Ganzi', 'Hainan (Qinghai)' -> 'Hainan'."""
    return en.split(" (")[0].strip()


def add(keys, *new):
    for k in new:
        if k and k not in keys:
            keys.append(k)


# ---------------------------------------------------------------------------
def main():
    base = read_csv("counties_160.csv")
    stats = {(r["name_zh"], r["province"]): r for r in read_csv("county_stats.csv")}
    pstats = read_csv("province_stats.csv")

    def pval(level, name, quantity):
        hits = [r for r in pstats if r["level"] == level and r["name"] == name and r["quantity"] == quantity]
        if len(hits) != 1:
            raise SystemExit("province_stats.csv: expected one row %s/%s/%s, found %d"
                             % (level, name, quantity, len(hits)))
        return float(hits[0]["value"]), hits[0]["source"]

    def pref_total(pref_zh):
        hits = [r for r in pstats if r["level"] == "prefecture" and r["name"] == pref_zh
                and r["quantity"] == "resident_population_census"]
        return (float(hits[0]["value"]), hits[0]["source"]) if hits else None

    rows = []
    for b in base:
        s = stats.get((b["name_zh"], b["province"]))
        if s is None:
            raise SystemExit("county_stats.csv has no row for %s (%s)" % (b["name_zh"], b["province"]))
        keys = [k for k in b["sources"].split(";") if k]
        add(keys, *[k for k in s["sources"].split(";") if k])
        rows.append({"b": b, "s": s, "keys": keys,
                     "R": num(s["resident_population_2020"]), "r": num(s["rural_resident_population_2020"]),
                     "Reg": num(s["registered_population"]), "H": num(s["registered_rural_population"]),
                     "V": num(s["villages"]), "PA": num(s["pa_people"]), "RL": num(s["relocated_people"]),
                     "LS": num(s["large_sites"])})

    # ---------------- ratios from the key counties with both figures --------
    A_pairs = [r["H"] / r["Reg"] for r in rows if r["H"] and r["Reg"]]
    C_pairs = [r["H"] / r["r"] for r in rows if r["H"] and r["r"]]
    B_pairs = [r["R"] / r["Reg"] for r in rows if r["R"] and r["Reg"]]
    share_by_prov = defaultdict(list)
    for r in rows:
        if r["R"] and r["r"]:
            share_by_prov[r["b"]["province"]].append(r["r"] / r["R"])
    A, C, B = median(A_pairs), median(C_pairs), median(B_pairs)
    S_all = median([x for xs in share_by_prov.values() for x in xs])

    def S(prov):
        xs = share_by_prov.get(prov, [])
        return (median(xs), prov) if len(xs) >= 3 else (S_all, "all")

    consts = OrderedDict()
    consts["A = registered rural / registered total (median, n=%d)" % len(A_pairs)] = A
    consts["C = registered rural / census rural resident (median, n=%d)" % len(C_pairs)] = C
    consts["B = census resident / registered total (median, n=%d)" % len(B_pairs)] = B
    consts["S_all = census rural share, all key counties (median, n=%d)"
           % sum(len(v) for v in share_by_prov.values())] = S_all
    for p in PROVINCE_COUNTS:
        if len(share_by_prov.get(p, [])) >= 3:
            consts["S_%s = census rural share (median, n=%d)" % (p, len(share_by_prov[p]))] = S(p)[0]

    # ---------------- rural_population --------------------------------------
    # Step 1: county figures.
    for r in rows:
        b, keys = r["b"], r["keys"]
        prov = b["province"]
        if r["H"]:
            r["rural_population"], r["rural_population_basis"] = r["H"], "county"
        elif b["name_zh"] == WEIXI[0]:
            r["rural_population"], r["rural_population_basis"] = WEIXI[1] / WEIXI[2], "county"
            add(keys, "RULE_RURALPOP_WEIXI", WEIXI[3])
        elif r["r"]:
            r["rural_population"], r["rural_population_basis"] = r["r"] * C, "census"
            add(keys, "RULE_RURALPOP_CENSUS")
        elif r["R"]:
            r["rural_population"], r["rural_population_basis"] = r["R"] * S(prov)[0] * C, "census"
            add(keys, "RULE_RURALPOP_CENSUS")
        elif r["Reg"]:
            r["rural_population"], r["rural_population_basis"] = r["Reg"] * A, "registered"
            add(keys, "RULE_RURALPOP_REG")
        else:
            continue
        if r["rural_population_basis"] == "census" and r["Reg"] and r["rural_population"] > r["Reg"]:
            r["rural_population"], r["rural_population_basis"] = r["Reg"], "registered"
            add(keys, "RULE_RURALPOP_CAP")

    # Step 2: prefecture residuals (resident population), then x S x C.
    by_pref = defaultdict(list)
    for r in rows:
        by_pref[r["b"]["prefecture_zh"]].append(r)
    pref_resident_share = {}
    for pref, members in by_pref.items():
        missing = [r for r in members if "rural_population" not in r]
        tot = pref_total(pref)
        if not missing or tot is None:
            continue
        known = 0.0
        for r in members:
            if r["R"]:
                known += r["R"]
            elif r["Reg"] and "rural_population" in r:
                known += r["Reg"] * B  # registered-only county: resident equivalent
            elif "rural_population" in r:
                raise SystemExit("no resident equivalent for %s" % r["b"]["name_zh"])
        n_known = len(members) - len(missing)
        units_left = PREF_UNITS[pref] - n_known
        share = (tot[0] - known) / units_left
        if share <= 0:
            fail("prefecture residual for %s is not positive" % pref)
            continue
        pref_resident_share[pref] = (share, tot[1], units_left)
        for r in missing:
            r["rural_population"] = share * S(r["b"]["province"])[0] * C
            r["rural_population_basis"] = "prefecture"
            add(r["keys"], "RULE_RURALPOP_PREF", tot[1], "AREACITY")

    # Step 3: provincial medians of the key counties with a county figure.
    county_level = {"county", "census", "registered"}
    for r in rows:
        if "rural_population" in r:
            continue
        prov = r["b"]["province"]
        xs = [q["rural_population"] for q in rows
              if q["b"]["province"] == prov and q.get("rural_population_basis") in county_level]
        if len(xs) < 3:
            xs = [q["rural_population"] for q in rows if q.get("rural_population_basis") in county_level]
        r["rural_population"], r["rural_population_basis"] = median(xs), "key_county_median"
        add(r["keys"], "RULE_RURALPOP_MEDIAN")
    for r in rows:
        r["rural_population"] = rint(r["rural_population"])

    # ---------------- rural_households ---------------------------------------
    county_hh = {}
    for name, (fhh, size, key) in COUNTY_FAMILY_HH.items():
        rr = [r for r in rows if r["b"]["name_zh"] == name]
        if len(rr) != 1 or not rr[0]["R"]:
            raise SystemExit("family households: no resident population for " + name)
        county_hh[name] = (size if size else rr[0]["R"] / fhh, key)
    pref_hh = {p: v for p, v in PREF_HH_BULLETIN.items()}
    for r in pstats:
        if r["level"] == "prefecture" and r["quantity"] == "family_households_census" and r["name"] not in pref_hh:
            tot = pref_total(r["name"])
            pref_hh[r["name"]] = (tot[0] / float(r["value"]), r["source"])
    hh_median = median([v[0] for v in county_hh.values()])
    consts["household size, key-county median (n=%d)" % len(county_hh)] = hh_median
    for r in rows:
        b = r["b"]
        if b["name_zh"] in county_hh:
            size, key, basis = county_hh[b["name_zh"]] + ("census",)
        elif b["prefecture_zh"] in pref_hh:
            size, key, basis = pref_hh[b["prefecture_zh"]] + ("prefecture",)
        elif b["province"] in PROV_HH_BULLETIN:
            size, key, basis = PROV_HH_BULLETIN[b["province"]] + ("province",)
        else:
            size, key, basis = hh_median, None, "key_county_median"
        r["hh_size"] = size
        r["rural_households"] = rint(r["rural_population"] / size)
        r["rural_households_basis"] = basis
        add(r["keys"], "RULE_HH", key)

    # ---------------- villages -------------------------------------------------
    for r in rows:
        if r["V"]:
            if r["b"]["province"] == "Sichuan" and r["b"]["name_zh"] in PRE_MERGER_VILLAGES:
                r["villages"], r["villages_basis"] = r["V"] * MERGER_FACTOR, "county_scaled"
                add(r["keys"], "RULE_VILLAGE_MERGER")
            else:
                r["villages"], r["villages_basis"] = r["V"], "county"
    ppv = [r for r in rows if "villages" in r and r["rural_population_basis"] in county_level]
    ppv_used = Counter()
    for r in rows:
        if "villages" in r:
            continue
        b = r["b"]
        level = None
        for lvl, field in (("prefecture", "prefecture_zh"), ("province", "province")):
            xs = [q["rural_population"] / q["villages"] for q in ppv if q["b"][field] == b[field]]
            if len(xs) >= 3:
                level = "%s %s" % (lvl, b["prefecture"] if lvl == "prefecture" else b["province"])
                break
        else:
            xs = [q["rural_population"] / q["villages"] for q in ppv]
            level = "all key counties"
        m = median(xs)
        ppv_used[(level, len(xs), rint(m))] += 1
        r["villages"], r["villages_basis"] = r["rural_population"] / m, "key_county_median"
        add(r["keys"], "RULE_VILLAGES")
    for r in rows:
        r["villages"] = max(1, rint(r["villages"]))

    # ---------------- pa_people -------------------------------------------------
    prov_rural_res = {p: t * (1 - u / 100.0) for p, (t, u) in CENSUS_PROVINCE.items()}
    prov_share = OrderedDict()
    for p, q in PA_PROVINCE_QUANTITY.items():
        v, key = pval("province", p, q)
        prov_share[p] = (v / (prov_rural_res[p] * C), key)
    share_median = median([v[0] for v in prov_share.values()])
    pref_share = {}
    for pref, (inc, key) in PA_INCIDENCE_PREF.items():
        pref_share[pref] = (inc, [key])
    zang, k1 = pval("prefecture", "四川藏区32县", "pa_people_registered_2013")
    aba, k2 = pval("prefecture", "阿坝藏族羌族自治州", "pa_people_registered_2013")
    gz_rural, k3 = pval("prefecture", "甘孜藏族自治州", "rural_registered_population_derived")
    pref_share["甘孜藏族自治州"] = ((zang - aba) / gz_rural, [k1, k2, k3])
    ls_tot, k4 = pval("prefecture", "凉山彝族自治州", "resident_population_census")
    ls_pa, k5 = pval("prefecture", "凉山彝族自治州", "pa_people_lifted_to_2019")
    ls_rural = ls_tot * S("Sichuan")[0] * C
    ls_pa_total = ls_pa + LIANGSHAN_REMAINING_INCIDENCE * ls_rural
    pref_share["凉山彝族自治州"] = (ls_pa_total / ls_rural, [k4, k5])

    for r in rows:
        b = r["b"]
        if r["PA"]:
            r["pa_people"], r["pa_people_basis"] = r["PA"], "county"
        elif b["prefecture_zh"] in pref_share:
            sh, ks = pref_share[b["prefecture_zh"]]
            r["pa_people"], r["pa_people_basis"] = r["rural_population"] * sh, "prefecture"
            add(r["keys"], "RULE_PA_PREF", *ks)
        elif b["province"] in prov_share:
            sh, key = prov_share[b["province"]]
            r["pa_people"], r["pa_people_basis"] = r["rural_population"] * sh, "province"
            add(r["keys"], "RULE_PA_PROV", key, "NBS_CENSUS7")
        else:
            r["pa_people"], r["pa_people_basis"] = r["rural_population"] * share_median, "province_median"
            add(r["keys"], "RULE_PA_PROV_MEDIAN", "NBS_CENSUS7")
        r["pa_people"] = min(rint(r["pa_people"]), r["rural_population"])

    # Anchor comparison: the county figures against the share the rules would give.
    anchors = []
    for r in rows:
        if r["pa_people_basis"] != "county":
            continue
        b = r["b"]
        if b["prefecture_zh"] in pref_share:
            rule, lvl = pref_share[b["prefecture_zh"]][0], "prefecture"
        else:
            rule, lvl = prov_share[b["province"]][0], "province"
        anchors.append((b["name"], r["pa_people"] / r["rural_population"], rule, lvl))

    # ---------------- relocated_people -----------------------------------------
    prov_reloc = OrderedDict()
    for p, q in RELOC_PROVINCE_QUANTITY.items():
        v, key = pval("province", p, q)
        if p in prov_share:
            pa_key = prov_share[p][1]
            pa_prov, _ = pval("province", p, PA_PROVINCE_QUANTITY[p])
            prov_reloc[p] = (v / pa_prov, [key, pa_key], True)
        else:  # no provincial PA figure: PA estimated with the median share
            pa_est = prov_rural_res[p] * C * share_median
            prov_reloc[p] = (v / pa_est, [key, "NBS_CENSUS7"], False)
    reloc_median = median([v[0] for v in prov_reloc.values() if v[2]])
    pref_reloc = {}
    v, key = pval("prefecture", "凉山彝族自治州", "relocated_people")
    pref_reloc["凉山彝族自治州"] = (v / ls_pa_total, [key, k4, k5])
    v, key = pval("prefecture", "昭通市", "relocated_people")
    zt_reg, k6 = pval("prefecture", "昭通市", "registered_population")
    pref_reloc["昭通市"] = (v / (zt_reg * A * prov_share["Yunnan"][0]), [key, k6, prov_share["Yunnan"][1]])
    v, key = pval("prefecture", "黔西南布依族苗族自治州", "relocated_people")
    qxn_tot, k7 = pval("prefecture", "黔西南布依族苗族自治州", "resident_population_census")
    pref_reloc["黔西南布依族苗族自治州"] = (
        v / (qxn_tot * S("Guizhou")[0] * C * prov_share["Guizhou"][0]), [key, k7, prov_share["Guizhou"][1]])

    for r in rows:
        b = r["b"]
        if r["RL"]:
            r["relocated_people"], r["relocated_people_basis"] = r["RL"], "county"
        elif b["prefecture_zh"] in pref_reloc:
            ratio, ks = pref_reloc[b["prefecture_zh"]]
            r["relocated_people"], r["relocated_people_basis"] = r["pa_people"] * ratio, "prefecture"
            add(r["keys"], "RULE_RELOC_PREF", *ks)
        elif b["province"] in prov_reloc:
            ratio, ks, _ = prov_reloc[b["province"]]
            r["relocated_people"], r["relocated_people_basis"] = r["pa_people"] * ratio, "province"
            add(r["keys"], "RULE_RELOC_PROV", *ks)
        else:
            r["relocated_people"], r["relocated_people_basis"] = r["pa_people"] * reloc_median, "province_median"
            add(r["keys"], "RULE_RELOC_PROV_MEDIAN")
        r["relocated_people"] = min(rint(r["relocated_people"]), r["pa_people"])

    # ---------------- large_sites ------------------------------------------------
    for r in rows:
        if r["LS"]:
            r["large_sites"], r["large_sites_basis"] = rint(r["LS"]), "county"
        else:
            r["large_sites"], r["large_sites_basis"] = 0, "not_found"

    # ---------------- assemble ---------------------------------------------------
    out = []
    for r in rows:
        b = r["b"]
        keys = [k for k in b["sources"].split(";") if k]
        rec = OrderedDict()
        rec["code"], rec["name_zh"], rec["name"] = b["code"], b["name_zh"], b["name"]
        rec["province"], rec["prefecture_zh"] = b["province"], b["prefecture_zh"]
        rec["prefecture"] = clean_prefecture(b["prefecture"])
        rec["lat"], rec["lon"] = b["lat"], b["lon"]
        rec["list_basis"] = "reconstructed" if "RECALL" in keys else "listed"
        for f in FLAGS:
            rec[f] = b[f]
            rec[f + "_basis"] = b[f + "_status"]
        for c in SIZES:
            rec[c] = str(int(r[c]))
            rec[c + "_basis"] = r[c + "_basis"]
        rec["sources"] = ";".join(r["keys"])
        out.append(rec)

    check(out)
    write(out)
    report(out, consts, prov_share, share_median, pref_share, prov_reloc, reloc_median, pref_reloc,
           pref_resident_share, ppv_used, county_hh, pref_hh, hh_median, anchors, ls_rural, ls_pa_total)
    if ERRORS:
        print("\nCHECKS FAILED:", file=sys.stderr)
        for e in ERRORS:
            print("  " + e, file=sys.stderr)
        sys.exit(1)
    print("\nAll checks passed; wrote %s (%d rows)." % (os.path.relpath(OUT), len(out)))


# ---------------------------------------------------------------------------
def check(out):
    if len(out) != 160:
        fail("expected 160 rows, got %d" % len(out))
    got = Counter(r["province"] for r in out)
    for p, n in PROVINCE_COUNTS.items():
        if got[p] != n:
            fail("province %s: %d counties, expected %d" % (p, got[p], n))
    if set(got) - set(PROVINCE_COUNTS):
        fail("unexpected provinces: %s" % sorted(set(got) - set(PROVINCE_COUNTS)))
    for f, n in FLAG_TOTALS.items():
        t = sum(int(r[f]) for r in out)
        if t != n:
            fail("flag %s: total %d, expected %d" % (f, t, n))
        if any(r[f] not in ("0", "1") for r in out):
            fail("flag %s: value other than 0/1" % f)
        if any(r[f + "_basis"] not in ("observed", "assigned") for r in out):
            fail("flag %s: basis other than observed/assigned" % f)
    pc = Counter(r["prefecture"] for r in out)
    for p, n in PREFECTURE_COUNTS.items():
        if pc[p] != n:
            fail("prefecture %s: %d counties, expected %d" % (p, pc[p], n))
    for field in ("name", "name_zh"):
        seen = Counter((r["province"], r[field]) for r in out)
        for (p, n), k in seen.items():
            if k > 1:
                fail("duplicate %s %s in %s" % (field, n, p))
    codes = Counter(r["code"] for r in out)
    for c, k in codes.items():
        if k > 1:
            fail("duplicate code %s" % c)
        if not re.fullmatch(r"\d{6}", c):
            fail("code %s is not 6 digits" % c)
    for r in out:
        if list(r.keys()) != COLUMNS:
            fail("%s: columns differ from the header" % r["name"])
        for k, v in r.items():
            if "," in v or '"' in v:
                fail("%s: comma or double quote in column %s" % (r["name"], k))
            if v == "" or v != v.strip():
                fail("%s: empty or padded cell in column %s" % (r["name"], k))
        if "(" in r["prefecture"]:
            fail("%s: parenthesis in prefecture" % r["name"])
        if r["list_basis"] not in ("listed", "reconstructed"):
            fail("%s: bad list_basis" % r["name"])
        for c in SIZES:
            if not re.fullmatch(r"\d+", r[c]):
                fail("%s: %s is not a whole non-negative number" % (r["name"], c))
                continue
            if r[c + "_basis"] not in BASIS_WORDS[c]:
                fail("%s: %s_basis %s not in the vocabulary" % (r["name"], c, r[c + "_basis"]))
        for c in ("rural_population", "rural_households", "villages"):
            if int(r[c]) <= 0:
                fail("%s: %s must be positive" % (r["name"], c))
        rp, pa, rl = int(r["rural_population"]), int(r["pa_people"]), int(r["relocated_people"])
        if not rl <= pa <= rp:
            fail("%s: relocated %d <= pa %d <= rural %d fails" % (r["name"], rl, pa, rp))
        size = rp / int(r["rural_households"])
        if not HH_SIZE_RANGE[0] <= size <= HH_SIZE_RANGE[1]:
            fail("%s: %.2f persons per household outside %s" % (r["name"], size, HH_SIZE_RANGE))
        lat, lon = float(r["lat"]), float(r["lon"])
        if not (18 < lat < 54 and 73 < lon < 136):
            fail("%s: coordinates %s, %s outside China" % (r["name"], r["lat"], r["lon"]))
    # Every source key is documented in docs/data.md (when the doc exists).
    if os.path.exists(DOC):
        with open(DOC, encoding="utf-8") as f:
            doc = f.read()
        documented = set(re.findall(r"^\| `?([A-Z][A-Z0-9_]+)`? \|", doc, flags=re.M))
        used = sorted({k for r in out for k in r["sources"].split(";")})
        missing = [k for k in used if k not in documented]
        if missing:
            fail("source keys not documented in docs/data.md: %s" % ", ".join(missing))


def write(out):
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        f.write("# The 160 national key counties for rural-revitalization assistance (notice of 2021-08-27)"
                " with flags and county sizes.\n")
        f.write("# Written by scenarios/data/build_counties.py from scenarios/data/research/; do not edit by hand."
                " docs/data.md explains every column.\n")
        f.write(",".join(COLUMNS) + "\n")
        for r in out:
            f.write(",".join(r[c] for c in COLUMNS) + "\n")


def report(out, consts, prov_share, share_median, pref_share, prov_reloc, reloc_median, pref_reloc,
           pref_resident_share, ppv_used, county_hh, pref_hh, hh_median, anchors, ls_rural, ls_pa_total):
    p = print
    p("## Rule constants\n")
    for k, v in consts.items():
        p("- %s: %.3f" % (k, v))
    p("- Liangshan rural population estimate (census x S x C): %d; poverty-alleviated total: %d"
      % (ls_rural, ls_pa_total))
    p("\nPrefecture residuals (resident population per remaining county-level unit):")
    for pref, (share, key, units) in sorted(pref_resident_share.items(), key=lambda x: x[0]):
        p("- %s: %d per unit over %d units (%s)" % (pref, share, units, key))
    p("\nHousehold sizes: county %s" % ", ".join("%s %.3f" % (k, v[0]) for k, v in county_hh.items()))
    p("  prefecture %s" % ", ".join("%s %.3f" % (k, v[0]) for k, v in pref_hh.items()))
    p("  province %s; key-county median %.3f" % (", ".join("%s %.2f" % (k, v[0]) for k, v in PROV_HH_BULLETIN.items()), hh_median))
    p("\nPeople per village used for fills:")
    for (level, n, m), k in sorted(ppv_used.items()):
        p("- %s (n=%d): %d rural people per village, %d counties" % (level, n, m, k))
    p("\nPoverty shares (pa_people / rural_population):")
    for pref, (sh, ks) in pref_share.items():
        p("- prefecture %s: %.4f (%s)" % (pref, sh, ";".join(ks)))
    for prov, (sh, key) in prov_share.items():
        p("- province %s: %.4f (%s)" % (prov, sh, key))
    p("- median of the provincial shares (Guangxi, Chongqing): %.4f" % share_median)
    p("Anchors (county figure vs rule share):")
    for name, obs, rule, lvl in anchors:
        p("- %s: %.3f vs %s rule %.3f (ratio %.2f)" % (name, obs, lvl, rule, obs / rule))
    p("\nRelocated / poverty-alleviated ratios:")
    for pref, (ratio, ks) in pref_reloc.items():
        p("- prefecture %s: %.4f" % (pref, ratio))
    for prov, (ratio, ks, both) in prov_reloc.items():
        p("- province %s: %.4f%s" % (prov, ratio, "" if both else " (PA estimated with the median share)"))
    p("- median of the provinces with both figures (Shaanxi, Qinghai, Ningxia): %.4f" % reloc_median)

    p("\n## Coverage\n")
    lb = Counter(r["list_basis"] for r in out)
    p("List membership: listed %d, reconstructed %d" % (lb["listed"], lb["reconstructed"]))
    p("Reconstructed (RECALL): " + ", ".join("%s %s" % (r["name_zh"], r["name"]) for r in out
                                             if r["list_basis"] == "reconstructed"))
    p("\n| flag | total | observed | assigned |\n|---|---|---|---|")
    for f in FLAGS:
        c = Counter(r[f + "_basis"] for r in out)
        p("| %s | %d | %d | %d |" % (f, sum(int(r[f]) for r in out), c["observed"], c["assigned"]))
    words = ["county", "county_scaled", "census", "registered", "prefecture", "province", "province_median",
             "key_county_median", "not_found"]
    p("\n| column | " + " | ".join(words) + " |\n|---|" + "---|" * len(words))
    for c in SIZES:
        cnt = Counter(r[c + "_basis"] for r in out)
        p("| %s | " % c + " | ".join(str(cnt[w]) if cnt[w] else "-" for w in words) + " |")
    p("\nTotals: " + ", ".join("%s %d" % (c, sum(int(r[c]) for r in out)) for c in SIZES))
    p("\nCounties by basis (lists of up to 70 names):")
    for c in SIZES:
        for w in words:
            names = [r["name"] for r in out if r[c + "_basis"] == w]
            if 0 < len(names) <= 70:
                p("- %s %s (%d): %s" % (c, w, len(names), ", ".join(names)))
    capped = [r["name"] for r in out if "RULE_RURALPOP_CAP" in r["sources"].split(";")]
    p("- rural_population capped at the registered total (%d): %s" % (len(capped), ", ".join(capped)))


if __name__ == "__main__":
    main()
