"""Unit workbooks: write the templates units fill in, and (later) read what they send back."""
