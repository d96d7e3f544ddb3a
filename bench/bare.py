"""The bare-bones anchors of the load benchmark, in an app of their own.

- /bare: a route returning a string (what Flask and the server cost alone);
- /bare/page: Flask + Flask-SQLAlchemy + Jinja, a base template with a header and a table of
  50 rows, 5 queries, no sign-in, about the size of a portal list page;
- /bare/fragment: a fragment of about 1 KB, 5 queries.

The portal's pages are measured against these in the same run (bench/load.py). They use the
database engine of the portal run they are compared with (a SQLite file, or the PostgreSQL
database), in tables of their own (bench_bare_*), seeded by prepare().

    BENCH_BARE_DATABASE_URL=sqlite:////tmp/bare.db gunicorn -w 2 'bench.bare:create_app()'
"""

from __future__ import annotations

import os
from datetime import date, timedelta

from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

db = SQLAlchemy()

TEAMS = 10
MEMBERS = 500
PAGE_ROWS = 50
FRAGMENT_ROWS = 10


class Site(db.Model):
    __tablename__ = "bench_bare_sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    tagline: Mapped[str] = mapped_column(String(200))


class Team(db.Model):
    __tablename__ = "bench_bare_teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))


class Member(db.Model):
    __tablename__ = "bench_bare_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("bench_bare_teams.id"), index=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_zh: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    joined: Mapped[date]
    active: Mapped[bool] = mapped_column(default=True)


def database_url(url: str | None = None) -> str:
    url = url or os.environ.get("BENCH_BARE_DATABASE_URL") or "sqlite:///bench-bare.db"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def create_app(url: str | None = None) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(url)
    db.init_app(app)

    @app.get("/bare")
    def bare():
        return "Hello from a bare Flask route."

    @app.get("/bare/page")
    def bare_page():
        site = db.session.scalar(select(Site).limit(1))  # 1
        teams = list(db.session.scalars(select(Team).order_by(Team.name)))  # 2
        total = db.session.scalar(select(func.count()).select_from(Member))  # 3
        members = list(  # 4
            db.session.scalars(select(Member).order_by(Member.number).limit(PAGE_ROWS))
        )
        newest = db.session.scalar(select(func.max(Member.joined)))  # 5
        return render_template(
            "bare/page.html",
            site=site,
            teams=teams,
            team_names={t.id: t.name for t in teams},
            total=total,
            members=members,
            newest=newest,
        )

    @app.get("/bare/fragment")
    def bare_fragment():
        team = db.get_or_404(Team, 1)  # 1
        in_team = select(func.count()).select_from(Member).where(Member.team_id == team.id)
        count = db.session.scalar(in_team)  # 2
        active = db.session.scalar(in_team.where(Member.active.is_(True)))  # 3
        newest = db.session.scalar(  # 4
            select(func.max(Member.joined)).where(Member.team_id == team.id)
        )
        members = list(  # 5
            db.session.scalars(
                select(Member)
                .where(Member.team_id == team.id)
                .order_by(Member.joined.desc())
                .limit(FRAGMENT_ROWS)
            )
        )
        return render_template(
            "bare/fragment.html",
            team=team,
            count=count,
            active=active,
            newest=newest,
            members=members,
        )

    @app.get("/bare/members/<int:member_id>")
    def bare_member(member_id: int):
        return db.get_or_404(Member, member_id).name

    return app


def prepare(url: str | None = None) -> Flask:
    """Create the anchors' tables and rows (once), before the server starts."""
    app = create_app(url)
    with app.app_context():
        db.create_all()
        if db.session.scalar(select(Site.id).limit(1)) is None:
            db.session.add(Site(name="Bare-bones club", tagline="A page with nothing but a table"))
            teams = [Team(name=f"Team {chr(ord('A') + n)}") for n in range(TEAMS)]
            db.session.add_all(teams)
            db.session.flush()
            start = date(2020, 1, 6)
            db.session.add_all(
                Member(
                    team_id=teams[n % TEAMS].id,
                    number=f"B{n + 1:05d}",
                    name=f"Member number {n + 1}",
                    name_zh=f"会员{n + 1}",
                    email=f"member{n + 1}@bare.example",
                    joined=start + timedelta(days=3 * n),
                    active=n % 11 != 0,
                )
                for n in range(MEMBERS)
            )
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return app
