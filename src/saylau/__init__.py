"""saylau."""
