#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# This launcher runs localstripe (GPL-3.0-or-later, https://github.com/adrienverge/localstripe)
# in its own process and changes where that process keeps its state. It is therefore
# distributed under the same licence as localstripe. No TapTime module imports it or
# localstripe; `make run` (Procfile.dev) and the test fixture start it as a command.
"""The loopback Stripe server for the demo and the tests, with a state file of its own.

localstripe saves everything it knows (PaymentIntents, refunds, …) to one fixed
file, ``/tmp/localstripe.pickle``, shared by every copy on the machine, rewrites
it in place on every change, and refuses to start when it cannot read it back
(``UnpicklingError: pickle data was truncated`` after being killed mid-write).
This launcher:

- keeps the state in ``--state`` (default ``.localstripe/state.pickle`` in the
  project, git-ignored; ``LOCALSTRIPE_STATE`` overrides), so copies never share it;
- writes it atomically (a temporary file, then a rename), so a kill mid-write
  leaves the previous state intact;
- starts from scratch when the saved state cannot be read, moves the unreadable
  file aside (``<state>.damaged``) and says so in one line.

Usage: ``scripts/localstripe_demo.py --port 8420 [--state PATH] [--from-scratch]``
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
from pathlib import Path

from localstripe import resources, server

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_STATE = Path(os.environ.get("LOCALSTRIPE_STATE") or PROJECT / ".localstripe" / "state.pickle")


def say(line: str) -> None:
    print(f"localstripe: {line}", file=sys.stderr, flush=True)


# Unpickling the saved store sets its items one by one, and localstripe's store
# saves itself on every item set: nothing is written while a load is under way.
loading = False


def state_loader(state: Path):
    def try_load_from_disk(store) -> None:
        global loading
        try:
            data = state.read_bytes()
        except FileNotFoundError:
            return
        loading = True
        try:
            saved = pickle.loads(data)  # noqa: S301 - our own file, written by this process type only
            if not isinstance(saved, dict):
                raise TypeError(f"expected the saved store, found {type(saved).__name__}")
        except Exception as error:  # noqa: BLE001 - any unreadable state means "start from scratch"
            damaged = state.with_name(state.name + ".damaged")
            os.replace(state, damaged)
            say(
                f"the saved state in {state} could not be read ({type(error).__name__}: {error}); "
                f"moved it to {damaged} and started from scratch. The demo's Stripe setup and its seeded "
                "payments live in the database (seed_demo, run by make run), so the demo works; payments "
                "made through this server in earlier runs are unknown to it now and cannot be refunded here."
            )
            return
        finally:
            loading = False
        dict.clear(store)
        dict.update(store, saved)

    return try_load_from_disk


def state_saver(state: Path):
    def dump_to_disk(store) -> None:
        if loading:
            return
        partial = state.with_name(f"{state.name}.{os.getpid()}.tmp")
        with open(partial, "wb") as file:
            pickle.dump(store, file, protocol=pickle.HIGHEST_PROTOCOL)
            file.flush()
            os.fsync(file.fileno())
        # A rename is atomic: a kill before it leaves the previous state whole.
        os.replace(partial, state)

    return dump_to_disk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE, help="where to keep the server's state")
    parser.add_argument("--from-scratch", action="store_true", help="ignore any saved state")
    args = parser.parse_args()

    state = args.state.resolve()
    state.parent.mkdir(parents=True, exist_ok=True)
    resources.Store.try_load_from_disk = state_loader(state)
    resources.Store.dump_to_disk = state_saver(state)
    say(f"state in {state}")
    # localstripe reads its own command line.
    sys.argv = [sys.argv[0], "--port", str(args.port), *(["--from-scratch"] if args.from_scratch else [])]
    server.start()


if __name__ == "__main__":
    main()
