"""The department's own self-assessment: its figures derived from its units' returns (derive.py,
pure) and the pre-filled QĐ 79 workbook (workbook.py). The workspace side is
``app.workspace.department``."""
