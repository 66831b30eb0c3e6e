"""Each named query runs on the real graph, on both engines, and answers what the documents say.

The expected answers are written from the two source documents (data/sources/) and, where a
query also reads the public-record graph, from shared/public-record.md; never from a query's output.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cybercrime_kg.cli.query import read_named
from cybercrime_kg.config import DEFAULTS
from cybercrime_kg.dataset import load_dataset, project_parts
from cybercrime_kg.sparql.analysis import analyse
from cybercrime_kg.sparql.engines.base import Engine, Job, engine_class
from helpers.source_claims import NATIONAL_ACCOUNT_ONLY
from helpers.stores import QUERY_ENGINE_NAMES

REMOTE_STORES = {"remote": "oxigraph_real_endpoint", "virtuoso": "virtuoso_real_endpoint"}

BASE = "https://w3id.org/cybercrime-kg/"
ID = BASE + "id/"
QUERIES = Path(__file__).resolve().parent.parent / "queries"
MFA = (
    "UN consultations on combating cybercrime enter a new stage: summary of the fourth meeting"
    " of the UN Intergovernmental Expert Group on Cybercrime"
)
AGENDA = (
    "Annotated provisional agenda of the fourth meeting of the Expert Group"
    " (UNODC/CCPCJ/EG.4/2018/1)"
)


@pytest.fixture(scope="module", params=QUERY_ENGINE_NAMES)
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    if request.param in REMOTE_STORES:  # a server loaded with the graph (issue 7)
        endpoint = request.getfixturevalue(REMOTE_STORES[request.param])
        config = {**DEFAULTS, "ENGINE": "remote", "ENDPOINT": endpoint}
        yield engine_class("remote").open(config, project_parts())
        return
    yield engine_class(request.param).from_dataset(load_dataset())


def answer(engine: Engine, name: str, **params: str) -> list[dict[str, str | None]]:
    """The rows of a named query; IRIs under id/ are shortened to their path (state/CHN)."""
    text = read_named(QUERIES / f"{name}.rq").bind(params)
    result = engine.execute(Job(text, BASE, columns=analyse(text, BASE).columns, max_rows=10**6))
    return [
        {
            v: None if t is None else str(t).removeprefix(ID)
            for v, t in zip(result.variables, row, strict=True)
        }
        for row in result.rows
    ]


def project(rows: list[dict[str, Any]], *columns: str) -> set[tuple[Any, ...]]:
    return {tuple(row[c] for c in columns) for row in rows}


def test_every_query_is_tested_here() -> None:
    names = {p.stem for p in QUERIES.glob("*.rq")}
    tested = {n.removeprefix("test_").replace("_", "-") for n in globals() if n.startswith("test_")}
    assert names - tested == set()


def test_list_meetings(engine: Engine) -> None:
    rows = answer(engine, "list-meetings")
    assert [r["ordinal"] for r in rows] == ["1", "2", "3", "4", "5", "6", "7"]
    assert project(rows, "meeting", "start", "end", "year", "venue", "status") == {
        # documents: seed B (1-4 dates), seed A (years 2019-2021, planned); public record (5-7)
        ("meeting/1", "2011-01-17", "2011-01-21", None, "Vienna", "held"),
        ("meeting/2", "2013-02-25", "2013-02-28", None, "Vienna", "held"),
        ("meeting/3", "2017-04-10", "2017-04-13", None, "Vienna", "held"),
        ("meeting/4", "2018-04-03", "2018-04-05", None, "Vienna", "held"),
        ("meeting/5", "2019-03-27", "2019-03-29", "2019", "Vienna", "planned"),
        ("meeting/6", "2020-07-27", "2020-07-29", "2020", "Vienna", "planned"),
        ("meeting/7", "2021-04-06", "2021-04-08", "2021", "Vienna", "planned"),
    }
    assert project(rows, "ordinal", "status_public_record", "report") == {
        ("1", "held", None),
        ("2", "held", "UNODC/CCPCJ/EG.4/2013/3"),
        ("3", "held", "UNODC/CCPCJ/EG.4/2017/4"),
        ("4", "held", "E/CN.15/2018/12"),
        ("5", "held", None),
        ("6", None, None),  # the public record announces the postponed dates, not the meeting
        ("7", "held", None),
    }
    assert project(rows, "ordinal", "label_zh") == {
        ("1", "专家组第一次会议"),
        ("2", "专家组第二次会议"),
        ("3", "专家组第三次会议"),
        ("4", "专家组第四次会议"),
        ("5", "专家组第五次会议"),
        ("6", "专家组第六次会议"),
        ("7", "专家组第七次会议(评估会议)"),
    }


def test_list_mandates(engine: Engine) -> None:
    rows = answer(engine, "list-mandates")
    documents = {
        r
        for r in project(rows, "instrument", "number", "adopted_by", "act", "addressee")
        if not r[0].startswith(("resolution/ga-67", "resolution/ga-73", "resolution/ga-74"))
    }
    ga, ccpcj, eg = (
        "General Assembly",
        "Commission on Crime Prevention and Criminal Justice",
        "Expert Group to Conduct a Comprehensive Study on Cybercrime",
    )
    assert documents == {
        ("resolution/ga-65-230", "65/230", ga, "endorses", None),
        ("resolution/ga-65-230", "65/230", ga, "requests", ccpcj),
        ("resolution/ccpcj-22-7", "22/7", ccpcj, "notes", None),
        ("resolution/ccpcj-22-7", "22/7", ccpcj, "requests", eg),
        ("resolution/ga-70-174", "70/174", ga, "endorses", None),
        ("instrument/doha-declaration", None, None, "notes", None),
        ("instrument/doha-declaration", None, None, "invites to consider", ccpcj),
        ("resolution/ccpcj-26-4", "26/4", ccpcj, "requests", eg),
        ("resolution/ccpcj-26-4", "26/4", ccpcj, "decides", eg),
        ("resolution/ccpcj-26-4", "26/4", ccpcj, "encourages", eg),  # public record
    }
    assert project(rows, "number", "date") >= {
        ("65/230", "2010-12-21"),
        ("70/174", "2015-12-17"),
        ("26/4", "2017-05-26"),
        ("74/247", "2019-12-27"),
    }
    asks = {r["asks_zh"] for r in rows if r["instrument"] == "resolution/ga-65-230"}
    assert any("按照《萨尔瓦多宣言》第 42 段设立一个不限成员名额政府间专家组" in a for a in asks)


def test_list_workplan(engine: Engine) -> None:
    rows = answer(engine, "list-workplan")
    assert project(rows, "year", "ordinal", "topic_zh", "chapter") == {
        ("2018", "4", "立法和框架", "3"),
        ("2018", "4", "刑事定罪", "4"),
        ("2019", "5", "执法和调查", "5"),
        ("2019", "5", "电子证据和刑事司法", "6"),
        ("2020", "6", "国际合作", "7"),
        ("2020", "6", "预防", "8"),
        ("2021", "7", None, None),
    }


def test_list_agenda_4(engine: Engine) -> None:
    rows = answer(engine, "list-agenda-4")
    assert project(rows, "number", "title_en", "title_zh", "parent") == {
        ("1", "Organizational matters", "组织事项", None),
        ("1(a)", "Opening of the meeting", "会议开幕", "1"),
        ("1(b)", "Adoption of the agenda", "通过议程", "1"),
        (
            "1(c)",
            "Adoption of the Chair's proposal for the workplan of the Expert Group for the "
            "period 2018-2021",
            "通过主席关于专家组 2018-2021 年期间工作计划的建议",
            "1",
        ),
        ("2", "Legislation and frameworks", "立法和框架", None),
        ("3", "Criminalization", "刑事定罪", None),
        ("4", "Other matters", "其他事项", None),
        ("5", "Adoption of the report", "通过报告", None),
    }
    am, pm = ("T10:00:00+02:00", "T13:00:00+02:00"), ("T15:00:00+02:00", "T18:00:00+02:00")
    slots = {
        (r["number"], r["slot_start"], r["slot_end"], r["continued"])
        for r in rows
        if r["slot_start"]
    }
    expected = {
        ("1(a)", "2018-04-03", am, "false"),
        ("1(b)", "2018-04-03", am, "false"),
        ("1(c)", "2018-04-03", pm, "false"),
        ("1(c)", "2018-04-03", pm, "true"),
        ("2", "2018-04-04", am, "false"),
        ("2", "2018-04-04", am, "true"),
        ("2", "2018-04-04", pm, "true"),
        ("3", "2018-04-04", pm, "false"),
        ("3", "2018-04-05", am, "true"),
        ("4", "2018-04-05", am, "false"),
        ("5", "2018-04-05", pm, "false"),
    }
    assert slots == {(n, d + s, d + e, c) for n, d, (s, e), c in expected}


def test_list_participants_4(engine: Engine) -> None:
    rows = answer(engine, "list-participants-4")
    assert project([r for r in rows if r["participant"]], "participant", "kind") == {
        ("body/eu", "Intergovernmental organization"),
        ("body/coe", "Intergovernmental organization"),
        ("body/sco", "Intergovernmental organization"),
        ("group/brics", "Group of states"),
        ("delegation/CHN-eg4", "Delegation"),
        *{
            (f"state/{code}", "State")
            for code in (
                "CHN",
                "RUS",
                "ZAF",
                "USA",
                "DEU",
                "CAN",
                "LKA",
                "JOR",
                "IRN",
                "EGY",
                "DZA",
                "KWT",
            )
        },
    }
    counts = project([r for r in rows if r["member_states"]], "member_states", "according_to")
    assert counts == {
        ("94", MFA),
        (
            "91",
            "SCO Secretariat news item on the fourth meeting of the Expert Group (5 April 2018)",
        ),
    }


def test_list_stances_on_topic(engine: Engine) -> None:
    rows = answer(engine, "list-stances-on-topic", topic=ID + "topic/budapest-convention")
    assert project(rows, "stance", "position") == {
        ("stance/eg4-europe-gold-standard", "advocates"),
        ("stance/eg4-europe-adopt-budapest", "advocates"),
        ("stance/eg4-europe-no-new-convention", "opposes"),
        ("stance/eg4-rebut-gold-standard", "rebuts"),
        ("stance/eg4-advocate-global-instrument", "advocates"),
    }
    rebut = [r for r in rows if r["stance"] == "stance/eg4-rebut-gold-standard"]
    assert {r["holder_en"] for r in rebut} == {
        "China",
        "BRICS",
        "Iran (Islamic Republic of)",
        "Egypt",
        "Algeria",
        "Kuwait",
    }
    assert {r["verbatim"] for r in rebut} == {
        "中国以及其他金砖国家、伊朗、埃及、阿尔及利亚、科威特等国从法理、技术和实务等角度予以反驳",
        "强调《布达佩斯公约》系地区性公约,广大区域外国家未参与公约谈判,内容没有代表性;",
        "公约规定了苛刻的加入程序,需由欧洲委员会邀请并经过公约缔约国一致同意方可加入,"
        "不具有国际性公约所应具备的开放性;",
        "公约制定于2001年,已远远落后于时代,无法涵盖互联网新技术下的网络犯罪。",
        "公约成立“获取跨境数据工作组”,就跨境电子证据获取问题谈判制定新的附加议定书,"
        "也足以说明公约需要更新和补充,才能符合时代需要。",
    }
    assert {r["according_to"] for r in rows} == {MFA}
    # a broader topic takes in stances filed under its narrower topics
    rows = answer(
        engine, "list-stances-on-topic", topic=ID + "topic/electronic-evidence-and-criminal-justice"
    )
    assert project(rows, "stance") == {
        ("stance/eg4-all-states-new-technologies",),
        ("stance/eg4-coe-additional-protocol",),
    }


def test_who_argued_technology_neutral_legislation(engine: Engine) -> None:
    rows = answer(engine, "who-argued-technology-neutral-legislation")
    assert project(rows, "holder", "holder_zh", "open_ended", "position", "according_to") == {
        ("state/USA", "美国", "true", "stresses", MFA),
        ("state/DEU", "德国", "true", "stresses", MFA),
        ("state/CAN", "加拿大", "true", "stresses", MFA),
    }
    assert {r["argument"] for r in rows} == {
        "So that legislation can adapt to future technological development"
    }
    assert {r["verbatim"] for r in rows} == {
        "另一方面,美国、德国、加拿大等国强调各国国内立法应秉持技术中立原则,措辞应参考《布达佩斯公约》,"
        "以便适应未来技术发展,不应频繁修订或增加罪名;"
    }


def test_who_argued_sovereign_legislation(engine: Engine) -> None:
    rows = answer(engine, "who-argued-sovereign-legislation")
    assert project(rows, "holder") == {("state/CHN",), ("state/RUS",), ("state/ZAF",)}
    assert project(rows, "offence_zh") == {
        ("非法利用网络的犯罪行为",),
        ("网络恐怖主义行为",),
        ("通过暗网和物联网实施的犯罪",),
        ("攻击关键基础设施的行为",),
    }
    assert len(rows) == 12  # every holder with every offence


def test_who_proposed_criminalizing_terrorist_content(engine: Engine) -> None:
    rows = answer(engine, "who-proposed-criminalizing-terrorist-content")
    assert project(rows, "holder", "holder_zh", "open_ended") == {
        ("state/CHN", "中国", "true"),
        ("state/LKA", "斯里兰卡", "true"),
        ("state/JOR", "约旦", "true"),
    }
    assert project(rows, "offence_en") == {
        ("Disseminating terrorism-related audio and video",),
        ("Spreading speech inciting hatred",),
    }
    assert {r["verbatim"] for r in rows} == {
        "此外,中国、斯里兰卡及约旦等国还主张将传播涉恐音视频、散播煽动仇恨言论的行为予以定罪。"
    }


# The Budapest Convention passage of the foreign ministry's summary (seed A), sentence by sentence
# as the summary writes it; the claims and arguments of its two paragraphs rest on these.
BUDAPEST_SOURCE = Path(__file__).resolve().parent.parent / "data/sources/000_7733b509ce2f1b5a.txt"
EUROPE_PROMOTE = (
    "部分欧洲国家在上述议题讨论中,积极推介《布达佩斯公约》,"
    "认为没有必要、也不应该制订新的打击网络犯罪公约。"
)
EUROPE_GOLD = (
    "他们表示,该公约已为各国通过签署或加入该公约以及在国内法中予以借鉴吸收等方式所广泛接受,"
    "是当今世界打击网络犯罪国际合作的唯一“黄金标准”"
)
EUROPE_ADOPT = (
    "他们呼吁各国应积极采纳并加入该公约,并表示制订新公约将降低现有打击网络犯罪国际合作标准。"
)
REBUT = "中国以及其他金砖国家、伊朗、埃及、阿尔及利亚、科威特等国从法理、技术和实务等角度予以反驳"
REGIONAL = "强调《布达佩斯公约》系地区性公约,广大区域外国家未参与公约谈判,内容没有代表性;"
ACCESSION = (
    "公约规定了苛刻的加入程序,需由欧洲委员会邀请并经过公约缔约国一致同意方可加入,"
    "不具有国际性公约所应具备的开放性;"
)
OUTDATED = "公约制定于2001年,已远远落后于时代,无法涵盖互联网新技术下的网络犯罪。"
PROTOCOL = (
    "公约成立“获取跨境数据工作组”,就跨境电子证据获取问题谈判制定新的附加议定书,"
    "也足以说明公约需要更新和补充,才能符合时代需要。"
)
UN_PLATFORM = (
    "这一进程应该通过在联合国这一最具代表性的平台谈判制定全球性文书的方式来进行,"
    "才能真正推动打击网络犯罪的国际合作。"
)
REGIONAL_FIRST = (
    "此外,从《联合国打击跨国有组织犯罪公约》和《联合国反腐败公约》等刑事领域全球性条约的缔约实践看,"
    "先有地区性公约再发展国际公约是惯例,现有的公约可成为新公约的基础,针对新技术制订新的应对措施,"
    "新公约将更具先进性。"
)


def test_show_budapest_debate(engine: Engine) -> None:
    source = BUDAPEST_SOURCE.read_text(encoding="utf-8")
    sentences = (EUROPE_PROMOTE, EUROPE_GOLD, EUROPE_ADOPT, REBUT, REGIONAL, ACCESSION)
    assert all(s in source for s in (*sentences, OUTDATED, PROTOCOL, UN_PLATFORM, REGIONAL_FIRST))
    rows = answer(engine, "show-budapest-debate")
    # one row per stance (no argument: the sentences the stance rests on) and per argument
    # (the sentence it comes from), in the order the summary reports them
    expected = [  # (stance/eg4-..., position/..., argument/... or None, sentences)
        ("europe-adopt-budapest", "advocates", None, [EUROPE_PROMOTE, EUROPE_GOLD, EUROPE_ADOPT]),
        ("europe-adopt-budapest", "advocates", "budapest-widely-accepted", [EUROPE_GOLD]),
        ("europe-no-new-convention", "opposes", None, [EUROPE_PROMOTE, EUROPE_ADOPT]),
        ("europe-no-new-convention", "opposes", "new-convention-lowers-standards", [EUROPE_ADOPT]),
        ("europe-gold-standard", "advocates", None, [EUROPE_GOLD]),
        ("europe-gold-standard", "advocates", "budapest-widely-accepted", [EUROPE_GOLD]),
        ("advocate-global-instrument", "advocates", None, [REBUT, UN_PLATFORM, REGIONAL_FIRST]),
        ("advocate-global-instrument", "advocates", "un-most-representative", [UN_PLATFORM]),
        ("advocate-global-instrument", "advocates", "regional-then-global", [REGIONAL_FIRST]),
        ("rebut-gold-standard", "rebuts", None, [REBUT, REGIONAL, ACCESSION, OUTDATED, PROTOCOL]),
        ("rebut-gold-standard", "rebuts", "budapest-regional", [REGIONAL]),
        ("rebut-gold-standard", "rebuts", "budapest-closed-accession", [ACCESSION]),
        ("rebut-gold-standard", "rebuts", "budapest-outdated", [OUTDATED]),
        ("rebut-gold-standard", "rebuts", "budapest-needs-protocol", [PROTOCOL]),
    ]
    # GROUP_CONCAT's order is the engine's: the sentences are compared as sets
    assert [
        (r["stance"], r["position"], r["argument"], set(str(r["source"]).split("\n"))) for r in rows
    ] == [
        (f"stance/eg4-{s}", f"position/{p}", a and f"argument/{a}", set(sources))
        for s, p, a, sources in expected
    ]
    # every claim is the foreign ministry's account, in its summary of 11 April 2018
    assert project(rows, "according_to", "reported_by") == {
        ("doc/mfa-summary-2018-04-11", "gov/CHN-mfa")
    }


def test_show_china_delegation(engine: Engine) -> None:
    rows = answer(engine, "show-china-delegation")
    assert project(rows, "kind", "label_zh", "incorporated_into") == {
        ("member", "外交部", None),
        ("member", "公安部", None),
        ("member", "司法部", None),
        ("member", "工信部", None),
        ("member", "驻维也纳代表团", None),
        *{
            ("proposal", zh, "Report of the fourth meeting of the Expert Group")
            for zh in (
                "尊重网络主权",
                "推动树立网络空间命运共同体理念",
                "制定打击网络犯罪国际合作示范法",
                "采取全面综合方法应对网络犯罪",
                "开展能力建设和技术援助应充分尊重接受国意愿",
                "关于“立法”的具体建议",
                "关于“定罪”的具体建议",
            )
        },
    }


def test_list_cited_documents(engine: Engine) -> None:
    rows = answer(engine, "list-cited-documents")
    assert project(rows, "symbol", "cited_part", "cited_in") == {
        ("A/RES/65/230", "resolution/ga-65-230-annex", "part/eg4-agenda-fn1"),
        ("E/CN.15/2011/19", "part/E-CN.15-2011-19-annex-I", "passage/ag-1b-p2-s2"),
        ("E/CN.15/2011/19", "part/E-CN.15-2011-19-annex-II", "passage/ag-1b-p2-s2"),
        ("UNODC/CCPCJ/EG.4/2013/3", None, "passage/ag-1b-p3-s3"),
        ("UNODC/CCPCJ/EG.4/2017/4", None, "passage/ag-1b-p7-s3"),
        ("UNODC/CCPCJ/EG.4/2017/4", "part/UNODC-CCPCJ-EG.4-2017-4-para-14", "part/eg4-agenda-fn4"),
        ("UNODC/CCPCJ/EG.4/2017/3", "part/UNODC-CCPCJ-EG.4-2017-3-para-24", "part/eg4-agenda-fn6"),
        ("E/CN.15/2017/CRP.5", "part/E-CN.15-2017-CRP.5-annex-VII", "passage/ag-1b-p11-s1"),
        ("UNODC/CCPCJ/EG.4/2018/CRP.1", None, "passage/ag-1c-docs"),
        ("UNODC/CCPCJ/EG.4/2018/CRP.1", None, "agenda-item/eg4-1c"),
    }
    assert project(rows, "symbol", "kind") == {
        ("A/RES/65/230", "Resolution"),
        ("E/CN.15/2011/19", "UN document"),
        ("UNODC/CCPCJ/EG.4/2013/3", "Meeting report"),
        ("UNODC/CCPCJ/EG.4/2017/4", "Meeting report"),
        ("UNODC/CCPCJ/EG.4/2017/3", "UN document"),
        ("E/CN.15/2017/CRP.5", "Conference room paper"),
        ("UNODC/CCPCJ/EG.4/2018/CRP.1", "Conference room paper"),
    }


def test_show_timeline(engine: Engine) -> None:
    rows = answer(engine, "show-timeline")
    data = BASE + "graph/data"
    from_documents = {
        (r["event"], r["start"], r["end"], r["year"]) for r in rows if r["graph"] == data
    }
    assert from_documents == {
        ("meeting/1", "2011-01-17", "2011-01-21", None),
        ("meeting/2", "2013-02-25", "2013-02-28", None),
        ("meeting/3", "2017-04-10", "2017-04-13", None),
        ("meeting/4", "2018-04-03", "2018-04-05", None),
        ("meeting/5", None, None, "2019"),
        ("meeting/6", None, None, "2020"),
        ("meeting/7", None, None, "2021"),
        ("event/establishment-expert-group", None, None, "2011"),
        ("event/study-completed", None, None, "2013"),
        ("event/study-translation", "2015-01-01", "2016-12-31", None),
        ("event/ccpcj-26", None, None, "2017"),
        ("event/extended-bureau-2018-01-23-dates", "2018-01-23", None, None),
        ("event/extended-bureau-2018-01-26-dates", "2018-01-26", None, None),
        ("event/extended-bureau-2018-01-26-agenda", "2018-01-26", None, None),
        ("event/extended-bureau-2018-01-26-workplan", "2018-01-26", None, None),
    }
    starts = [r["start"] or r["year"] for r in rows]
    assert rows[0]["start"] is None or starts == sorted(starts)  # ordered by date
    # of the dated steps, only the completion of the draft study in early 2013 rests on the
    # ministry's summary alone: the timeline says whose account it is
    assert {
        (r["event"], r["according_to"], r["according_to_en"]) for r in rows if r["according_to"]
    } == {
        (
            "event/study-completed",
            "gov/CHN-mfa",
            "Ministry of Foreign Affairs of the People's Republic of China",
        )
    }


def test_who_initiated(engine: Engine) -> None:
    rows = answer(engine, "who-initiated")
    assert project(rows, "what", "agent", "document") == {
        ("expert group", "state/CHN", "doc/mfa-summary-2018-04-11"),
        ("expert group", "state/RUS", "doc/mfa-summary-2018-04-11"),
        ("expert group", "state/BRA", "doc/mfa-summary-2018-04-11"),
        ("workplan", "group/brics", "doc/mfa-summary-2018-04-11"),
        ("workplan", "state/CHN", "doc/mfa-summary-2018-04-11"),
        # the workplan is the Chair's proposal in both documents
        ("workplan", "post/chair", "doc/UNODC-CCPCJ-EG.4-2018-1"),
        ("workplan", "post/chair", "doc/mfa-summary-2018-04-11"),
    }
    # the initiatives are the ministry's account alone; the Chair's proposal both documents state
    assert project(rows, "source", "attributed_to") == {
        ("event/initiative-expert-group", "gov/CHN-mfa"),
        ("event/brics-workplan-draft", "gov/CHN-mfa"),
        ("doc/workplan-2018-2021", None),
    }


def test_list_bureau_decisions(engine: Engine) -> None:
    rows = answer(engine, "list-bureau-decisions")
    documents = [r for r in rows if not r["decision"].startswith("event/pr-")]
    assert project(documents, "decision", "date", "procedure", "concerns", "confirmed_by") == {
        (
            "event/extended-bureau-2018-01-23-dates",
            "2018-01-23",
            "silence procedure",
            "meeting/4",
            "event/extended-bureau-2018-01-26-dates",
        ),
        (
            "event/extended-bureau-2018-01-26-dates",
            "2018-01-26",
            "decision at a meeting",
            "meeting/4",
            None,
        ),
        (
            "event/extended-bureau-2018-01-26-agenda",
            "2018-01-26",
            "decision at a meeting",
            "doc/UNODC-CCPCJ-EG.4-2018-1",
            None,
        ),
        (
            "event/extended-bureau-2018-01-26-workplan",
            "2018-01-26",
            "decision at a meeting",
            "doc/workplan-2018-2021",
            None,
        ),
    }


def test_list_study_chapters(engine: Engine) -> None:
    rows = answer(engine, "list-study-chapters")
    assert project(rows, "ordinal", "topic_en", "topic_zh") == {
        ("3", "Legislation and frameworks", "立法和框架"),
        ("4", "Criminalization", "刑事定罪"),
        ("5", "Law enforcement and investigations", "执法和调查"),
        ("6", "Electronic evidence and criminal justice", "电子证据和刑事司法"),
        ("7", "International cooperation", "国际合作"),
        ("7", "Sovereignty, jurisdiction and international cooperation", "主权、管辖权和国际合作"),
        ("7", "Formal international cooperation", "正式国际合作"),
        ("7", "Informal international cooperation", "非正式国际合作"),
        ("7", "Extraterritorial evidence", "域外证据"),
        ("8", "Prevention", "预防"),
    }
    assert {r["subtopic_of"] for r in rows if r["ordinal"] == "7"} == {
        None,
        "topic/international-cooperation",
    }


def test_show_provenance(engine: Engine) -> None:
    rows = answer(engine, "show-provenance", resource=ID + "meeting/4")
    data, public = BASE + "graph/data", BASE + "graph/public-record"
    # every passage one of its statements cites (tests/test_statements.py says which states what):
    # the agenda's cover, title, item list, chapters and notes; the ministry's account of who spoke
    agenda = {
        "ag-1a", "ag-1b-p11-s2", "ag-1b-p7-s1", "ag-2-docs-s2b", "ag-3-docs", "ag-5-s1", "ag-5-s3",
        "ag-body", "ag-ch3", "ag-ch4", "ag-dates-venue", "ag-list-1", "ag-list-1a", "ag-list-1b",
        "ag-list-1c", "ag-list-2", "ag-list-3", "ag-list-4", "ag-list-5", "ag-title",
    }  # fmt: skip
    mfa = {
        "mfa-bc-p2-s1a", "mfa-crim-p2-s1a", "mfa-crim-p2-s2", "mfa-crim-p2-s3", "mfa-p1-s1",
        "mfa-p1-s2", "mfa-p1-s3", "mfa-p2-b", "mfa-s1-p2-s4", "mfa-subtitle",
    }  # fmt: skip
    assert project([r for r in rows if r["graph"] == data], "passage", "document") == {
        (f"passage/{p}", "doc/UNODC-CCPCJ-EG.4-2018-1-zh") for p in agenda
    } | {(f"passage/{p}", "doc/mfa-summary-2018-04-11") for p in mfa}
    assert {r["symbol"] for r in rows if r["graph"] == data} == {"UNODC/CCPCJ/EG.4/2018/1", None}
    assert {r["verbatim"] for r in rows if r["passage"] == "passage/ag-1a"} == {
        "全面研究网络犯罪问题专家组第四次会议将于2018年4月3日星期二上午10时举行。"
    }
    public_rows = [r for r in rows if r["graph"] == public]
    assert public_rows and all(r["url"] for r in public_rows)


def test_show_statement_sources(engine: Engine) -> None:
    rows = answer(engine, "show-statement-sources", resource=ID + "meeting/4")
    ieg = BASE + "ontology#"
    agenda, mfa = "doc/UNODC-CCPCJ-EG.4-2018-1", "doc/mfa-summary-2018-04-11"
    # the dates: the agenda's cover and item 1(a), the ministry's first sentence, and (in the
    # public record's graph) two resolutions, a UN web page and the Commission's document
    dates = [r for r in rows if r["property"] == ieg + "startDate"]
    assert {r["passage"] for r in dates if r["document"] not in (agenda, mfa)} == {
        "passage/pr-a-res-74-247-meetings",
        "passage/pr-unodc-egm-meetings-1-5",
        "passage/pr-a-res-74-173-workplan",
        "passage/pr-e-cn15-2018-12-cover",
    }
    assert project([r for r in dates if r["document"] in (agenda, mfa)], "passage", "document") == {
        ("passage/ag-dates-venue", agenda),
        ("passage/ag-1a", agenda),
        ("passage/mfa-p1-s1", mfa),
    }
    assert {r["verbatim"] for r in rows if r["passage"] == "passage/ag-1b-p11-s2"} == {
        "可供使用的资源将允许在三天内举行六次配备联合国六种正式语文口译服务的全体会议。"
    }
    assert {r["property_en"] for r in rows if r["passage"] == "passage/ag-1b-p11-s2"} == {
        "interpretation",
        "number of plenary meetings",
        "number of days",
    }
    # what only the ministry says: who took part, that the meeting was held, adopting the plan
    claimed = {(r["property"], r["value"]) for r in rows if r["attributed_to"] == "gov/CHN-mfa"}
    assert {v for p, v in claimed if p == ieg + "participant"} == {
        "body/eu", "body/coe", "body/sco", "delegation/CHN-eg4", "group/brics", "state/CHN",
        "state/RUS", "state/ZAF", "state/USA", "state/DEU", "state/CAN", "state/LKA", "state/JOR",
        "state/IRN", "state/EGY", "state/DZA", "state/KWT",
    }  # fmt: skip
    assert {(p, v) for p, v in claimed if p != ieg + "participant"} == {
        (ieg + "status", "status/held"),
        (ieg + "adopts", "doc/workplan-2018-2021"),
    }
    assert {r["document"] for r in rows if r["attributed_to"]} == {mfa}


def test_list_disagreements(engine: Engine) -> None:
    rows = answer(engine, "list-disagreements")
    documents = [r for r in rows if not r["disagreement"].startswith("disagreement/pr-")]
    assert project(documents, "disagreement", "account", "according_to") == {
        ("disagreement/eg2-outcome", "proposition/eg2-no-outcome", MFA),
        ("disagreement/eg2-outcome", "proposition/eg2-took-note", AGENDA),
        ("disagreement/workplan-origin", "proposition/workplan-from-brics", MFA),
        ("disagreement/workplan-origin", "proposition/workplan-chairs-proposal", AGENDA),
        ("disagreement/eg-establishment", "proposition/eg-established-2011", MFA),
        ("disagreement/eg-establishment", "proposition/eg-requested-by-65-230", AGENDA),
    }
    assert {r["disagreement"] for r in rows} - {r["disagreement"] for r in documents} == {
        "disagreement/pr-eg-establishment-year",
        "disagreement/pr-eg4-attendance-count",
        "disagreement/pr-eg4-report-symbol",
        "disagreement/pr-hanoi-signatory-count",
    }


def test_list_labels(engine: Engine) -> None:
    zh = {
        r["resource"]: (r["label"], r["language"]) for r in answer(engine, "list-labels", lang="zh")
    }
    assert zh["state/CHN"] == ("中国", "zh")
    assert zh["topic/criminalization"] == ("刑事定罪", "zh")
    assert {lang for _, lang in zh.values()} == {"zh"}  # everything has a Chinese label
    fr = {
        r["resource"]: (r["label"], r["language"]) for r in answer(engine, "list-labels", lang="fr")
    }
    assert fr["state/CHN"] == ("Chine", "fr")
    assert fr["meeting/4"] == ("Fourth meeting of the Expert Group", "en")  # falls back
    assert set(fr) == set(zh)


def test_show_stance_matrix(engine: Engine) -> None:
    rows = answer(engine, "show-stance-matrix")
    cells = project(rows, "holder", "topic", "position")
    assert {
        ("state/USA", "topic/legislation-and-frameworks", "stresses"),
        ("state/CHN", "topic/criminalization", "advocates"),
        ("state/CHN", "topic/budapest-convention", "rebuts"),
        ("state/CHN", "topic/cybersecurity-and-cybercrime", "proposes"),
        ("group/brics", "topic/budapest-convention", "advocates"),
        ("group/some-european-countries", "topic/budapest-convention", "opposes"),
        ("group/developing-countries", "topic/cybersecurity-and-cybercrime", "advocates"),
        ("group/developed-countries", "topic/cybersecurity-and-cybercrime", "stresses"),
    } <= cells
    assert {h for h, _, _ in cells} == {
        "state/CHN",
        "state/RUS",
        "state/ZAF",
        "state/USA",
        "state/DEU",
        "state/CAN",
        "state/LKA",
        "state/JOR",
        "state/IRN",
        "state/EGY",
        "state/DZA",
        "state/KWT",
        "group/brics",
        "group/all-parties",
        "group/all-states",
        "group/developing-countries",
        "group/developed-countries",
        "group/some-european-countries",
        "group/eg3-participants",
        "group/eg3-most-speakers",
        "group/eg2-most-experts",
        "group/eg2-unnamed-speakers",
    }
    assert all(r["passage"].startswith("passage/") for r in rows)


def test_list_source_assertions(engine: Engine) -> None:
    rows = answer(engine, "list-source-assertions")
    sources = [r["source"] for r in rows]
    assert sources == sorted(sources)  # grouped by source
    mfa, agenda = "doc/mfa-summary-2018-04-11", "doc/UNODC-CCPCJ-EG.4-2018-1"
    claims = [r for r in rows if r["standing"] == "attributed claim"]
    # what seed A alone says is the ministry's claim, made in its summary, and nothing else is
    assert {r["node"] for r in claims} == NATIONAL_ACCOUNT_ONLY
    assert project(claims, "source", "attributed_to", "attributed_to_en") == {
        (mfa, "gov/CHN-mfa", "Ministry of Foreign Affairs of the People's Republic of China")
    }
    assert project(claims, "source_en") == {(MFA,)}
    # facts both documents state: the bodies, the study and its basis, meetings 1-4 and the
    # stocktaking meeting, the workplan with its 2021 item, the call for written comments, the
    # preliminary conclusions and the report, the Chair's proposal, Vienna; and the accounts of
    # the three matters on which they differ
    several = "fact stated by several sources"
    both = {r["node"] for r in rows if r["source"] == mfa and r["standing"] == several} & {
        r["node"] for r in rows if r["source"] == agenda and r["standing"] == several
    }
    assert both == {
        "body/ccpcj",
        "body/expert-group",
        "body/extended-bureau",
        "body/ga",
        "body/unodc",
        "disagreement/eg-establishment",
        "disagreement/eg2-outcome",
        "disagreement/workplan-origin",
        "doc/collection-of-topics",
        "doc/draft-comprehensive-study",
        "doc/eg4-report",
        "doc/methodology",
        "doc/workplan-2018-2021",
        "event/establishment-expert-group",
        "event/extended-bureau-2018-01-26-workplan",
        "event/study-comments",  # the agenda's Secretariat, which only the ministry names UNODC
        "event/study-translation",
        "group/member-states",
        "meeting/1",
        "meeting/2",
        "meeting/3",
        "meeting/4",
        "meeting/7",
        "part/eg4-preliminary-conclusions",
        "part/workplan-2021",
        "place/vienna",
        "post/chair",
        "provision/workplan-written-comments",
    }
    # a node is listed once under each of its sources, with one standing
    assert len(project(rows, "source", "node")) == len(rows)
    standings = {}
    for r in rows:
        standings.setdefault(r["node"], set()).add(r["standing"])
    assert [n for n, s in standings.items() if len(s) != 1] == []
    # the agenda alone: e.g. its own items, none of them a claim
    alone = {r["node"] for r in rows if r["source"] == agenda and r["standing"] != several}
    assert {"agenda-item/eg4-1a", "agenda-item/eg4-5"} <= alone
    assert project([r for r in rows if r["source"] == agenda], "standing") == {
        (several,),
        ("fact stated by this source alone",),
    }
