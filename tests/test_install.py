"""An install as the README's Production section does it, without make, speaks Chinese.

Each test installs the project, from a copy of the files git keeps (no compiled catalogue), into
a new virtual environment whose dependencies come from this one (a .pth line; no network), and
asks the sign-in page for Chinese.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT

MO = Path("portal/translations/zh_Hans/LC_MESSAGES/messages.mo")
CHINESE = "员工：使用工号和 6 位 PIN 码。"
ENGLISH = "Employees: staff number and 6-digit PIN."

# Run in the new environment: migrate a new SQLite database, then ask for the sign-in page.
PROBE = """
import sys
from pathlib import Path

import flask_migrate

from portal import create_app

app = create_app()
with app.app_context():
    flask_migrate.upgrade(directory=sys.argv[1])
response = app.test_client().get("/auth/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
assert response.status_code == 200, response.status_code
print(Path(sys.modules["portal"].__file__).resolve())
print(response.get_data(as_text=True))
"""


@pytest.fixture
def source(tmp_path) -> Path:
    """The files git keeps (new ones too, ignored ones never), as a clone has them."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    copy = tmp_path / "src"
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    assert not (copy / MO).exists()
    return copy


def _venv(tmp_path: Path) -> Path:
    """A new environment that borrows this one's packages (their .pth files are not run)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def _pip_install(python: Path, *args) -> None:
    command = [python, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index"]
    subprocess.run([*command, "--quiet", *args], check=True, capture_output=True)


def _sign_in_page(python: Path, cwd: Path, source: Path, tmp_path: Path) -> tuple[Path, str]:
    instance = tmp_path / "instance"
    env = {
        **os.environ,
        "PORTAL_INSTANCE_PATH": str(instance),
        "PORTAL_DATABASE_URL": f"sqlite:///{instance / 'portal.db'}",
    }
    env.pop("PORTAL_TEST_DATABASE_URL", None)
    result = subprocess.run(
        [python, "-c", PROBE, str(source / "migrations")],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    module, _, body = result.stdout.partition("\n")
    return Path(module), body


def test_wheel_install_serves_chinese(source, tmp_path):
    python = _venv(tmp_path)
    _pip_install(python, source)
    installed = Path(
        subprocess.run(
            [python, "-c", "import portal; print(portal.__file__)"],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    ).parent
    assert (installed.parent / MO).is_file(), "the wheel has no compiled catalogue"

    module, body = _sign_in_page(python, tmp_path, source, tmp_path)
    assert module.is_relative_to(installed)
    assert CHINESE in body
    assert ENGLISH not in body


def test_source_tree_serves_chinese(source, tmp_path):
    """`flask --app app` and `gunicorn app:app` in the source folder import portal from there."""
    python = _venv(tmp_path)
    _pip_install(python, source)

    module, body = _sign_in_page(python, source, source, tmp_path)
    assert module.is_relative_to(source.resolve())
    assert CHINESE in body
    assert ENGLISH not in body


def test_editable_install_compiles_catalogues(source, tmp_path):
    python = _venv(tmp_path)
    _pip_install(python, "--editable", source)
    assert (source / MO).is_file(), "the editable install left no compiled catalogue"

    module, body = _sign_in_page(python, tmp_path, source, tmp_path)
    assert module.is_relative_to(source.resolve())
    assert CHINESE in body
    assert ENGLISH not in body
