"""Links in templates are built once per shape (portal.templating.url_for) and are the links
Flask builds, for every value."""

from __future__ import annotations

from flask import url_for as flask_url_for

from portal.templating import url_for


def test_links_are_the_links_flask_builds(app):
    cases = [
        ("people.detail", {"person_id": 7}),
        ("people.detail", {"person_id": 123456}),
        ("people.detail", {"person_id": 0}),
        ("people.index", {}),
        ("people.index", {"department": 3, "status": "all"}),
        ("people.index", {"department": 4, "status": "active", "page": 2}),
        ("people.index", {"q": "Wu & <Li> 吴", "page": 9}),
        ("people.index", {"q": None, "page": 1}),
        ("people.index", {"q": 5, "page": 1}),  # the same names, an id where None was
        ("people.index", {"job_title": 5, "status": "all", "flag": True}),
        ("sops.coverage", {"sop_id": 12, "outstanding": "1", "page": 3}),
        ("sops.coverage", {"sop_id": 13, "page": 4, "outstanding": "1"}),  # another order
        ("sops.remind", {"sop_id": 9007199254740881, "user_id": 2}),  # a placeholder's value
        ("static", {"filename": "css/portal.css"}),
        ("people.index", {"department": [1, 2]}),  # unhashable: built by Flask
        ("people.detail", {"person_id": 8, "_anchor": "history"}),
    ]
    with app.test_request_context("/"):
        for _round in range(2):  # the first builds the shape, the second fills it in
            for endpoint, values in cases:
                assert url_for(endpoint, **values) == flask_url_for(endpoint, **values), values


def test_links_follow_the_prefix_the_app_is_mounted_at(app):
    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": "/staffroom"}):
        assert url_for("people.detail", person_id=5) == "/staffroom/people/5"
    with app.test_request_context("/"):
        assert url_for("people.detail", person_id=5) == "/people/5"


def test_a_bad_value_fails_as_flask_says(app):
    import pytest
    from werkzeug.routing import BuildError

    with app.test_request_context("/"), pytest.raises(BuildError):
        url_for("people.detail")
