#!/usr/bin/env bash
# Prints how well findoc's sentence splitter agrees with ECTSum's independent split of the shared calls
# (../shared/data/ectsum/test/ects, one sentence per line) and the commonest kinds of disagreement.
# The speech comes from the same calls in ../shared/data/earnings_calls_fool_json. Usage: Scripts/ectsum-sentences.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests 2>&1 | grep -E "error|warning:|Build complete"
swift test --skip-build --filter ECTSumSentenceTests 2>&1 | grep -E "^ECTSum|^ +[0-9]+  |✔|✘"
