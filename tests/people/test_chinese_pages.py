"""The people, job title and audit pages in Chinese: no English UI words left."""

import pytest

from portal.blueprints.people.models import JobTitle
from tests import factories
from tests.conftest import text_of
from tests.test_i18n import english_words

PAGES = [
    ("/people/", "姓名"),
    ("/people/new", "初始 PIN 码（6 位数字）"),
    ("/people/new/fields?role=supervisor", "分管部门"),
    ("/people/{me}", "职级"),
    ("/people/{me}/edit", "部门与职位"),
    ("/people/{colleague}/deactivate", "重新启用之前无法登录。"),
    ("/people/job-titles", "客房服务员"),
    ("/people/job-titles/new", "晋升通道职级"),
    ("/people/job-titles/{title}/edit", "现有 1 人担任。"),
    ("/people/job-titles/{title}/delete", "删除职位"),
    ("/audit/", "职位名称（中文）: — → 客房服务员"),
    ("/audit/?object_type=users", "记录类型"),
]


@pytest.mark.parametrize(("path", "chinese"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_in_chinese(client, db, login_as, path, chinese):
    from portal import audit

    hr = login_as("hr", locale="zh_Hans", name_en="", name_zh="赵静", email=None)
    hr.property.name_en = ""
    title = JobTitle(
        property_id=hr.property_id,
        department_id=factories.department(hr.property, "HK").id,
        title_en="",
        title_zh="客房服务员",
        grade="junior",
    )
    db.session.add(title)
    db.session.flush()
    audit.record("job_title.created", title, actor=hr, summary="title_zh: None -> 客房服务员")
    colleague = factories.person("employee", name_en="", name_zh="钱明", job_title_id=title.id)
    db.session.commit()
    response = client.get(path.format(me=hr.id, colleague=colleague.id, title=title.id))
    assert response.status_code == 200, path
    assert chinese in text_of(response), (path, text_of(response)[:800])
    assert english_words(response) == set(), path
