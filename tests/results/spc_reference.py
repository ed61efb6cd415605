"""Published SPC and capability results, each number beside its source (statsmodels style).

Datasets: ``spc_published.json`` (copied from shared/reference-data; its "source" fields name
the files the data come from). Sample numbers in sources are 1-based; indices here are 0-based.

Sources, abbreviated below:

* QCC_VIGNETTE: luca-scr/qcc (qcc 3.0), docs/articles/qcc.html "A quick tour of qcc",
  printed output of the chunks named in each entry.
* QCC_TEST_CAPABILITY: luca-scr/qcc tests/testthat/test-capability.R, expected_indices
  (tolerance 1e-6).
* QCC_TEST_QCC: luca-scr/qcc tests/testthat/test-qcc.R.
* MISTAT_R: gedeck/mistat @ 1085b13 src/mistat/qcc/tests/test_comparison_with_R.py (values
  produced by R qcc).
* MISTAT_STATS: gedeck/mistat @ 1085b13 src/mistat/qcc/tests/test_statistics.py (values from R).
* MISTAT_QCC: gedeck/mistat src/mistat/qcc/tests/test_qualityControlChart.py::test_np_chart.
* SAS_MACONTROL_9_4: SAS/QC User's Guide, MACONTROL procedure, Example 9.4, Output 9.4.1
  (OUTLIMITS data set Tlimits from PROC SHEWHART IRCHART; SAS uses the exact d2).
* MONTGOMERY_VI: Montgomery, Introduction to Statistical Quality Control, Appendix VI
  (factors for constructing variables control charts).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

DATA = json.loads((Path(__file__).with_name("spc_published.json")).read_text())


def dataset(name: str) -> dict:
    """One dataset entry: data (as arrays), sizes, source, note."""
    entry = dict(DATA[name])
    entry["data"] = np.array(entry["data"], dtype=float)
    return entry


# --- Constants ------------------------------------------------------------------------------
# MONTGOMERY_VI: d2, n = 2..25, three decimals (identical to qcc's exp.R.unscaled table).
D2_TABLE = dict(zip(range(2, 26), [
    1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.970, 3.078, 3.173, 3.258, 3.336,
    3.407, 3.472, 3.532, 3.588, 3.640, 3.689, 3.735, 3.778, 3.819, 3.858, 3.895, 3.931,
]))
# MONTGOMERY_VI: d3, three decimals (the values quoted in the task brief and their neighbours).
D3_TABLE = {2: 0.853, 3: 0.888, 4: 0.880, 5: 0.864, 10: 0.797, 25: 0.708}
# MONTGOMERY_VI, four decimals.
C4_TABLE = {2: 0.7979, 3: 0.8862, 4: 0.9213, 5: 0.9400, 10: 0.9727, 25: 0.9896}
# MISTAT_STATS test_qcc_c4 (R qcc's c4), seven digits.
C4_QCC = {2: 0.7978846, 3: 0.8862269, 4: 0.9213177}
# MONTGOMERY_VI, three decimals: derived factors.
FACTORS = {
    ("A2", 5): 0.577, ("A3", 5): 1.427, ("D3", 7): 0.076, ("D4", 2): 3.267,
    ("D4", 5): 2.114, ("B3", 6): 0.030, ("B4", 5): 2.089,
}

# --- X-bar, R, S: pistonrings, subgroups 1-25 phase I --------------------------------------
# QCC_VIGNETTE chunks q1 (xbar with newdata), q2/q3 (R), q4/q5 (S); MISTAT_R test_pistonrings.
PISTON_XBAR = {"center": 74.00118, "sigma": 0.009785039, "lcl": 73.98805, "ucl": 74.0143}
PISTON_R = {"center": 0.02276, "lcl": 0.0, "ucl": 0.04812533}
PISTON_S = {"center": 0.009240037, "sigma": 0.009829977, "lcl": 0.0, "ucl": 0.01930242}

# QCC_VIGNETTE "Variable control limits in control charts" and MISTAT_R
# test_pistonrings_variable_control_limits: values 9, 10, 30, 35, 45, 64, 65, 74, 75, 85, 99,
# 100 of the long pistonrings table (5 per sample, 1-based) removed; subgroups 1-25 phase I.
PISTON_REMOVED_VALUES = [9, 10, 30, 35, 45, 64, 65, 74, 75, 85, 99, 100]
PISTON_VAR_XBAR = {"center": 74.00075, "sigma": 0.009856701,
                   "limits": {0: (73.98753, 74.01398), 1: (73.98368, 74.01782), 24: (73.98753, 74.01398)}}
PISTON_VAR_R = {"center": 0.02230088, "limits": {0: (0.0, 0.04785198), 1: (0.0, 0.04857007), 24: (0.0, 0.04785198)}}
PISTON_VAR_S = {"center": 0.00938731, "sigma": 0.009930923,  # MISTAT_R (R qcc output)
                "limits": {0: (0.0, 0.01955302), 1: (0.0, 0.02318885), 24: (0.0, 0.01955302)}}

# MISTAT_STATS test_Xbar_statistic / test_S_statistic: data [[1, 2, 3], [1, 2, NaN]].
SMALL_ROWS = [[1.0, 2.0, 3.0], [1.0, 2.0, np.nan]]
SMALL_XBAR_CENTER = 1.8
SMALL_UWAVE_R = 1.03393
SMALL_S = {"center": 0.8828427, "sigma": 1.007303, "ucl": (2.28274627669134, 2.70448059144019)}

# --- EWMA ---------------------------------------------------------------------------------
# QCC_VIGNETTE "EWMA": ewma(diameter[1:25,], lambda=0.2, nsigmas=3), limits of groups 1, 2, 25.
PISTON_EWMA_L3 = {0: (73.99855, 74.00380), 1: (73.99781, 74.00454), 24: (73.99680, 74.00555)}
# ... and ewma(diameter[1:25,], lambda=0.2, nsigmas=2.7, newdata=diameter[26:40,]): 1, 2, 40.
PISTON_EWMA_L27 = {0: (73.99881, 74.00354), 1: (73.99815, 74.00420), 39: (73.99724, 74.00511)}
# QCC_VIGNETTE: ewma(viscosity[trial], lambda=0.2, nsigmas=2.7, newdata=...): 1, 2, 35.
VISC_EWMA_L27 = {"center": 34.088, "sigma": 0.5076521,
                 "limits": {0: (33.81387, 34.36213), 1: (33.73694, 34.43906), 34: (33.63111, 34.54489)}}

# --- CUSUM --------------------------------------------------------------------------------
# QCC_VIGNETTE "Cusum chart": centre and σ of cusum(diameter[1:25,], newdata=diameter[26:40,]).
PISTON_CUSUM = {"center": 74.00118, "sigma": 0.009785039}

# --- Individuals --------------------------------------------------------------------------
# QCC_VIGNETTE "Continuous one-at-time data": qcc(viscosity[trial], type="xbar.one").
VISC_I = {"center": 34.088, "sigma": 0.5076521, "lcl": 32.56504, "ucl": 35.61096}
# ... batch 4 removed (temperature controller failure), 19 phase-I batches.
VISC_I_WITHOUT_4 = {"center": 33.98947, "sigma": 0.4117415, "lcl": 32.75425, "ucl": 35.2247}
# QCC_TEST_QCC "xbar.one charts produce the correct number of violations": exactly 1 sample
# flagged in phase I with qcc's default rules c(1, 4) (Western Electric 1 and 4).
VISC_PHASE1_VIOLATIONS = 1

# MISTAT_R test_xbar_one and MISTAT_STATS test_Xbar_one_statistic (R qcc): antifreeze.
ANTIFREEZE_I = {"center": 2.569706, "sigma": 0.1794541, "lcl": 2.031344, "ucl": 3.108068}

# SAS_MACONTROL_9_4: tires (exact d2(2) = 1.128379; printed to 5-6 significant digits).
TIRES = {"mean": 24.0083, "lcl": 23.8571, "ucl": 24.1596, "mr_center": 0.056897, "mr_ucl": 0.18585,
         "mr_lcl": 0.0, "sigma": 0.050423}

# --- p and np -----------------------------------------------------------------------------
# QCC_VIGNETTE "p and np charts": orangejuice samples 1-30 (trial).
OJ_P = {"center": 0.2313333, "sigma": 0.421685, "lcl": 0.05242755, "ucl": 0.4102391}
OJ_P_BEYOND = [14, 22]  # MISTAT_R test_orangejuice: samples 15 and 23 above the UCL
OJ_NP = {"center": 11.56667, "sigma": 2.981763, "lcl": 2.621377, "ucl": 20.51196}
# QCC_VIGNETTE: samples 15 and 23 left out (assignable causes in man/orangejuice.Rd).
OJ_P_REVISED = {"center": 0.215, "sigma": 0.4108223, "lcl": 0.04070284, "ucl": 0.3892972}
OJ_P_REVISED_BEYOND = [20]  # MISTAT_R: index 19 of the reduced set = sample 21
# QCC_VIGNETTE orangejuice2 samples 1-24 phase I; MISTAT_R: no violations in phase I.
OJ2_P = {"center": 0.1108333, "sigma": 0.3139256, "lcl": 0.0, "ucl": 0.2440207}
# MISTAT_QCC test_np_chart: 30 samples of 1000.
NP1000 = {"center": 19.6, "sigma": 4.383588, "lcl": 6.449237, "ucl": 32.750763}
# MISTAT_STATS test_P_statistic (R qcc output in the comment block): variable sample sizes.
VARP_COUNTS = [45, 72, 25, 25, 33, 35, 42, 35, 50, 55, 26, 22]
VARP_SIZES = [7920, 6660, 6480, 4500, 5840, 7020, 6840, 8460, 7020, 9900, 9180, 7200]
VARP = {"center": 0.005343599, "sigma": 0.07290436, "limits": [
    (0.002885994, 0.007801205), (0.002663582, 0.008023617), (0.002626614, 0.008060584),
    (0.002083217, 0.008603981), (0.002481608, 0.008205590), (0.002733204, 0.007953994),
    (0.002699080, 0.007988118), (0.002965721, 0.007721477), (0.002733204, 0.007953994),
    (0.003145450, 0.007541748), (0.003060875, 0.007626323), (0.002766041, 0.007921157)]}

# --- c and u ------------------------------------------------------------------------------
# QCC_VIGNETTE "c and u charts": circuit samples 1-26 (trial).
CIRCUIT_C = {"center": 19.84615, "sigma": 4.454902, "lcl": 6.481447, "ucl": 33.21086}
CIRCUIT_C_BEYOND = [5, 19]  # qcc man/circuit.Rd: "Sample 6 and 20 are outside the control limits"
# QCC_VIGNETTE: samples 6 and 20 removed, 24 phase-I samples, newdata = samples 27-46.
CIRCUIT_C_REVISED = {"center": 19.66667, "sigma": 4.434712, "lcl": 6.362532, "ucl": 32.9708}
CIRCUIT_U_REVISED = {"center": 0.1966667, "sigma": 0.4434712, "lcl": 0.06362532, "ucl": 0.329708}
# QCC_TEST_QCC "u charts with newdata detect expected violations": exactly 1 flagged sample
# with the default rules c(1, 4) (Western Electric 1 and 4).
CIRCUIT_U_VIOLATIONS = 1
# QCC_VIGNETTE: qcc(x, sizes=size, type="u") on pcmanufact.
PCMANUFACT_U = {"center": 1.93, "sigma": 1.389244, "lcl": 0.06613305, "ucl": 3.793867}

# --- Capability ---------------------------------------------------------------------------
# QCC_TEST_CAPABILITY on capability_small (3 subgroups of 4), specs (9.9, 10.1):
# index -> (value, 2.5%, 97.5%). NaN rows are left out (one-sided cases).
CAP_SMALL_MID = {  # target 10.0 (midpoint)
    "cp": (1.372667, 0.808460, 1.937713), "cpl": (1.441300, 0.911657, 1.970943),
    "cpu": (1.304033, 0.820114, 1.787953), "cpk": (1.304033, 0.727408, 1.880659),
    "cpm": (1.344463, 0.804207, 1.885321), "pp": (1.612598, 0.949773, 2.276410),
    "ppl": (1.693228, 1.078708, 2.307749), "ppu": (1.531968, 0.971902, 2.092035),
    "ppk": (1.531968, 0.864608, 2.199329), "ppm": (1.567395, 0.933327, 2.202237),
}
CAP_SMALL_OFF = {**CAP_SMALL_MID,  # target 10.02
                 "cpm": (1.167834, 0.650542, 1.686689), "ppm": (1.305161, 0.712493, 1.899988)}
CAP_SMALL_UPPER = {  # USL 10.1 only, target 10.02
    "cpu": (1.304033, 0.820114, 1.787953), "cpk": (1.304033, 0.727408, 1.880659),
    "ppu": (1.531968, 0.971902, 2.092035), "ppk": (1.531968, 0.864608, 2.199329),
}
CAP_SMALL_LOWER = {  # LSL 9.9 only, target 10.02
    "cpl": (1.441300, 0.911657, 1.970943), "cpk": (1.441300, 0.810191, 2.072409),
    "ppl": (1.693228, 1.078708, 2.307749), "ppk": (1.693228, 0.960982, 2.425474),
}
CAP_SMALL_UNDEFINED = {"upper": ["cp", "cpl", "cpm", "pp", "ppl", "ppm"],
                       "lower": ["cp", "cpu", "cpm", "pp", "ppu", "ppm"]}

# QCC_VIGNETTE "Process capability analysis" on pistonrings subgroups 1-25 (printed to 2-3
# decimals): (specs, target) -> {index: (value, 2.5%, 97.5%)}.
PISTON_CAPABILITY = [
    ((73.95, 74.05), None, 2, {
        "cp": (1.70, 1.49, 1.91), "cpl": (1.74, 1.55, 1.93), "cpu": (1.66, 1.48, 1.84),
        "cpk": (1.66, 1.45, 1.88), "cpm": (1.69, 1.48, 1.90)}),
    ((73.95, 74.05), 74.02, 3, {
        "cp": (1.703, 1.491, 1.915), "cpl": (1.743, 1.555, 1.932), "cpu": (1.663, 1.483, 1.844),
        "cpk": (1.663, 1.448, 1.878), "cpm": (0.786, 0.656, 0.915)}),
    ((73.99, 74.01), None, 3, {
        "cp": (0.341, 0.298, 0.383), "cpl": (0.381, 0.318, 0.444), "cpu": (0.301, 0.242, 0.359),
        "cpk": (0.301, 0.231, 0.370), "cpm": (0.338, 0.296, 0.380)}),
    ((73.99, 74.1), None, 3, {
        "cp": (1.874, 1.641, 2.106), "cpl": (0.381, 0.318, 0.444), "cpu": (3.367, 3.011, 3.722),
        "cpk": (0.381, 0.305, 0.456), "cpm": (0.408, 0.338, 0.479)}),
]
# Same output, specs (73.99, 74.01): "Exp<LSL 0.13%  Obs<LSL 0.12%  Exp>USL 0.18%  Obs>USL 0.16%".
# That qcc version printed fractions with a "%" sign: the expected fraction below 73.99 is
# Φ((73.99 - 74.00118)/0.009785) = 0.127 (12.7 %), and 15 of the 125 values (0.12) lie below.
PISTON_TAILS = {"below": (0.13, 0.12), "above": (0.18, 0.16)}  # (expected, observed) fractions
# Specs (73.95, 74.05): "Exp<LSL 0%  Obs<LSL 0%  Exp>USL 0%  Obs>USL 0%" (qcc prints 0 below 0.01).
PISTON_WIDE_TAILS_BELOW = 0.0001
