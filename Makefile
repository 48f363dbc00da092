# The README's two commands: `make demo` and `make test`. .ci/run calls `make test`.
.PHONY: demo test setup setup-test typecheck bench

demo: setup
	node bin/reelwright.js render datasets/welcome.csv --template welcome $(ARGS)

test: setup-test
	npm test

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

typecheck: setup
	npm run typecheck

bench: setup
	npm run bench
