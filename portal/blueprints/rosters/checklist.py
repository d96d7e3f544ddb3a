"""The guest-room cleaning checklist: the steps of the SOP the property chose, as in force today,
or the portal's own thirteen steps when it chose none (or the SOP library is absent).

A cleaning keeps the SOP version it started with and its number of steps, so a version that
comes into force mid-morning does not change a checklist half ticked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.blueprints.rosters.models import RosterSettings
from portal.extensions import db
from portal.i18n import is_chinese
from portal.modules import is_registered


@dataclass(frozen=True)
class Step:
    position: int  # 1-based
    text_en: str
    text_zh: str
    key_point: bool = False  # the SOP marks it a key point: it weighs twice in an inspection

    @property
    def weight(self) -> int:
        return 2 if self.key_point else 1

    @property
    def text(self) -> str:
        return (self.text_zh or self.text_en) if is_chinese() else (self.text_en or self.text_zh)


@dataclass(frozen=True)
class Checklist:
    steps: tuple[Step, ...]
    sop_version_id: int | None = None
    sop_label: str = ""  # "HK-001 v2.0" when the steps come from the SOP library

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def weights(self) -> dict[int, int]:
        return {step.position: step.weight for step in self.steps}


# The portal's own steps (the order housekeeping follows), for a property without a cleaning SOP.
BUILT_IN = Checklist(
    tuple(
        Step(i, en, zh)
        for i, (en, zh) in enumerate(
            [
                (
                    "Arrive early with tools and supplies ready",
                    "提前到岗，备齐工具和用品",
                ),
                (
                    "Knock three times, announce “Housekeeping”, wait",
                    "敲门三次，通报“客房服务”，等候应答",
                ),
                (
                    "Hang the “cleaning in progress” sign, lights on and checked",
                    "挂“正在清扫”牌，开灯并检查",
                ),
                (
                    "Mat at the bathroom door, caddy on the vanity",
                    "卫生间门口铺地垫，工具篮放洗手台",
                ),
                ("Open the curtains", "拉开窗帘"),
                ("Air the room for about 5 minutes", "开窗通风约5分钟"),
                (
                    "Used items out, four towels replaced, basin, bath and toilet cleaned",
                    "撤走用过物品，更换四巾，清洁洗手盆、浴缸和马桶",
                ),
                (
                    "Wardrobe and drawers checked for items left behind",
                    "检查衣柜和抽屉有无遗留物品",
                ),
                ("Bins emptied, cigarette ends out first", "清倒垃圾，先取出烟头"),
                ("Used cups, extra beds and dishes removed", "撤走用过的杯具、加床和餐具"),
                ("Bed made", "铺床"),
                ("Equipment checked, anything broken reported", "检查设备，报告损坏"),
                ("Leave and close the door gently", "退出房间，轻轻关门"),
            ],
            start=1,
        )
    )
)


def settings_for(property_id: int) -> RosterSettings:
    settings = db.session.get(RosterSettings, property_id)
    if settings is None:
        settings = RosterSettings(property_id=property_id)
        db.session.add(settings)
    return settings


def checklist_for(property_id: int, today: date | None = None) -> Checklist:
    """The checklist a cleaning started now follows (two queries with an SOP, one without)."""
    sop_id = db.session.scalar(
        select(RosterSettings.cleaning_sop_id).where(RosterSettings.property_id == property_id)
    )
    if sop_id is None or not is_registered("sops"):
        return BUILT_IN
    from portal.blueprints.sops import reading
    from portal.blueprints.sops.models import Sop

    sop = db.session.get(Sop, sop_id)
    version = reading.version_in_force(sop, today) if sop is not None else None
    if version is None:
        return BUILT_IN
    return _from_version(sop, version)


def _from_version(sop, version) -> Checklist:
    # Every step of the SOP is ticked, in its order (a step's kind says what its note is: a
    # note or a safety warning).
    steps = sorted(version.steps, key=lambda s: s.position)
    return Checklist(
        tuple(
            Step(i, s.text_en, s.text_zh, bool(s.key_point)) for i, s in enumerate(steps, start=1)
        ),
        sop_version_id=version.id,
        sop_label=f"{sop.number} v{version.number}",
    )


def checklist_of(cleaning) -> Checklist:
    """The checklist a cleaning started with: its SOP version's steps, else the built-in ones."""
    return checklist_of_version(cleaning.sop_version_id)


def checklist_of_version(sop_version_id: int | None) -> Checklist:
    if sop_version_id is None or not is_registered("sops"):
        return BUILT_IN
    from portal.blueprints.sops.models import SopVersion

    version = db.session.get(SopVersion, sop_version_id)
    if version is None:
        return BUILT_IN
    return _from_version(version.sop, version)


def sop_ids(property_id: int) -> set[int]:
    """The ids of the SOPs a property may choose (no labels: no request needed)."""
    if not is_registered("sops"):
        return set()
    from portal.blueprints.sops import reading

    return {c.id for c in reading.sop_choices(property_id)}


def sop_choices(property_id: int) -> list[tuple[int, str]]:
    """The SOPs a property may choose as its cleaning checklist (none when the library is off)."""
    if not is_registered("sops"):
        return []
    from portal.blueprints.sops import reading

    return [(c.id, c.label) for c in reading.sop_choices(property_id)]
