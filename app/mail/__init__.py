"""E-mail in and out (issue 18): saved e-mails → workbooks (``incoming``), drafts to units (``drafts``)."""
