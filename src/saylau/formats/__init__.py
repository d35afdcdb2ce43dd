"""Readers and writers at the edge: CSV, JSON, NIST SP 1500-100, Russian CEC CSV."""
