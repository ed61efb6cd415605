-- Hand-written DuckDB queries for the 23 SQL KPIs: the baseline of bench/bench_refresh.py.
-- One scan per fact table computes all of its KPIs' monthly numerators and denominators per
-- segment; customers active at the start of a month are a running sum (window function) of
-- acquisitions minus churns, looked up per calendar month with an ASOF join. Like any hand
-- tuning it leans on the data: a customer churns in a later month than the one acquired in.
-- Statements are separated by ';' on a line of its own.

SELECT segment, date_trunc('month', ordered_on) AS month, sum(revenue) AS revenue,
       sum(revenue - cost) AS margin, count(DISTINCT customer_id) AS buyers
FROM crm_order GROUP BY ALL
;
SELECT segment, date_trunc('month', opened_on) AS month, count(*) AS tickets, sum(cost) AS cost,
       count_if(sla_met) AS sla_met, sum(resolution_hours) AS hours
FROM crm_ticket GROUP BY ALL
;
SELECT segment, date_trunc('month', received_on) AS month, count(*) AS complaints,
       count_if(resolution_days <= 15 AND resolved_ok) AS resolved_15d
FROM crm_complaint GROUP BY ALL
;
SELECT segment, date_trunc('month', answered_on) AS month, count(*) AS answers, count_if(score >= 9) AS top_box
FROM crm_survey GROUP BY ALL
;
SELECT segment, date_trunc('month', sent_on) AS month, sum(revenue - cost) AS net, sum(cost) AS cost,
       sum(winbacks) AS winbacks, sum(winback_targets) AS winback_targets, sum(responses) AS responses,
       sum(contacts) AS contacts, sum(conversions) AS conversions
FROM crm_campaign GROUP BY ALL
;
SELECT segment, date_trunc('month', opened_on) AS month, count(*) AS opportunities, count_if(won) AS won,
       sum(cost_of_sale) AS cost_of_sale
FROM crm_opportunity GROUP BY ALL
;
SELECT month_start AS month, count(*) AS employees, count_if(satisfaction >= 4) AS satisfied,
       count_if(crm_trained) AS trained, sum(competencies_held) / max(competencies_required) AS competencies,
       count_if(has_crm_access) AS access
FROM crm_employee_month GROUP BY ALL
;
SELECT segment, date_trunc('month', acquired_on) AS month, count(*) AS new_customers
FROM crm_customer WHERE acquired_on >= (SELECT min(month_start) FROM crm_month) GROUP BY ALL
;
WITH moves AS (
    SELECT segment, date_trunc('month', acquired_on) + INTERVAL 1 MONTH AS month, 1 AS delta FROM crm_customer
    UNION ALL
    SELECT segment, date_trunc('month', churned_on) + INTERVAL 1 MONTH, -1 FROM crm_customer WHERE churned_on IS NOT NULL
), running AS (
    SELECT segment, month, sum(sum(delta)) OVER (PARTITION BY segment ORDER BY month) AS active
    FROM moves GROUP BY segment, month
), churned AS (
    SELECT segment, date_trunc('month', churned_on) AS month, count(*) AS churned
    FROM crm_customer WHERE churned_on IS NOT NULL GROUP BY ALL
), calendar AS (
    SELECT segment, CAST(month_start AS TIMESTAMP) AS month
    FROM crm_month CROSS JOIN (SELECT DISTINCT segment FROM crm_customer)
)
SELECT c.segment, c.month, r.active, r.active - coalesce(ch.churned, 0) AS retained
FROM calendar c
ASOF JOIN running r ON c.segment = r.segment AND c.month >= r.month
LEFT JOIN churned ch ON ch.segment = c.segment AND ch.month = c.month
;
