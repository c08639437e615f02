"""The Graphviz the browser runs: ``widgets/static/graphviz/viz.js``, vendored from npm.

    python -m widgets.vendor           fetch the pinned version with `npm pack`, check its sha256, save it
    python -m widgets.vendor --check   only check that the file in the tree is the pinned one (no network)

``VENDOR.json`` next to the file pins the package, its version and the file's sha256; the widget never loads
Graphviz from a CDN, so lessons draw on a machine with no network. To move to a newer version, change
``version`` and ``sha256`` there (after reading the package's changelog), then run ``make vendor``.
"""
import hashlib
import json
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile

FOLDER = pathlib.Path(__file__).parent / "static" / "graphviz"
PIN = json.loads((FOLDER / "VENDOR.json").read_text())
MODULE = FOLDER / PIN["saved_as"]


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def check(data, where):
    found = sha256(data)
    if found != PIN["sha256"]:
        raise SystemExit(f"{where}: sha256 {found}, but VENDOR.json pins {PIN['sha256']} "
                         f"for {PIN['package']}@{PIN['version']} {PIN['file']}")


def fetch():
    """``npm pack`` the pinned version into a temporary folder and take the one file we ship."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("`make vendor` needs npm (Node.js) to fetch the package; the vendored file itself "
                         "needs nothing at run time")
    spec = f"{PIN['package']}@{PIN['version']}"
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([npm, "pack", spec, "--silent"], cwd=folder, check=True, timeout=300,
                       stdout=subprocess.DEVNULL)
        (tarball,) = pathlib.Path(folder).glob("*.tgz")
        with tarfile.open(tarball) as archive:
            data = archive.extractfile(f"package/{PIN['file']}").read()
    check(data, spec)
    MODULE.write_bytes(data)
    print(f"{MODULE}: {spec} {PIN['file']}, {len(data)} bytes, sha256 {PIN['sha256']} (as pinned)")


def main(argv):
    if argv == ["--check"]:
        check(MODULE.read_bytes(), MODULE)
        print(f"{MODULE}: {PIN['package']}@{PIN['version']}, sha256 as pinned")
    elif not argv:
        fetch()
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
