# One task runner for the checks; CI (.ci/run) runs the same ones, then builds the Windows installer.
.PHONY: check lint format type test windows
check: lint type test
lint:
	ruff check .
	ruff format --check .
format:
	ruff format .
type:
	mypy
test:
	python -m pytest
windows:
	installer/build-windows.sh
