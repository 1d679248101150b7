#!/usr/bin/env bash
# One process of `make run` (Procfile.dev): scripts/procfile_run.sh <name> <command...>
#
# honcho stops every process as soon as one of them ends. When that happens because
# this one failed, say so in one line, with what the process does, instead of leaving
# a reader to find "stopped (rc=1)" among the other processes' log lines. When honcho
# is stopping everything (Ctrl-C, or another process failed), stay quiet.
name="$1"
shift
case "$name" in
  web) what="the web server" ;;
  worker) what="the background worker (emails, expiring holds, webhooks)" ;;
  stripe) what="the loopback Stripe server (payments)" ;;
  *) what="$name" ;;
esac
stopping=""
trap 'stopping=1' TERM INT
"$@"
rc=$?
if [[ -z "$stopping" && "$rc" -ne 0 ]]; then
  echo "make run: $what stopped with exit code $rc (its last lines above say why), so honcho stops the" \
    "other processes too. Fix the cause and run 'make run' again." >&2
fi
exit "$rc"
