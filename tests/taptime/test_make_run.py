"""`make run`: its address and debug mode, the loopback Stripe server's own state, and a failing process that says so."""

import os
import pickletools
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "scripts" / "localstripe_demo.py"
KEY = ("sk_test_TapTimeLocalOnly0000000000000000", "")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_launcher(port: int, state: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, str(LAUNCHER), "--port", str(port), "--state", str(state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            requests.get(f"http://127.0.0.1:{port}/v1/customers", auth=KEY, timeout=1)
            return process
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError("localstripe did not start:\n" + process.communicate()[0]) from None
            time.sleep(0.2)


def stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGINT)
    try:
        return process.communicate(timeout=10)[0]
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[0]


def is_whole_pickle(path: Path) -> bool:
    """Parse the opcodes (without importing localstripe's classes) up to the final STOP."""
    try:
        for _ in pickletools.genops(path.read_bytes()):
            pass
    except ValueError:
        return False
    return True


def test_a_truncated_state_file_starts_from_scratch_and_says_so(tmp_path):
    port, state = free_port(), tmp_path / "state.pickle"
    server = start_launcher(port, state)
    created = requests.post(f"http://127.0.0.1:{port}/v1/customers", data={"email": "a@b.c"}, auth=KEY, timeout=5)
    assert created.status_code == 200
    stop(server)
    assert is_whole_pickle(state)
    # Killed mid-write: only the first bytes made it to disk.
    truncated = state.read_bytes()[:100]
    state.write_bytes(truncated)
    assert not is_whole_pickle(state)

    server = start_launcher(port, state)
    customers = requests.get(f"http://127.0.0.1:{port}/v1/customers", auth=KEY, timeout=5).json()
    assert customers["data"] == []  # from scratch, and answering
    output = stop(server)
    assert "could not be read (UnpicklingError: pickle data was truncated)" in output
    assert "started from scratch" in output
    assert (tmp_path / "state.pickle.damaged").read_bytes() == truncated  # kept aside for a look
    assert not state.exists() or is_whole_pickle(state)


def test_the_state_survives_a_restart_in_its_own_file(tmp_path):
    port, state = free_port(), tmp_path / "state.pickle"
    server = start_launcher(port, state)
    requests.post(f"http://127.0.0.1:{port}/v1/customers", data={"email": "kept@b.c"}, auth=KEY, timeout=5)
    stop(server)
    server = start_launcher(port, state)
    customers = requests.get(f"http://127.0.0.1:{port}/v1/customers", auth=KEY, timeout=5).json()
    stop(server)
    assert [c["email"] for c in customers["data"]] == ["kept@b.c"]
    assert not list(tmp_path.glob("*.tmp")), "the atomic write leaves no temporary file behind"


def test_a_failing_process_says_which_one_stopped_and_why_the_others_stop(tmp_path):
    (tmp_path / "Procfile").write_text(
        f"web: {ROOT}/scripts/procfile_run.sh web sleep 30\n"
        f'stripe: {ROOT}/scripts/procfile_run.sh stripe sh -c "echo pickle data was truncated >&2; exit 3"\n'
    )
    honcho = Path(sys.executable).with_name("honcho")
    result = subprocess.run(
        [str(honcho), "start"], cwd=tmp_path, capture_output=True, text=True, timeout=60, env=os.environ.copy()
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "make run: the loopback Stripe server (payments) stopped with exit code 3" in output
    assert "the web server stopped" not in output, "the process stopped by honcho stays quiet"


def test_make_run_sets_the_base_url_from_port_and_turns_debug_off():
    result = subprocess.run(
        [shutil.which("make") or "/usr/bin/make", "-n", "run", "PORT=9123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k not in {"BASE_URL", "DEBUG", "PORT"}},
    )
    (honcho_line,) = [line for line in result.stdout.splitlines() if "honcho" in line]
    assert "BASE_URL=http://127.0.0.1:9123" in honcho_line
    assert "DEBUG=False" in honcho_line
    procfile = (ROOT / "Procfile.dev").read_text()
    assert "scripts/localstripe_demo.py" in procfile and "localstripe --port" not in procfile
