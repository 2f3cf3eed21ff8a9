#!/usr/bin/env bash
# CTest `gpt_torch_ref` (label torch): dumps two models (preset S as shipped, and a 2-layer one
# with PyTorch's N(0, 1) tables) with tests/gpt/gpt_dump.c and has torch_ref.py compare loss,
# gradients and one AdamW step with PyTorch.   torch_ref.sh GPT_DUMP PYTHON
set -euo pipefail
dump=$1 py=$2
dir=$(mktemp -d /tmp/embedscope-torch-ref-XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$dump" 128 32 1 4 4 gpt2 "$dir/s.bin"
"$dump" 40 24 2 3 3 torch "$dir/l2.bin"
exec "$py" "$(dirname "$0")/torch_ref.py" "$dir/s.bin" "$dir/l2.bin"
