"""The Debian ``Depends`` of a PyInstaller bundle, from the libraries it leaves to the system.

    python3 packaging/linux/debdeps.py BUNDLE_DIR

Every ELF file of the bundle is run through ``ldd`` (with the bundle's own library folder
first, as the bootloader arranges at run time); each library found outside the bundle is
mapped to its Debian package with ``dpkg -S``, and ``libc6`` gets the newest glibc symbol
version any file needs. Only libraries a bundled file links to directly count (their
own dependencies are their packages' business). A library that ``ldd`` cannot find at all
fails the build: the bundle would not start (or a plug-in would not load) on a machine like
this one either.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def elf_files(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    found.append(path)
    return sorted(found)


def package_of(path: str) -> str:
    real = os.path.realpath(path)
    candidates = [path, real]
    for p in (path, real):  # merged /usr: dpkg may know either spelling
        candidates.append(p[4:] if p.startswith("/usr/") else "/usr" + p)
    for candidate in candidates:
        done = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if done.returncode == 0:
            line = next(ln for ln in done.stdout.splitlines() if not ln.startswith("diversion"))
            return line.split(":")[0].split(",")[0].strip()
    raise SystemExit(f"debdeps: no Debian package owns {path}")


def main(bundle: Path) -> int:
    internal = bundle / "_internal"
    env = dict(os.environ, LD_LIBRARY_PATH=f"{internal}:{os.environ.get('LD_LIBRARY_PATH', '')}")
    system: dict[str, str] = {}
    missing: list[str] = []
    glibc = (2, 17)
    for elf in elf_files(bundle):
        out = subprocess.run(["ldd", str(elf)], capture_output=True, text=True, env=env).stdout
        headers = subprocess.run(["objdump", "-p", str(elf)], capture_output=True,
                                 text=True).stdout
        needed = set(re.findall(r"^\s*NEEDED\s+(\S+)", headers, re.MULTILINE))
        for line in out.splitlines():
            m = re.match(r"\s*(\S+) => (not found|(\S+))", line)
            if not m:
                continue
            name, where = m.group(1), m.group(3)
            if where is None:
                missing.append(f"{elf.relative_to(bundle)}: {name}")
            elif name in needed and \
                    not os.path.realpath(where).startswith(str(bundle.resolve())):
                system.setdefault(name, where)
        symbols = subprocess.run(["objdump", "-T", str(elf)], capture_output=True,
                                 text=True).stdout
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", symbols):
            glibc = max(glibc, (int(major), int(minor)))
    if missing:
        print("debdeps: libraries not found:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 1
    packages = {package_of(path) for path in system.values()}
    packages.discard("libc6")
    depends = [f"libc6 (>= {glibc[0]}.{glibc[1]})", *sorted(packages)]
    print(", ".join(depends))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
