# One task runner for the checks (CI runs .ci/run, which runs the README's test command).
.PHONY: check lint type test
check: lint type test
lint:
	ruff check .
type:
	mypy
test:
	python -m pytest
