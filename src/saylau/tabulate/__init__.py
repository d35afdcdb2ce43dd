"""Tabulation: the unit hierarchy, aggregation and the shapes results travel in."""
