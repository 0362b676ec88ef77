"""Runs a command in a pseudo-terminal, as a person at a terminal would: what it writes to the
terminal comes out on standard output; what comes in on standard input is typed into the terminal
(so b'\\x03' is Ctrl-C, which the terminal turns into SIGINT for the command). Exits as the command
did (128 + N when a signal N ended it)."""
import os
import pty
import select
import sys

pid, terminal = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])

typing = sys.stdin.fileno()
while True:
    ready, _, _ = select.select([terminal, typing] if typing is not None else [terminal], [], [])
    if terminal in ready:
        try:
            data = os.read(terminal, 4096)
        except OSError:
            data = b''
        if not data:
            break
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    if typing is not None and typing in ready:
        keys = os.read(typing, 4096)
        if keys:
            os.write(terminal, keys)
        else:
            typing = None

_, status = os.waitpid(pid, 0)
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
