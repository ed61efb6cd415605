"""Measurement system analysis and designed experiments against published examples (#19).

Sources:
- Montgomery, *Design and Analysis of Experiments*, 8th ed. (DAE): Example 13.1 / Tables 13.1–13.3 (gage
  R&R, 20 parts × 3 operators × 2 trials: SS part 1185.425, operator 2.617, interaction 27.050, error 59.500;
  interaction P = 0.86, so the reduced model: σ²_part 10.2513, σ²_operator 0.0106, σ² 0.8832); Example 6.1
  (plasma etch 2³, 2 replicates: effects A −101.625, C 306.125, AC −153.625; SE Coef 11.87); Example 6.2
  (filtration 2⁴: A 21.625, C 9.875, D 14.625, AC −18.125, AD 16.625); Example 8.1 (2⁴⁻¹, D = ABC).
- AIAG MSA 4th ed. / Minitab's gageaiag example (10 parts × 3 operators × 3 trials): total gage R&R
  27.86 % of study variation, 4 distinct categories.
- Fleiss (1971), the worked example reproduced in statsmodels' inter_rater tests: κ = 0.210.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sixsigma import doe, msa

MONTGOMERY = """21 20 20 20 19 21|24 23 24 24 23 24|20 21 19 21 20 22|27 27 28 26 27 28|19 18 19 18 18 21
23 21 24 21 23 22|22 21 22 24 22 20|19 17 18 20 19 18|24 23 25 23 24 24|25 23 26 25 24 25
21 20 20 20 21 20|18 19 17 19 18 19|23 25 25 25 25 25|24 24 23 25 24 25|29 30 30 28 31 30
26 26 25 26 25 27|20 20 19 20 20 20|19 21 19 19 21 23|25 26 25 24 25 25|19 19 18 17 19 17"""

AIAG = """0.29 -0.56 1.34 0.47 -0.80 0.02 0.59 -0.31 2.26 -1.36
0.41 -0.68 1.17 0.50 -0.92 -0.11 0.75 -0.20 1.99 -1.25
0.64 -0.58 1.27 0.64 -0.84 -0.21 0.66 -0.17 2.01 -1.31
0.08 -0.47 1.19 0.01 -0.56 -0.20 0.47 -0.63 1.80 -1.68
0.25 -1.22 0.94 1.03 -1.20 0.22 0.55 0.08 2.12 -1.62
0.07 -0.68 1.34 0.20 -1.28 0.06 0.83 -0.34 2.19 -1.50
0.04 -1.38 0.88 0.14 -1.46 -0.29 0.02 -0.46 1.77 -1.49
-0.11 -1.13 1.09 0.20 -1.07 -0.67 0.01 -0.56 1.45 -1.77
-0.15 -0.96 0.67 0.11 -1.45 -0.49 0.21 -0.49 1.87 -2.16"""


def _montgomery() -> pd.DataFrame:
    parts = [row.split() for line in MONTGOMERY.splitlines() for row in line.split("|")]
    return pd.DataFrame([{"part": p + 1, "operator": o + 1, "value": float(values[2 * o + trial])}
                         for p, values in enumerate(parts) for o in range(3) for trial in range(2)])


def _aiag() -> pd.DataFrame:
    rows = [line.split() for line in AIAG.splitlines()]      # operator A, B, C × trials 1–3; 10 parts per row
    return pd.DataFrame([{"part": p + 1, "operator": "ABC"[r // 3], "value": float(values[p])}
                         for r, values in enumerate(rows) for p in range(10)])


def test_gage_rr_matches_montgomery_example_13_1():
    result = msa.gage_rr(_montgomery())
    full = result.anova_full.set_index("source")["ss"]
    assert full.round(3).tolist()[:4] == [1185.425, 2.617, 27.050, 59.500]
    assert result.interaction_removed and result.var_interaction == 0
    assert (result.var_part, result.var_operator, result.var_repeatability) == (
        pytest.approx(10.2513, abs=1e-4), pytest.approx(0.0106, abs=1e-4), pytest.approx(0.8832, abs=1e-4))
    assert result.var_gage == pytest.approx(result.var_repeatability + result.var_operator)


def test_gage_rr_matches_the_aiag_example():
    result = msa.gage_rr(_aiag())
    assert result.pct_study_var == pytest.approx(27.86, abs=0.01) and result.ndc == 4


def test_gage_rr_refuses_an_unbalanced_study():
    with pytest.raises(ValueError, match="(?i)unbalanced|balanced"):
        msa.gage_rr(_montgomery().iloc[1:])


def test_fleiss_kappa_matches_the_published_example():
    counts = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
              [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    ratings = np.array([np.repeat(np.arange(5), row) for row in counts])   # 10 subjects × 14 raters
    assert msa.fleiss_kappa(ratings) == pytest.approx(0.210, abs=5e-4)


def _with_response(design: pd.DataFrame, standard_order_response: list[float]) -> pd.DataFrame:
    return design.assign(y=[standard_order_response[i - 1] for i in design["std_order"]])


def test_effects_of_the_unreplicated_filtration_experiment():
    y = [45, 71, 48, 65, 68, 60, 80, 65, 43, 100, 45, 104, 75, 86, 70, 96]          # DAE Table 6.10
    design = doe.full_factorial(["A", "B", "C", "D"], randomize=False)
    assert design["run_order"].tolist() == design["std_order"].tolist() == list(range(1, 17))
    effects = doe.effects(_with_response(design, y), "y", ["A", "B", "C", "D"]).set_index("term")["effect"]
    assert effects[["A", "C", "D", "A*C", "A*D"]].tolist() == [21.625, 9.875, 14.625, -18.125, 16.625]


def test_effects_with_replicates_give_minitab_se_coef():
    first = [550, 669, 633, 642, 1037, 749, 1075, 729]                               # DAE Table 6.4
    second = [604, 650, 601, 635, 1052, 868, 1063, 860]
    design = doe.full_factorial(["A", "B", "C"], replicates=2, randomize=False)
    y = [*first, *second]
    frame = design.assign(y=[y[i] for i in range(16)])
    table = doe.effects(frame, "y", ["A", "B", "C"]).set_index("term")
    assert table.loc[["A", "C", "A*C"], "effect"].tolist() == [-101.625, 306.125, -153.625]
    assert table["std_error"].round(2).unique().tolist() == [11.87]


def test_half_fraction_with_d_equal_abc():
    fraction = doe.half_fraction(["A", "B", "C", "D"], generator="D = ABC", randomize=False)
    assert "AB = CD" in fraction.aliases and "AD = BC" in fraction.aliases
    assert (fraction.design["D"] == fraction.design["A"] * fraction.design["B"] * fraction.design["C"]).all()


def test_a_design_column_that_is_not_plus_or_minus_one_is_refused():
    design = doe.full_factorial(["A", "B"], randomize=False).assign(y=[1.0, 2.0, 3.0, 4.0])
    design["A"] = design["A"].astype(float)
    design.loc[0, "A"] = 0.5
    with pytest.raises(ValueError):
        doe.effects(design, "y", ["A", "B"])
