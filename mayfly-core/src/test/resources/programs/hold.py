# Holds HOLD_MB resident for SECONDS; with SPIKE_MB and SPIKE_MS, holds that much more for a moment halfway.
# python3 hold.py HOLD_MB SECONDS [SPIKE_MB SPIKE_MS]
import sys, time
hold_mb, seconds = int(sys.argv[1]), float(sys.argv[2])
spike_mb = int(sys.argv[3]) if len(sys.argv) > 3 else 0
spike_ms = int(sys.argv[4]) if len(sys.argv) > 4 else 0
held = b"\x01" * (hold_mb << 20)
print("holding", hold_mb, "MB", flush=True)
if spike_mb:
    time.sleep(seconds / 2)
    spike = b"\x01" * (spike_mb << 20)
    print("spike of", spike_mb, "MB", flush=True)
    time.sleep(spike_ms / 1000)
    del spike
    print("spike over", flush=True)
    time.sleep(seconds / 2)
else:
    time.sleep(seconds)
print("done", flush=True)
