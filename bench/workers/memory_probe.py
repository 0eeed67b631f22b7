"""Peak-memory and timing helpers shared by the Python workers.

Linux keeps a per-process high-water mark of resident memory (VmHWM in /proc/self/status, also
what getrusage's ru_maxrss reports). Writing "5" to /proc/self/clear_refs resets it to the current
RSS, so each phase (load, fit, predict) gets its own peak. If the reset is not permitted, the
phase peaks fall back to the whole-process peak so far (an upper bound), and `hwm_reset` says so.
"""

import os
import time


def _status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def rss_mb():
    return _status_kb("VmRSS") / 1024.0


def hwm_mb():
    return _status_kb("VmHWM") / 1024.0


def reset_hwm():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class PhaseMeter:
    """Measures wall time and memory of named phases: rss at start, peak during."""

    def __init__(self):
        self.result = {"baseline_mb": rss_mb(), "hwm_reset": True}
        self.process_peak = hwm_mb()

    def run(self, name, fn):
        self.process_peak = max(self.process_peak, hwm_mb())
        self.result["hwm_reset"] &= reset_hwm()
        self.result[f"rss_before_{name}_mb"] = rss_mb()
        c0 = os.times()
        t0 = time.perf_counter()
        value = fn()
        self.result[f"{name}_s"] = time.perf_counter() - t0
        c1 = os.times()
        # CPU seconds of all threads: cpu / wall shows how many cores the phase kept busy.
        self.result[f"{name}_cpu_s"] = (c1.user - c0.user) + (c1.system - c0.system)
        peak = hwm_mb()
        self.result[f"peak_{name}_mb"] = peak
        self.process_peak = max(self.process_peak, peak)
        return value

    def finish(self):
        self.result["peak_mb"] = max(self.process_peak, hwm_mb())
        return self.result
