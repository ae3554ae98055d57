#!/usr/bin/env bash
# Build-time benchmark (issue 7): Lotse against Hugo and Zola, and against the
# file-system floor, on generated guides of 1,000 and 10,000 articles, on
# tmpfs and on disk. Prints markdown tables; see BENCHMARKS.md for a run.
#
#   bench/run.sh                      # 1,000 and 10,000 articles, 5 runs each
#   BENCH_RUNS=3 BENCH_SIZES=1000 bench/run.sh
#
# Environment (all optional):
#   BENCH_RUNS=5             timed runs per tool and corpus (the median is reported)
#   BENCH_SIZES="1000 10000" corpus sizes, in articles (each corpus adds 6 stages + home);
#                            "1000 10000 100000" for the scaling targets (100k needs ~20 GB tmpfs)
#   BENCH_SHAPE=uniform      corpus shape: uniform, or skewed (a few very large stages,
#                            short and very long pages, more links; see examples/gen_corpus.rs)
#   BENCH_FS="tmpfs disk"    where to put corpora and output
#   BENCH_SHM=/dev/shm/lotse-bench   tmpfs working folder
#   BENCH_DISK=/tmp/lotse-bench      disk working folder (must not be tmpfs to mean anything)
#   BENCH_KEEP=1             keep the generated corpora and outputs
#   BENCH_OUT=DIR            where to put the raw timings (default: TARGET/bench-results)
#   LOTSE_BIN, GEN_CORPUS_BIN  use these binaries instead of building them with cargo
#   CARGO_TARGET_DIR         cargo's target folder (default: the repo's target/)
#   HUGO, ZOLA               the binaries to compare with (default: `hugo`, `zola` on PATH)
#
# What is measured, for each tool, corpus and file system: the wall time of a
# clean build (into an output folder that does not exist yet) with a warm
# page cache (one untimed warm-up run first), its CPU time (user + system) and
# the peak RSS, both from /usr/bin/time -v. CPU time is less disturbed by other
# load than wall time. One more Lotse build per corpus runs with LOTSE_TIMINGS=1
# for a table of its phases (wall, CPU, resident memory at the end of each), and
# a last table gives the scaling from each corpus size to the next. Earlier:
# The floor rows do no parsing at all: `floor: read` cats
# every input file to /dev/null, `floor: copy` is `cp -r content OUT`, i.e.
# it reads the whole input tree and writes the same number of files again,
# and `floor: read + write output` reads every input file and then writes the
# tree a Lotse build produces (`cp -r` of an earlier build's output): the least
# any tool must do to turn this input into that output.
set -euo pipefail

die() {
    echo "bench: error: $*" >&2
    exit 1
}
note() { echo "bench: $*" >&2; }

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${BENCH_RUNS:-5}
SIZES=${BENCH_SIZES:-"1000 10000"}
SHAPE=${BENCH_SHAPE:-uniform}
FILESYSTEMS=${BENCH_FS:-"tmpfs disk"}
SHM_DIR=${BENCH_SHM:-/dev/shm/lotse-bench}
DISK_DIR=${BENCH_DISK:-/tmp/lotse-bench}
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT_DIR=${BENCH_OUT:-$TARGET/bench-results}/$STAMP

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive number, not '$RUNS'"
for n in $SIZES; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "BENCH_SIZES must hold positive numbers, not '$n'"
done
for fs in $FILESYSTEMS; do
    [[ $fs == tmpfs || $fs == disk ]] || die "BENCH_FS may hold 'tmpfs' and 'disk', not '$fs'"
done
[[ $SHAPE == uniform || $SHAPE == skewed ]] || die "BENCH_SHAPE may be 'uniform' or 'skewed', not '$SHAPE'"

# --- tools -------------------------------------------------------------------

TIME_BIN=/usr/bin/time
if [[ ! -x $TIME_BIN ]]; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        note "installing GNU time (package 'time') for peak-RSS measurements"
        apt-get install -y -qq time >/dev/null || die "could not install the 'time' package"
    else
        die "/usr/bin/time is missing: install GNU time (Debian: apt-get install time)"
    fi
fi
"$TIME_BIN" -v true 2>&1 | grep "Maximum resident set size" >/dev/null ||
    die "$TIME_BIN is not GNU time (no -v); install the 'time' package"

PREBUILT=0
if [[ -n ${LOTSE_BIN:-} || -n ${GEN_CORPUS_BIN:-} ]]; then
    [[ -n ${LOTSE_BIN:-} && -n ${GEN_CORPUS_BIN:-} ]] || die "set both LOTSE_BIN and GEN_CORPUS_BIN, or neither"
    PREBUILT=1
else
    command -v cargo >/dev/null || die "cargo not found; install Rust or set LOTSE_BIN and GEN_CORPUS_BIN"
    note "building lotse and examples/gen_corpus (release) in $TARGET"
    (cd "$REPO" && CARGO_TARGET_DIR=$TARGET nice -n 10 cargo build --release --quiet --bin lotse --example gen_corpus) ||
        die "cargo build --release failed (see above)"
    LOTSE_BIN=$TARGET/release/lotse
    GEN_CORPUS_BIN=$TARGET/release/examples/gen_corpus
fi
[[ -x $LOTSE_BIN ]] || die "lotse binary not found at $LOTSE_BIN"
[[ -x $GEN_CORPUS_BIN ]] || die "gen_corpus binary not found at $GEN_CORPUS_BIN"

HUGO=${HUGO:-$(command -v hugo || true)}
ZOLA=${ZOLA:-$(command -v zola || true)}
if [[ -n $HUGO && ! -x $HUGO ]]; then die "HUGO=$HUGO is not an executable"; fi
if [[ -n $ZOLA && ! -x $ZOLA ]]; then die "ZOLA=$ZOLA is not an executable"; fi

LOTSE_VERSION="$("$LOTSE_BIN" --version 2>/dev/null | head -n1)"
if ((PREBUILT)); then
    LOTSE_VERSION="$LOTSE_VERSION ($LOTSE_BIN)"
elif git -C "$REPO" rev-parse --short HEAD >/dev/null 2>&1; then
    dirty=""
    if git -C "$REPO" status --porcelain --untracked-files=no | grep . >/dev/null; then dirty="+changes"; fi
    LOTSE_VERSION="$LOTSE_VERSION (repo at $(git -C "$REPO" rev-parse --short HEAD)$dirty)"
fi
HUGO_VERSION=$([[ -n $HUGO ]] && "$HUGO" version 2>/dev/null | head -n1 || echo "not installed")
ZOLA_VERSION=$([[ -n $ZOLA ]] && "$ZOLA" --version 2>/dev/null | head -n1 || echo "not installed")

mkdir -p "$OUT_DIR"
RAW=$OUT_DIR/raw.csv
echo "fs,articles,tool,run,wall_s,cpu_s,max_rss_kb" >"$RAW"
REPORT=$OUT_DIR/report.md

# --- measuring ---------------------------------------------------------------

now_ns() { date +%s%N; }

# measure LABEL FS N OUTDIR CMD...: one warm-up run, then RUNS timed runs, each
# into an output folder that does not exist; %OUT% in CMD stands for it. On tmpfs
# that is OUTDIR, removed before each run. On disk each run gets a new folder,
# OUTDIR.runI, removed only with the corpus: ext4 allocates inodes slowly while
# many were deleted in the last minutes (find_inode_bit/recently_deleted), which
# would make each run slower than the one before. Appends to $RAW and prints
# "median min max rss_kb cpu", where cpu is the median user + system CPU time.
measure() {
    local label=$1 fs=$2 n=$3 out=$4
    shift 4
    local log=$OUT_DIR/last-run.log tv=$OUT_DIR/last-time.txt
    local walls=() cpus=() rss_max=0 i t0 t1 rss target
    for ((i = 0; i <= RUNS; i++)); do
        target=$out
        [[ $fs == disk ]] && target=$out.run$i
        rm -rf "$target"
        t0=$(now_ns)
        if ! "$TIME_BIN" -v -o "$tv" "${@//%OUT%/$target}" >"$log" 2>&1; then
            echo "bench: error: '$label' failed on the $n-article corpus ($fs): $*" >&2
            tail -n 20 "$log" >&2
            exit 1
        fi
        t1=$(now_ns)
        ((i == 0)) && continue # warm-up
        rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")
        cpus+=("$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$tv")")
        walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", (b - a) / 1e9}')")
        ((rss > rss_max)) && rss_max=$rss
        echo "$fs,$n,$label,$i,${walls[-1]},${cpus[-1]},$rss" >>"$RAW"
    done
    [[ $fs == disk ]] || rm -rf "$out"
    local cpu
    cpu=$(printf '%s\n' "${cpus[@]}" | median)
    printf '%s\n' "${walls[@]}" | sort -g | awk -v rss="$rss_max" -v cpu="$cpu" '
        { v[NR] = $1 }
        END {
            med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.4f %.4f %.4f %d %s\n", med, v[1], v[NR], rss, cpu
        }'
}

# median: the median of the numbers on standard input, one a line.
median() {
    sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

floor_read() { find "$1" -type f -exec cat {} + >/dev/null; }
export -f floor_read

# --- the runs ----------------------------------------------------------------

load=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$load" 'BEGIN { exit !(l > 0.5) }'; then
    note "warning: load average is $load: other processes will distort the timings"
fi

# Corpus folders to remove on exit. On tmpfs a corpus goes as soon as it is done
# (it takes memory); on disk at the very end, so that its deleted files do not
# slow down the next corpus's runs (see measure).
to_clean=()
cleanup() {
    if [[ ${#to_clean[@]} -gt 0 && ${BENCH_KEEP:-0} != 1 ]]; then rm -rf "${to_clean[@]}"; fi
    to_clean=()
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT TERM

declare -A res=() # label -> "median min max rss_kb" for the current corpus
declare -A all=() # "fs n label" -> "median min max rss_kb cpu", for the scaling table
rows=()           # labels in the order they ran

# run LABEL OUTDIR CMD...: measures one tool on the current corpus ($fs, $n).
run() {
    local label=$1
    note "  $label: $n articles on $fs, $RUNS runs"
    res[$label]=$(measure "$label" "$fs" "$n" "${@:2}")
    rows+=("$label")
}

{
    echo "# Lotse build benchmark, $STAMP"
    echo
    echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) memory, kernel $(uname -r)"
    echo "- lotse: $LOTSE_VERSION"
    echo "- hugo: $HUGO_VERSION"
    echo "- zola: $ZOLA_VERSION"
    echo "- load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- runs: $RUNS timed (median shown) after 1 warm-up; every run writes into an output folder that does not exist yet"
    echo "- corpus shape: $SHAPE (examples/gen_corpus.rs --shape)"
    echo
} | tee "$REPORT"

for fs in $FILESYSTEMS; do
    base=$([[ $fs == tmpfs ]] && echo "$SHM_DIR" || echo "$DISK_DIR")
    mkdir -p "$base" || die "cannot create $base"
    fstype=$(df -PT "$base" | awk 'NR == 2 {print $2}')
    if [[ $fs == tmpfs && $fstype != tmpfs ]]; then note "warning: $base is on $fstype, not tmpfs"; fi
    if [[ $fs == disk && $fstype == tmpfs ]]; then note "warning: $base is on tmpfs, not on disk"; fi
    for n in $SIZES; do
        pages=$((n + 7))
        # Corpora and (on disk, kept until the end) outputs: at most about 60 KB a page and copy.
        copies=3
        [[ $fs == disk ]] && copies=$((2 * RUNS + 5))
        need_kb=$((n * 60 * copies))
        avail_kb=$(df -Pk "$base" | awk 'NR == 2 {print $4}')
        ((avail_kb > need_kb)) || die "$base has $((avail_kb / 1024)) MiB free; the $n-article corpus needs about $((need_kb / 1024)) MiB"
        dir=$base/c$n
        to_clean+=("$dir")
        rm -rf "$dir"
        note "generating the $n-article corpus in $dir ($fstype)"
        for f in lotse hugo zola; do
            "$GEN_CORPUS_BIN" --pages "$n" --out "$dir/$f" --format "$f" --shape "$SHAPE" >/dev/null ||
                die "gen_corpus failed for $f"
        done
        res=()
        rows=()
        # shellcheck disable=SC2016 # $1 is expanded by the inner bash
        run "floor: read" "$dir/none" bash -c 'floor_read "$1"' _ "$dir/lotse/content"
        run "floor: copy" "$dir/copy" cp -r "$dir/lotse/content" %OUT%
        run "lotse build" "$dir/lotse/public" "$LOTSE_BIN" build --root "$dir/lotse" --out %OUT%
        # The floor for Lotse's own output: read every input file, then write
        # the tree a build produces (copied from an untimed build).
        "$LOTSE_BIN" build --root "$dir/lotse" --out "$dir/lotse-ref" >/dev/null || die "lotse build failed"
        # shellcheck disable=SC2016 # $1.. are expanded by the inner bash
        run "floor: read + write output" "$dir/written" bash -c 'floor_read "$1" && cp -r "$2" "$3"' _ \
            "$dir/lotse/content" "$dir/lotse-ref" %OUT%
        rm -rf "$dir/lotse-ref"
        run "lotse check" "$dir/none" "$LOTSE_BIN" check --root "$dir/lotse"
        if [[ -n $HUGO ]]; then
            run "hugo" "$dir/hugo/public" "$HUGO" --quiet --source "$dir/hugo" --destination %OUT%
        else
            note "hugo: not installed, skipped"
        fi
        if [[ -n $ZOLA ]]; then
            run "zola" "$dir/zola/public" "$ZOLA" --root "$dir/zola" build --output-dir %OUT%
        else
            note "zola: not installed, skipped (put zola on PATH or set ZOLA=/path/to/zola)"
        fi
        # Phases: one more build with LOTSE_TIMINGS=1 (its lines go to stderr).
        phases=$OUT_DIR/phases-$fs-$n.txt
        LOTSE_TIMINGS=1 "$TIME_BIN" -v -o "$OUT_DIR/phases-time.txt" "$LOTSE_BIN" build --root "$dir/lotse" \
            --out "$dir/phases" >/dev/null 2>"$phases" || die "lotse build with LOTSE_TIMINGS failed"
        phases_rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT_DIR/phases-time.txt")
        rm -rf "$dir/phases"
        [[ $fs == disk ]] || cleanup
        for label in "${rows[@]}"; do all["$fs $n $label"]=${res[$label]}; done

        lotse=$(cut -d' ' -f1 <<<"${res[lotse build]}")
        {
            echo
            echo "## $n articles ($pages pages), $fs ($base, $fstype)"
            echo
            echo "| tool | median wall | min – max | pages/s | CPU (user+sys) | peak RSS | wall vs. lotse build |"
            echo "|---|---:|---:|---:|---:|---:|---:|"
            for label in "${rows[@]}"; do
                read -r med lo hi rss cpu <<<"${res[$label]}"
                awk -v l="$label" -v m="$med" -v lo="$lo" -v hi="$hi" -v r="$rss" -v c="$cpu" -v p="$pages" -v b="$lotse" 'BEGIN {
                    printf "| %s | %.3f s | %.3f – %.3f s | %.0f | %.2f s | %.1f MiB | %.2f× |\n", l, m, lo, hi, p / m, c, r / 1024, m / b
                }'
            done
            [[ -n $HUGO ]] || echo "| hugo | not installed, skipped | | | | | |"
            [[ -n $ZOLA ]] || echo "| zola | not installed, skipped | | | | | |"
            echo
            echo "Phases of one more \`lotse build\` (\`LOTSE_TIMINGS=1\`; peak RSS $((phases_rss / 1024)) MiB):"
            echo
            echo "| phase | wall | CPU | RSS at its end |"
            echo "|---|---:|---:|---:|"
            sed -nE 's/^timing: (.*[^ ]) +([0-9]+) ms +cpu +([0-9]+) ms +rss +([0-9]+) kB$/\1|\2|\3|\4/p' "$phases" |
                awk -F'|' '{ printf "| %s | %d ms | %d ms | %.0f MiB |\n", $1, $2, $3, $4 / 1024 }'
        } | tee -a "$REPORT"
    done
done

# Scaling: each size against the one before it (wall and peak RSS ratios; a
# tool that scales linearly shows the size ratio, e.g. 10.0x from 10k to 100k).
read -r -a sizes <<<"$SIZES"
if ((${#sizes[@]} > 1)); then
    {
        for fs in $FILESYSTEMS; do
            echo
            echo "## Scaling, $fs"
            echo
            echo "| tool | from | to | size × | wall × | peak RSS × |"
            echo "|---|---:|---:|---:|---:|---:|"
            for label in "lotse build" "lotse check" "hugo" "zola"; do
                for ((k = 1; k < ${#sizes[@]}; k++)); do
                    a=${all["$fs ${sizes[k - 1]} $label"]:-}
                    b=${all["$fs ${sizes[k]} $label"]:-}
                    [[ -n $a && -n $b ]] || continue
                    read -r wa _ _ ra _ <<<"$a"
                    read -r wb _ _ rb _ <<<"$b"
                    awk -v l="$label" -v na="${sizes[k - 1]}" -v nb="${sizes[k]}" -v wa="$wa" -v wb="$wb" -v ra="$ra" -v rb="$rb" 'BEGIN {
                        printf "| %s | %d | %d | %.1f× | %.1f× | %.1f× |\n", l, na, nb, nb / na, wb / wa, rb / ra
                    }'
                done
            done
        done
    } | tee -a "$REPORT"
fi
rm -f "$OUT_DIR/last-run.log" "$OUT_DIR/last-time.txt" "$OUT_DIR/phases-time.txt"
printf '\n- load average after the runs: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$REPORT"
echo
echo "bench: report in $REPORT, raw timings in $RAW" >&2
