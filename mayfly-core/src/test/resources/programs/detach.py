# Leaves a grandchild that has escaped its tree (setsid, then a second fork: re-parented to init), writes its
# pid to PID_FILE, then allocates ALLOCATE_MB (at 200 MB a second) and sleeps SLEEP seconds.
# python3 detach.py PID_FILE ALLOCATE_MB SLEEP
import os, sys, time
pid_file, allocate, sleep = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
child = os.fork()
if child == 0:
    os.setsid()
    if os.fork() == 0:
        with open(pid_file + ".tmp", "w") as f:
            f.write(str(os.getpid()))
        os.rename(pid_file + ".tmp", pid_file)
        time.sleep(600)
    os._exit(0)
os.waitpid(child, 0)
while not os.path.exists(pid_file):
    time.sleep(0.01)
print("grandchild detached", flush=True)
blocks = []
for i in range(allocate // 4):
    blocks.append(b"\x01" * (4 << 20))
    time.sleep(0.02)
print("sleeping", flush=True)
time.sleep(sleep)
