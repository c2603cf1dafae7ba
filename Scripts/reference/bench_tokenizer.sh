#!/usr/bin/env bash
# Tokenizer benchmark (not a test): findoc's Swift BertTokenizer next to the reference tokenizers, in one run, on
# the same sentences (default: the Financial PhraseBank training file in ../shared).
#
#   bash Scripts/reference/bench_tokenizer.sh [DATA.tsv] [REPEATS]
#
# Needs the model installed (Scripts/install-model.sh; FINDOC_MODELS to override) and a venv with
# requirements-tokenizer.txt outside the repository (TOK_VENV, default /work/tok-venv). Builds findoc-bench in release.
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${1:-../shared/data/financial_phrasebank/train.tsv}
repeats=${2:-5}
venv=${TOK_VENV:-/work/tok-venv}
models=${FINDOC_MODELS:-${XDG_CACHE_HOME:-$HOME/.cache}/findoc/models}
swift build -c release --product findoc-bench 2>&1 | grep -E "error|warning:|complete" >&2
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
"$(swift build -c release --show-bin-path)/findoc-bench" tokenizer --data "$data" --repeats "$repeats"
RAYON_NUM_THREADS=1 "$venv/bin/python" Scripts/reference/bench_tokenizer_reference.py "$models/all-MiniLM-L6-v2" "$data" "$repeats" 2>&1 \
  | grep -v "PyTorch, TensorFlow"
"$venv/bin/python" Scripts/reference/bench_tokenizer_reference.py "$models/all-MiniLM-L6-v2" "$data" "$repeats" --batch-only 2>&1 \
  | grep -v "PyTorch, TensorFlow"
