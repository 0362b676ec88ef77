# Forks CHILDREN processes that each hold MB_EACH resident, writes their pids and its own to PID_FILE,
# and waits. python3 tree.py CHILDREN MB_EACH PID_FILE
import os, sys, time
children, mb = int(sys.argv[1]), int(sys.argv[2])
pids = [os.getpid()]
for _ in range(children):
    pid = os.fork()
    if pid == 0:
        held = b"\x01" * (mb << 20)
        print("child", os.getpid(), "holds", mb, "MB", flush=True)
        time.sleep(600)
        os._exit(0)
    pids.append(pid)
with open(sys.argv[3], "w") as f:
    f.write(" ".join(map(str, pids)))
for _ in range(children):
    os.wait()
