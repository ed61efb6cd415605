"""The SPC studio's panels: data source, chart choice, control chart and capability."""
