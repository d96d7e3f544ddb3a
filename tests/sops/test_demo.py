"""The demo SOP library: data in a file the package ships, loaded by `flask seed-demo`."""

import json
import tomllib

from sqlalchemy import func, select

from portal.blueprints.sops import demo
from portal.blueprints.sops.models import Sop, SopVersion, VersionStatus
from tests.conftest import ROOT

DATA = ROOT / "portal" / "blueprints" / "sops" / "demo_sops.json"


def test_the_demo_library_is_a_data_file_that_installs_ship():
    assert DATA.is_file()
    assert not (DATA.parent / "demo_content.py").exists()
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["portal"]
    shipped = {path for pattern in patterns for path in (ROOT / "portal").glob(pattern)}
    assert DATA in shipped
    assert demo.demo_sops() == json.loads(DATA.read_text(encoding="utf-8"))


def test_every_demo_sop_is_bilingual():
    specs = demo.demo_sops()
    assert len(specs) == 8 and len({s["number"] for s in specs}) == 8
    for spec in specs:
        for version in [spec, *spec.get("versions", [])]:
            for field in ("title", "purpose", "scope", "responsibilities"):
                assert bool(version.get(f"{field}_en")) == bool(version.get(f"{field}_zh"))
            for step in version.get("steps", []):
                assert step["text_en"] and step["text_zh"], (spec["number"], step)
                assert bool(step.get("note_en")) == bool(step.get("note_zh"))


def test_seed_demo_loads_the_library(app, db):
    result = app.test_cli_runner().invoke(args=["seed-demo"], catch_exceptions=False)
    assert "demo data sops: loaded" in result.output
    numbers = set(db.session.scalars(select(Sop.number)))
    assert numbers == {s["number"] for s in demo.demo_sops()}
    approved = db.session.scalar(
        select(func.count())
        .select_from(SopVersion)
        .where(SopVersion.status == VersionStatus.APPROVED)
    )
    in_review = db.session.scalars(
        select(Sop.number).join(SopVersion).where(SopVersion.status == VersionStatus.IN_REVIEW)
    ).all()
    assert approved > len(numbers) and in_review == ["FB-002"]


def test_the_demo_shows_the_language_rules_at_work(app, db):
    """An old version with a missing translation, and a draft whose step needs updating."""
    from portal.blueprints.people.models import Property
    from portal.blueprints.sops.models import SopStep

    app.test_cli_runner().invoke(args=["seed-demo"], catch_exceptions=False)
    rows = db.session.execute(
        select(Sop.number, SopVersion.major, SopVersion.minor, SopVersion.status, SopStep)
        .join(Property, Property.id == Sop.property_id)
        .join(SopVersion, SopVersion.sop_id == Sop.id)
        .join(SopStep, SopStep.version_id == SopVersion.id)
        .where(Property.code == "HTL")
    ).all()
    gaps = {(n, f"{a}.{b}", s.position) for n, a, b, _st, s in rows if s.note_en and not s.note_zh}
    assert gaps == {("FO-003", "1.0", 8)}
    marked = {
        (n, f"{a}.{b}", status, s.position, tuple(s.languages_to_update))
        for n, a, b, status, s in rows
        if s.languages_to_update
    }
    assert marked == {("HK-002", "1.1", VersionStatus.DRAFT, 4, ("zh",))}
