"""The demo's content: the seed's CRM scorecard (DOMAIN.md section 1), its links and users.

Perspectives are listed top (financial) to bottom (employees & information), as the strategy
map draws them. Each KPI names the SQL metric in :mod:`data.metrics` it is computed from and
how its target is set from the first year's baseline (``stretch``: relative improvement).
"""

from __future__ import annotations

# One demo account per role of the source documents (roles in data/roles.py); they sign in with
# DEMO_PASSWORD, and only while the app runs in demo mode.
DEMO_PASSWORD = "demo"
DEMO_USERS = [{**user, "demo": True} for user in (
    {"username": "admin", "display_name": "Administrator", "role": "admin"},
    {"username": "sara", "display_name": "Sara Ahmadi (CRM strategy team)", "role": "strategy"},
    {"username": "reza", "display_name": "Reza Karimi (Black Belt)", "role": "black_belt"},
    {"username": "leila", "display_name": "Leila Moradi (Green Belt)", "role": "green_belt"},
    {"username": "nima", "display_name": "Nima Rahimi (Champion, Head of Service)", "role": "champion"},
    {"username": "maryam", "display_name": "Maryam Hosseini (Executive)", "role": "executive"},
    {"username": "guest", "display_name": "Guest (read only)", "role": "viewer"},
    {"username": "omid", "display_name": "Omid Sadeghi (Scorecard design lead)", "role": "design_lead"},
    {"username": "parisa", "display_name": "Parisa Jafari (CRM function owner, Marketing)", "role": "function_owner"},
    {"username": "kaveh", "display_name": "Kaveh Tehrani (Subject-matter expert, Service)", "role": "expert"},
)]

DEMO_SEGMENTS = [
    {"name": "All", "name_fa": "همه"},
    {"name": "Corporate", "name_fa": "سازمانی"},
    {"name": "SME", "name_fa": "کسب‌وکار کوچک و متوسط"},
    {"name": "Retail", "name_fa": "خرده‌فروشی"},
]


def _kpi(name, name_fa, metric, unit, direction, aggregation, owner, stretch, weight=1.0):
    return {"name": name, "name_fa": name_fa, "metric": metric, "unit": unit, "direction": direction,
            "aggregation": aggregation, "owner": owner, "stretch": stretch, "weight": weight}


DEMO_SCORECARD = [
    {"name": "Financial", "name_fa": "مالی", "weight": 1.5, "objectives": [
        {"name": "Grow revenue and profit from CRM", "name_fa": "افزایش درآمد و سود از CRM", "kpis": [
            _kpi("Revenue", "درآمد", "revenue", "$k", "higher", "sum", "CFO", 0.08, 2.0),
            _kpi("Gross margin", "حاشیه سود ناخالص", "gross_margin_pct", "%", "higher", "ratio", "CFO", 0.03),
            _kpi("Campaign ROI", "بازگشت سرمایه کمپین‌ها", "campaign_roi_pct", "%", "higher", "ratio", "Head of Marketing", 0.10),
            _kpi("Cost to serve per customer", "هزینه خدمت به ازای هر مشتری", "cost_to_serve", "$", "lower", "ratio", "COO", 0.05),
        ]},
    ]},
    {"name": "Customer", "name_fa": "مشتری", "weight": 1.25, "objectives": [
        {"name": "Maximise customer lifetime value", "name_fa": "بیشینه‌سازی ارزش طول عمر مشتری", "kpis": [
            _kpi("Customer lifetime value", "ارزش طول عمر مشتری", "customer_value", "$", "higher", "ratio", "CMO", 0.06, 2.0),
            _kpi("Highly satisfied customers", "مشتریان بسیار راضی", "highly_satisfied_customers_pct", "%", "higher", "ratio", "Head of Service", 0.08),
            _kpi("Complaints per 1,000 customers", "شکایات به ازای هر ۱۰۰۰ مشتری", "complaints_per_1000", "‰", "lower", "ratio", "Head of Service", 0.10),
        ]},
    ]},
    {"name": "Operational – marketing", "name_fa": "عملیاتی – بازاریابی", "weight": 1.0, "objectives": [
        {"name": "Maximise retention", "name_fa": "بیشینه‌سازی حفظ مشتری", "kpis": [
            _kpi("Retention rate", "نرخ حفظ مشتری", "retention_pct", "%", "higher", "ratio", "CMO", 0.004, 2.0),
            _kpi("Win-back rate", "نرخ بازگشت مشتری", "winback_pct", "%", "higher", "ratio", "Head of Marketing", 0.10),
        ]},
        {"name": "Maximise penetration", "name_fa": "بیشینه‌سازی نفوذ", "kpis": [
            _kpi("Penetration rate", "نرخ نفوذ", "penetration_pct", "%", "higher", "ratio", "Head of Marketing", 0.05),
            _kpi("New customers acquired", "جذب مشتری جدید", "new_customers", "customers", "higher", "sum", "Head of Sales", 0.10),
        ]},
    ]},
    {"name": "Operational – sales", "name_fa": "عملیاتی – فروش", "weight": 1.0, "objectives": [
        {"name": "Maximise sales productivity", "name_fa": "بیشینه‌سازی بهره‌وری فروش", "kpis": [
            _kpi("Campaign response rate", "نرخ پاسخ کمپین", "campaign_response_pct", "%", "higher", "ratio", "Head of Marketing", 0.10),
            _kpi("Cost per acquisition", "هزینه هر جذب موفق", "cost_per_acquisition", "$", "lower", "ratio", "Head of Marketing", 0.08),
            _kpi("Opportunity win rate", "نرخ تبدیل فرصت فروش", "win_rate_pct", "%", "higher", "ratio", "Head of Sales", 0.06, 2.0),
            _kpi("Cost of sale per won deal", "هزینه فروش هر قرارداد", "cost_of_sale", "$", "lower", "ratio", "Head of Sales", 0.05),
        ]},
    ]},
    {"name": "Operational – service", "name_fa": "عملیاتی – خدمات", "weight": 1.0, "objectives": [
        {"name": "Maximise service quality", "name_fa": "بیشینه‌سازی کیفیت خدمات", "kpis": [
            _kpi("Tickets resolved within SLA", "درخواست‌های حل‌شده در سطح خدمت", "sla_met_pct", "%", "higher", "ratio", "Head of Service", 0.03, 2.0),
            _kpi("Mean resolution time", "میانگین زمان حل درخواست", "resolution_hours", "h", "lower", "ratio", "Head of Service", 0.08),
            _kpi("Cost of service per ticket", "هزینه خدمت هر درخواست", "cost_per_ticket", "$", "lower", "ratio", "COO", 0.05),
            _kpi("Complaints resolved within 15 days", "شکایات حل‌شده ظرف ۱۵ روز", "complaints_resolved_15d_pct", "%", "higher", "ratio", "Head of Service", 0.05),
        ]},
    ]},
    {"name": "Employees & information", "name_fa": "کارکنان و اطلاعات", "weight": 0.75, "objectives": [
        {"name": "Raise employee satisfaction", "name_fa": "افزایش رضایت کارکنان", "kpis": [
            _kpi("Highly satisfied employees", "کارکنان بسیار راضی", "satisfied_employees_pct", "%", "higher", "ratio", "HR Director", 0.08),
        ]},
        {"name": "Build strategic CRM competencies", "name_fa": "ایجاد شایستگی‌های راهبردی CRM", "kpis": [
            _kpi("CRM-trained employees", "کارکنان آموزش‌دیده CRM", "crm_trained_pct", "%", "higher", "last", "HR Director", 0.25),
            _kpi("Core CRM competency coverage", "پوشش شایستگی‌های اصلی CRM", "competency_coverage_pct", "%", "higher", "last", "HR Director", 0.12),
        ]},
        {"name": "Share strategic CRM knowledge", "name_fa": "دسترسی به دانش راهبردی CRM", "kpis": [
            _kpi("CRM information access rate", "نرخ دسترسی به اطلاعات CRM", "info_access_pct", "%", "higher", "last", "CIO", 0.20),
        ]},
    ]},
]

# Cause → effect between objectives (seed 000: learning → operations → customer → financial).
DEMO_LINKS = [
    ("Build strategic CRM competencies", "Maximise service quality", 0.6),
    ("Build strategic CRM competencies", "Maximise sales productivity", 0.5),
    ("Share strategic CRM knowledge", "Maximise sales productivity", 0.4),
    ("Share strategic CRM knowledge", "Maximise retention", 0.3),
    ("Raise employee satisfaction", "Maximise service quality", 0.5),
    ("Maximise service quality", "Maximise customer lifetime value", 0.7),
    ("Maximise service quality", "Maximise retention", 0.6),
    ("Maximise sales productivity", "Maximise penetration", 0.5),
    ("Maximise retention", "Maximise customer lifetime value", 0.7),
    ("Maximise penetration", "Grow revenue and profit from CRM", 0.6),
    ("Maximise customer lifetime value", "Grow revenue and profit from CRM", 0.8),
]
