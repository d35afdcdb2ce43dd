"""Protocol forms as data (lines and control relations) and the checker that applies them."""
