# var_value.sh: sourced by the e2e drivers (stack_cycle.sh, crash_recovery.sh,
# lost_answer.sh), which set `here` to tests/e2e first.
# file_value K=V prints K=V; file_value K=@FILE prints K=<contents of FILE>,
# FILE taken from tests/e2e when relative (fixtures/key1.pub).
file_value() {
    local k=${1%%=*} v=${1#*=}
    if [ "${v#@}" != "$v" ]; then
        local f=${v#@}
        case $f in /*) ;; *) f=$here/$f ;; esac
        v=$(cat "$f") || { echo "cannot read $f" >&2; exit 2; }
    fi
    printf '%s=%s' "$k" "$v"
}
