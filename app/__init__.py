"""DTI Desk application: CLI, workspace, workbooks, reports (the GUI lives in ``app.gui``)."""

__version__ = "0.1.0"
