# Allocates and touches TOTAL_MB in STEP_MB steps (4 by default) at MB_PER_SECOND, printing the total and the time
# (ms since the epoch) after each step, then sleeps SLEEP seconds and exits 0. With PID_FILE, writes its pid there
# first. python3 allocate.py TOTAL_MB MB_PER_SECOND [SLEEP [PID_FILE [STEP_MB]]]
import os, sys, time
total, rate = int(sys.argv[1]), float(sys.argv[2])
sleep = float(sys.argv[3]) if len(sys.argv) > 3 else 0
if len(sys.argv) > 4 and sys.argv[4]:
    with open(sys.argv[4], "w") as f:
        f.write(str(os.getpid()))
step = int(sys.argv[5]) if len(sys.argv) > 5 else 4
blocks, start = [], time.time()
for i in range(total // step):
    blocks.append(b"\x01" * (step << 20))
    print("allocated", (i + 1) * step, int(time.time() * 1000), flush=True)
    wait = (i + 1) * step / rate - (time.time() - start)
    if wait > 0:
        time.sleep(wait)
time.sleep(sleep)
print("done", flush=True)
