"""Small dialogs the pages open for the clerk's tasks (issue 21): each collects what the core needs
(a unit's fields, a date, a unit, a reason) and nothing else; the page calls the core with it."""
