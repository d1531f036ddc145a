"""`internal-hire teams-package` after a plain (non-editable) install: the manifest template and icons are package
data, so the command works from the wheel alone (and in the container, which installs the wheel)."""
import json
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def test_teams_package_builds_from_an_installed_copy(tmp_path):
    # What `pip install .` copies for a pure-Python project (build_py: the packages and their package data), built
    # into a folder outside the repository; `wheel` is not needed for that.
    site = tmp_path / "site"
    built = subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py",
                            "--build-lib", str(site)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    out = tmp_path / "run" / "teams.zip"
    out.parent.mkdir()
    code = ("import sys; from bot.teams_package import build_teams_package, TEAMS_DIR; "
            "assert str(TEAMS_DIR).startswith(sys.argv[2]), TEAMS_DIR; "
            "print(build_teams_package('00000000-0000-0000-0000-00000000abcd', sys.argv[1], 'hire.example.com'))")
    ran = subprocess.run([sys.executable, "-c", code, str(out), str(site)], capture_output=True, text=True,
                         timeout=60, cwd=out.parent, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert ran.returncode == 0, ran.stderr[-2000:]
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert {"manifest.json", "color.png", "outline.png"} <= set(zf.namelist())
    assert manifest["id"] == "00000000-0000-0000-0000-00000000abcd"
    assert "hire.example.com" in manifest["validDomains"]


def test_the_container_installs_what_the_package_needs():
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY bot ./bot" in dockerfile       # bot/teams/app_package travels with the bot package
