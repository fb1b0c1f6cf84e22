# The Makefile only bootstraps the virtual environment from the pinned lock
# file, then hands over to invoke (tasks.py), where the real tasks live.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock
PORT ?= 8000

.PHONY: serve test build clean lint bench lock

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

serve: $(STAMP)  ## build the sample site and serve it with live reload (PORT=8001 for another port)
	$(BIN)/invoke livereload --port $(PORT)

test: $(STAMP)  ## the whole test suite
	$(BIN)/invoke test

build: $(STAMP)  ## the production build (publishconf.py) into output/
	$(BIN)/invoke build --production

clean: $(STAMP)
	$(BIN)/invoke clean

lint: $(STAMP)
	$(BIN)/invoke lint

bench: $(STAMP)  ## the build benchmark (ARGS="--news 100 --runs 2" for a quick one)
	$(BIN)/invoke bench --args "$(ARGS)"

lock: $(STAMP)  ## re-pin every package after editing pyproject.toml
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.lock pyproject.toml
