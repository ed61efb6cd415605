"""The scorecard screens' parts: scorecard tables, meeting mode, strategy map, KPI detail, comments, exports."""
