#!/usr/bin/env bash
# Nightly continual pretraining: each night (1) preprocesses the corpus's new partitions into a dataset when
# PRETEXT_DATASET is set, (2) trains a new run on the dataset (or the corpus), warm-started from the newest
# finished run, then (3) evaluates it. Runs land in RUNS_ROOT/YYYY-MM-DD; a rerun the same night resumes.
#
#   deploy/schedule/nightly.sh [--only preprocess|pretrain|evaluate] CORPUS RUNS_ROOT LABELED_TRAIN LABELED_TEST \
#       [options...]
#
# CORPUS holds one sub-folder per delivery (e.g. CORPUS/2026-11-25/): `pretext preprocess` with
# input.partitioning=folders appends each new sub-folder to the dataset once and skips those already in it.
# Options after the four paths go to `pretext pretrain simclr` (e.g. --set train.epochs=5).
# Environment: PRETEXT_MASTER (a Spark master URL; empty = this machine), PRETEXT_NIGHTLY_DATE (default:
# today), PRETEXT_PRESET (default simclr-small-cnn), PRETEXT_DATASET (a dataset directory; empty = train on
# CORPUS directly), PRETEXT_PREPROCESS_CONFIG (a preprocess YAML file, optional). Example cron entry:
# deploy/schedule/pretext.cron.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
only=all
if [[ "${1:-}" == "--only" ]]; then
  only="${2:?--only takes preprocess, pretrain or evaluate}"
  shift 2
fi
case "$only" in
  all | preprocess | pretrain | evaluate) ;;
  *) echo "--only takes preprocess, pretrain or evaluate" >&2; exit 2 ;;
esac
[[ $# -ge 4 ]] || { echo "usage: $0 CORPUS RUNS_ROOT LABELED_TRAIN LABELED_TEST [pretext options...]" >&2; exit 2; }
corpus="$1" runs_root="$2" labeled_train="$3" labeled_test="$4"
shift 4
day="${PRETEXT_NIGHTLY_DATE:-$(date +%F)}"
run_dir="${runs_root%/}/$day"

pretext() {
  if [[ -n "${PRETEXT_MASTER:-}" ]]; then
    "$ROOT/deploy/bin/pretext" --master "$PRETEXT_MASTER" "$@"
  else
    "$ROOT/deploy/bin/pretext" "$@"
  fi
}

dataset="${PRETEXT_DATASET:-}"
if [[ "$only" == all || "$only" == preprocess ]] && [[ -n "$dataset" ]]; then
  config=()
  [[ -z "${PRETEXT_PREPROCESS_CONFIG:-}" ]] || config=(--config "$PRETEXT_PREPROCESS_CONFIG")
  echo "nightly $day: preprocessing new partitions of $corpus into $dataset"
  pretext preprocess --kind image --data "$corpus" --out "$dataset" --set input.partitioning=folders "${config[@]}"
fi
[[ "$only" != preprocess ]] || exit 0
train_data="${dataset:-$corpus}"

if [[ "$only" != evaluate ]]; then
  warm=()
  if previous=$(pretext latest --root "$runs_root" --model simclr 2>/dev/null) && [[ "$previous" != *"/$day" ]]; then
    warm=(--init-from "$previous")
    echo "nightly $day: warm start from $previous"
  else
    echo "nightly $day: no earlier finished run, training from scratch"
  fi
  pretext pretrain simclr --preset "${PRETEXT_PRESET:-simclr-small-cnn}" --data "$train_data" --out "$run_dir" \
    --resume auto "${warm[@]}" "$@"
fi

[[ "$only" != pretrain ]] || exit 0
pretext evaluate linear-probe --model "$run_dir" --train "$labeled_train" --test "$labeled_test"
pretext evaluate knn --model "$run_dir" --train "$labeled_train" --test "$labeled_test"
