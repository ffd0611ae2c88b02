"""Tests for lectern.text.cite: bibliography readers and citations formatted by pandoc's citeproc."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from lectern.text.cite import CiteItem, Cluster, format_citations, read_bibliography, style_error, style_path
from lectern.course.model import Pos
from lectern.problems import RenderError

AT = Pos("lectures/one.yaml", 4, 9)

REFS_YAML = """\
- id: cushion2016
  type: book
  author:
    - family: Cushion
      given: Steve
  title: "A Hidden History of the Cuban Revolution"
  issued: 2016
  publisher: Monthly Review Press
  publisher-place: New York
- id: perez2015
  type: article-journal
  author:
    - family: Pérez
      given: Louis A.
  title: "Sugar & Power <in> Cuba"
  container-title: Cuban Studies
  volume: 43
  page: 121-145
  issued: 2015
- id: kapcia2014a
  type: book
  author:
    - family: Kapcia
      given: Antoni
  title: "Leadership in the Cuban Revolution"
  issued: 2014
  publisher: Zed Books
- id: kapcia2014b
  type: article-journal
  author:
    - family: Kapcia
      given: Antoni
  title: "Cuba's Revolutionary Culture"
  container-title: Bulletin of Latin American Research
  volume: 33
  issue: 2
  page: 190-205
  issued: 2014
- id: uncited1999
  type: book
  author:
    - family: Nobody
      given: Ann
  title: Never Cited
  issued: 1999
"""

# Both LaTeX accent spellings: \'{i} and {\'e}.
REFS_BIB = """\
% notes between entries are comments, even with an address like user@example.com
@book{dominguez1978,
  author    = {Dom\\'{i}nguez, Jorge I. and Cl{\\'e}ment, Ren{\\'e}},
  title     = {Cuba: Order and Revolution},
  publisher = {Belknap Press},
  year      = 1978
}
"""

REFS_JSON = [
    {
        "id": "fagen1969",
        "type": "book",
        "author": [{"family": "Fagen", "given": "Richard R."}],
        "title": "The Transformation of Political Culture in Cuba",
        "publisher": "Stanford University Press",
        "issued": {"date-parts": [[1969]]},
    }
]

CHICAGO, APA = "chicago-author-date", "apa"


def link(key: str, text: str) -> str:
    return f'<a href="#ref-{key}">{text}</a>'


@pytest.fixture(scope="module")
def bib_files(tmp_path_factory) -> list[Path]:
    d = tmp_path_factory.mktemp("bib")
    (d / "refs.yaml").write_text(REFS_YAML, encoding="utf-8")
    (d / "dom.bib").write_text(REFS_BIB, encoding="utf-8")
    (d / "more.json").write_text(json.dumps(REFS_JSON, indent=2), encoding="utf-8")
    return [d / "refs.yaml", d / "dom.bib", d / "more.json"]


def clusters() -> list[Cluster]:
    return [
        Cluster("loc", [CiteItem("cushion2016", AT, suffix="p. 145")]),
        Cluster("see", [CiteItem("cushion2016", AT, prefix="see", suffix="ch. 2")]),
        Cluster("intext", [CiteItem("cushion2016", AT, suffix="p. 3")], in_text=True),
        Cluster("year", [CiteItem("cushion2016", AT, suppress_author=True)]),
        Cluster("multi", [CiteItem("cushion2016", AT), CiteItem("dominguez1978", AT, suffix="pp. 3-5, emphasis added")]),
        Cluster("article", [CiteItem("perez2015", AT, suffix="p. 130")]),
        Cluster("twin", [CiteItem("kapcia2014a", AT), CiteItem("kapcia2014b", AT)]),
        Cluster("json", [CiteItem("fagen1969", AT)]),
    ]


EXPECTED = {
    CHICAGO: {
        "clusters": {
            "loc": f"({link('cushion2016', 'Cushion 2016, 145')})",
            "see": f"(see {link('cushion2016', 'Cushion 2016')}, ch. 2)",
            "intext": f"Cushion ({link('cushion2016', '2016, 3')})",
            "year": f"({link('cushion2016', '2016')})",
            "multi": f"({link('cushion2016', 'Cushion 2016')}; "
            f"{link('dominguez1978', 'Domínguez and Clément 1978, 3–5')}, emphasis added)",
            "article": f"({link('perez2015', 'Pérez 2015, 130')})",
            "twin": f"({link('kapcia2014a', 'Kapcia 2014b')}, {link('kapcia2014b', '2014a')})",
            "json": f"({link('fagen1969', 'Fagen 1969')})",
        },
        "bibliography": [
            ("cushion2016", "Cushion, Steve. 2016. <em>A Hidden History of the Cuban Revolution</em>. Monthly Review Press."),
            ("dominguez1978", "Domínguez, Jorge I., and René Clément. 1978. <em>Cuba: Order and Revolution</em>. Belknap Press."),
            ("fagen1969", "Fagen, Richard R. 1969. <em>The Transformation of Political Culture in Cuba</em>. Stanford University Press."),
            ("kapcia2014b", "Kapcia, Antoni. 2014a. “Cuba’s Revolutionary Culture.” <em>Bulletin of Latin American Research</em> 33 (2): 190–205."),
            ("kapcia2014a", "Kapcia, Antoni. 2014b. <em>Leadership in the Cuban Revolution</em>. Zed Books."),
            ("perez2015", "Pérez, Louis A. 2015. “Sugar &amp; Power &lt;in&gt; Cuba.” <em>Cuban Studies</em> 43: 121–45."),
        ],
    },
    APA: {
        "clusters": {
            "loc": f"({link('cushion2016', 'Cushion, 2016, p. 145')})",
            "see": f"(see {link('cushion2016', 'Cushion, 2016')}, ch. 2)",
            "intext": f"Cushion ({link('cushion2016', '2016, p. 3')})",
            "year": f"({link('cushion2016', '2016')})",
            "multi": f"({link('cushion2016', 'Cushion, 2016')}; "
            f"{link('dominguez1978', 'Domínguez &amp; Clément, 1978, pp. 3–5')}, emphasis added)",
            "article": f"({link('perez2015', 'Pérez, 2015, p. 130')})",
            "twin": f"({link('kapcia2014a', 'Kapcia, 2014b')}, {link('kapcia2014b', '2014a')})",
            "json": f"({link('fagen1969', 'Fagen, 1969')})",
        },
        "bibliography": [
            ("cushion2016", "Cushion, S. (2016). <em>A Hidden History of the Cuban Revolution</em>. Monthly Review Press."),
            ("dominguez1978", "Domínguez, J. I., &amp; Clément, R. (1978). <em>Cuba: Order and revolution</em>. Belknap Press."),
            ("fagen1969", "Fagen, R. R. (1969). <em>The Transformation of Political Culture in Cuba</em>. Stanford University Press."),
            ("kapcia2014b", "Kapcia, A. (2014a). Cuba’s Revolutionary Culture. <em>Bulletin of Latin American Research</em>, <em>33</em>(2), 190–205."),
            ("kapcia2014a", "Kapcia, A. (2014b). <em>Leadership in the Cuban Revolution</em>. Zed Books."),
            ("perez2015", "Pérez, L. A. (2015). Sugar &amp; Power &lt;in&gt; Cuba. <em>Cuban Studies</em>, <em>43</em>, 121–145."),
        ],
    },
}


@pytest.fixture(scope="module", params=[CHICAGO, APA])
def formatted(request, bib_files):
    style = style_path(request.param, bib_files[0].parent)
    assert style is not None and style.name == f"{request.param}.csl"
    return request.param, format_citations(bib_files, style, "en", clusters())


@pytest.mark.parametrize("cluster_id", list(EXPECTED[CHICAGO]["clusters"]))
def test_each_cluster_reads_as_the_style_prescribes(formatted, cluster_id):
    """Locators, "see", author in text, year only, several works, two works of one year."""
    name, result = formatted
    assert str(result.clusters[cluster_id]) == EXPECTED[name]["clusters"][cluster_id]


def test_bibliography_lists_every_cited_work_and_no_other_in_the_style_order(formatted):
    name, result = formatted
    assert [(e.key, str(e.html)) for e in result.bibliography] == EXPECTED[name]["bibliography"]
    assert [e.id for e in result.bibliography] == ["ref-" + k for k, _ in EXPECTED[name]["bibliography"]]
    assert result.problems == []


def test_chicago_keeps_full_given_names_and_the_articles_page_range(formatted):
    name, result = formatted
    entries = {e.key: str(e.html) for e in result.bibliography}
    if name == CHICAGO:
        assert entries["cushion2016"].startswith("Cushion, Steve. 2016.")
    # The article is cited at p. 130, but its entry keeps its own page range.
    assert "121–" in entries["perez2015"] and "130" not in entries["perez2015"]


def test_html_is_escaped_and_carries_no_pandoc_wrappers(formatted):
    _, result = formatted
    perez = next(e for e in result.bibliography if e.key == "perez2015")
    assert "Sugar &amp; Power &lt;in&gt; Cuba" in perez.html
    for html in [str(e.html) for e in result.bibliography] + [str(h) for h in result.clusters.values()]:
        assert "<div" not in html and "csl-entry" not in html and "<in>" not in html
        assert "<span class" not in html  # no citeproc spans in author-date styles
        assert "role=" not in html


def test_extra_keys_join_the_bibliography_without_a_citation(bib_files):
    style = style_path(CHICAGO, bib_files[0].parent)
    one = [Cluster("c1", [CiteItem("cushion2016", AT)])]
    result = format_citations(bib_files, style, "en", one, extra_keys=[("uncited1999", AT)])
    assert [e.key for e in result.bibliography] == ["cushion2016", "uncited1999"]
    assert "Nobody, Ann. 1999. <em>Never Cited</em>." == result.bibliography[1].html
    alone = format_citations(bib_files, style, "en", [], extra_keys=["perez2015"])
    assert [e.key for e in alone.bibliography] == ["perez2015"] and alone.clusters == {}


def test_a_cited_key_missing_from_the_bibliography_is_a_problem_at_the_citation(bib_files):
    style = style_path(CHICAGO, bib_files[0].parent)
    where = Pos("lectures/two.yaml", 12, 30)
    result = format_citations(bib_files, style, "en", [Cluster("c1", [CiteItem("nosuchkey", where)])])
    assert [(p.pos, p.message) for p in result.problems] == [(where, "no entry `nosuchkey` in the bibliography")]
    assert "nosuchkey" in result.clusters["c1"]
    assert result.bibliography == []


def test_lang_localises_quotation_marks_and_terms(bib_files):
    style = style_path(CHICAGO, bib_files[0].parent)
    cl = [Cluster("c1", [CiteItem("kapcia2014b", AT)]), Cluster("c2", [CiteItem("dominguez1978", AT)])]
    german = format_citations(bib_files, style, "de-DE", cl)
    entries = {e.key: str(e.html) for e in german.bibliography}
    assert "„Cuba’s Revolutionary Culture“" in entries["kapcia2014b"]
    assert german.clusters["c2"] == f"({link('dominguez1978', 'Domínguez und Clément 1978')})"


def test_nothing_to_cite_runs_nothing(bib_files):
    result = format_citations(bib_files, Path("/nonexistent.csl"), "en", [])
    assert result.clusters == {} and result.bibliography == []


def test_a_later_process_reuses_pandocs_run_for_the_same_inputs_only(bib_files, tmp_path, monkeypatch):
    """A build after an edit that changed no citation does not run pandoc again."""
    from lectern.text.cite import pandoc as cite
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    clusters = [Cluster("c1", [CiteItem("cushion2016", AT, suffix="p. 145")])]
    style = style_path("chicago-author-date", tmp_path)
    cite._MEMO.clear()
    first = format_citations(bib_files, style, "en", clusters)
    cite._MEMO.clear()  # as in a new process

    def no_pandoc(args, stdin):
        raise AssertionError("pandoc ran again for the same inputs")
    monkeypatch.setattr(cite, "_run", no_pandoc)
    again = format_citations(bib_files, style, "en", clusters)
    assert again.clusters == first.clusters and again.bibliography == first.bibliography
    cite._MEMO.clear()
    other = [Cluster("c1", [CiteItem("cushion2016", AT, suffix="p. 146")])]
    with pytest.raises(AssertionError, match="ran again"):
        format_citations(bib_files, style, "en", other)  # other inputs: pandoc must run


# ------------------------------------------------------------------ styles

USER_CSL = """\
<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info>
    <title>Test guillemets</title>
    <id>http://example.org/test-guillemets</id>
    <updated>2026-01-01T00:00:00+00:00</updated>
  </info>
  <citation>
    <layout prefix="«" suffix="»" delimiter=" | ">
      <text variable="title" font-style="italic"/>
      <text variable="locator" prefix=" @"/>
    </layout>
  </citation>
  <bibliography>
    <sort><key variable="title"/></sort>
    <layout>
      <names variable="author"><name name-as-sort-order="all" sort-separator=", "/></names>
      <text variable="title" prefix=" — "/>
    </layout>
  </bibliography>
</style>
"""


def test_a_users_csl_file_relative_to_the_course_is_used(tmp_path, bib_files):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "guillemets.csl").write_text(USER_CSL, encoding="utf-8")
    style = style_path("styles/guillemets.csl", tmp_path)
    assert style == tmp_path / "styles" / "guillemets.csl"
    cl = [Cluster("c1", [CiteItem("perez2015", AT, suffix="p. 130"), CiteItem("cushion2016", AT)])]
    result = format_citations(bib_files, style, "en", cl)
    assert result.clusters["c1"] == (
        f"«{link('perez2015', '<em>Sugar &amp; Power &lt;in&gt; Cuba</em> @130')} | "
        f"{link('cushion2016', '<em>A Hidden History of the Cuban Revolution</em>')}»"
    )
    assert [str(e.html) for e in result.bibliography] == [
        "Cushion, Steve — A Hidden History of the Cuban Revolution",
        "Pérez, Louis A. — Sugar &amp; Power &lt;in&gt; Cuba",
    ]


def test_unknown_style_names_and_missing_files_are_refused_with_a_reason(tmp_path):
    assert style_path("chicago-author-date-nonexistent", tmp_path) is None
    assert "unknown citation style `chicago-author-date-nonexistent`" in style_error("chicago-author-date-nonexistent", tmp_path)
    assert style_path("styles/missing.csl", tmp_path) is None
    assert "does not exist" in style_error("styles/missing.csl", tmp_path)
    (tmp_path / "broken.csl").write_text("<style>", encoding="utf-8")
    assert style_path("broken.csl", tmp_path) is None
    assert "not a readable CSL file" in style_error("broken.csl", tmp_path)
    assert style_error("apa", tmp_path) is None and style_error(CHICAGO, tmp_path) is None
    assert style_path("apa.csl", tmp_path).name == "apa.csl"  # no such file in the course: the bundled one


def test_a_dependent_style_resolves_to_its_bundled_parent_never_the_network(tmp_path):
    dependent = USER_CSL.replace(
        "<updated>", '<link href="http://www.zotero.org/styles/apa" rel="independent-parent"/>\n    <updated>'
    )
    dependent = dependent[: dependent.index("<citation>")] + "</style>\n"
    (tmp_path / "dep.csl").write_text(dependent, encoding="utf-8")
    assert style_path("dep.csl", tmp_path).name == "apa.csl"
    (tmp_path / "orphan.csl").write_text(dependent.replace("styles/apa", "styles/no-such-parent"), encoding="utf-8")
    assert style_path("orphan.csl", tmp_path) is None
    assert "no-such-parent" in style_error("orphan.csl", tmp_path)


def test_pandoc_failure_is_a_render_error_with_pandocs_reason(tmp_path, bib_files):
    bad = tmp_path / "bad.csl"
    bad.write_text("<style xmlns='http://purl.org/net/xbiblio/csl'><citation>", encoding="utf-8")
    with pytest.raises(RenderError, match="formatting the citations failed"):
        format_citations(bib_files, bad, "en", [Cluster("c1", [CiteItem("cushion2016", AT)])])


# ------------------------------------------------------------------ reading bibliographies


def test_read_bibliography_finds_every_key_where_it_is_defined(bib_files):
    index = read_bibliography(bib_files)
    yaml_name, bib_name, json_name = (str(p) for p in bib_files)
    assert index.problems == []
    assert index.keys == {
        "cushion2016": Pos(yaml_name, 1, 7),
        "perez2015": Pos(yaml_name, 10, 7),
        "kapcia2014a": Pos(yaml_name, 20, 7),
        "kapcia2014b": Pos(yaml_name, 28, 7),
        "uncited1999": Pos(yaml_name, 39, 7),
        "dominguez1978": Pos(bib_name, 2, 7),
        "fagen1969": Pos(json_name, 3, 11),
    }


def test_pandocs_references_mapping_form_of_csl_yaml_is_read(tmp_path):
    f = tmp_path / "refs.yml"
    f.write_text("references:\n  - id: a1\n    type: book\n  - type: book\n    id: 'b2'\n", encoding="utf-8")
    index = read_bibliography([f])
    assert index.keys == {"a1": Pos(str(f), 2, 9), "b2": Pos(str(f), 5, 9)} and index.problems == []


def problems_of(tmp_path: Path, name: str, text: str) -> tuple[dict, list[tuple[int, int, str]]]:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    index = read_bibliography([f])
    assert all(p.pos.path == str(f) for p in index.problems)
    return {k: (p.line, p.column) for k, p in index.keys.items()}, [
        (p.pos.line, p.pos.column, p.message) for p in index.problems
    ]


def test_malformed_yaml_is_a_problem_with_its_place(tmp_path):
    keys, problems = problems_of(tmp_path, "r.yaml", "- id: a\n  title: [unclosed\n- id: b\n")
    assert keys == {} and len(problems) == 1
    assert problems[0][0] == 3 and problems[0][2].startswith("invalid YAML")
    keys, problems = problems_of(tmp_path, "r.yaml", "- id: a\n- title: No id here\n- just text\n")
    assert keys == {"a": (1, 7)}
    assert problems == [
        (2, 3, "this bibliography entry has no `id`"),
        (3, 3, "a bibliography entry must be a mapping with `id`, `type`, `title`, ..."),
    ]
    _, problems = problems_of(tmp_path, "r.yaml", "title: not a list\n")
    assert problems == [(1, 1, "a CSL-YAML bibliography is a list of entries, or a mapping with `references:`")]


def test_malformed_json_is_a_problem_with_its_place(tmp_path):
    keys, problems = problems_of(tmp_path, "r.json", '[\n  {"id": "a",\n   "title": "x",,\n  }\n]\n')
    assert keys == {} and problems == [(3, 17, "invalid JSON: Expecting property name enclosed in double quotes")]
    keys, problems = problems_of(tmp_path, "r.json", '[{"id": "a"},\n {"title": "no id"},\n {"id": ""}, 3]')
    assert keys == {"a": (1, 9)}
    assert problems == [
        (2, 2, 'this bibliography entry has no "id"'),
        (3, 9, 'an entry\'s "id" must be a non-empty text'),
        (3, 14, 'a bibliography entry must be an object with "id", "type", "title", ...'),
    ]


def test_malformed_bibtex_is_a_problem_with_its_place_and_reading_goes_on(tmp_path):
    text = (
        "@book{good1,\n  title = {Fine},\n  year = 2001,\n}\n"  # 1-4
        "@article{bad1\n  title = {No comma after the key}\n}\n"  # 5-7
        "@book{good2, title = \"Quoted {with} braces\" # \" and more\", year = 1999}\n"  # 8
        "@book{bad2,\n  title {Missing equals},\n}\n"  # 9-11
        "@string{pub = {Press}}\n@comment{anything {at} all}\n"  # 12-13
        "@book{good3, publisher = pub}\n"  # 14
        "@book{unclosed,\n  title = {Never {closed}\n"  # 15-16
    )
    keys, problems = problems_of(tmp_path, "r.bib", text)
    assert keys == {"good1": (1, 7), "good2": (8, 7), "good3": (14, 7)}
    assert problems == [
        (6, 3, "expected `,` after the key `bad1`"),
        (10, 9, "expected `=` after the field name `title`"),
        (15, 1, "unclosed `{`: this entry never ends (a `}` is missing)"),
    ]


def test_duplicates_unknown_formats_and_unreadable_files_are_problems(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.bib"
    a.write_text("- id: twice\n", encoding="utf-8")
    b.write_text("@book{twice, title={Again}}\n", encoding="utf-8")
    index = read_bibliography([a, b, tmp_path / "refs.ris", tmp_path / "gone.json"])
    assert index.keys == {"twice": Pos(str(a), 1, 7)}
    assert [(p.pos, p.severity, p.message.split(":")[0]) for p in index.problems] == [
        (Pos(str(b), 1, 7), "warning", f"duplicate bibliography key `twice` (first defined at {a}"),
        (Pos(str(tmp_path / "refs.ris"), 1, 1), "error", "unknown bibliography format"),
        (Pos(str(tmp_path / "gone.json"), 1, 1), "error", "cannot read the bibliography"),
    ]
    latin1 = tmp_path / "latin1.bib"
    latin1.write_bytes("@book{x,\n  author = {P\u00e9rez}}\n".encode("latin-1"))
    assert [(p.pos.line, p.message) for p in read_bibliography([latin1]).problems] == [
        (2, "the bibliography is not UTF-8 text")
    ]


def test_prefix_and_suffix_text_is_escaped(bib_files):
    style = style_path(CHICAGO, bib_files[0].parent)
    cl = [Cluster("c1", [CiteItem("cushion2016", AT, prefix="cf. <b>", suffix="p. 3, & passim")])]
    result = format_citations(bib_files, style, "en", cl)
    assert result.clusters["c1"] == f"(cf. &lt;b&gt; {link('cushion2016', 'Cushion 2016, 3')}, &amp; passim)"


def test_a_note_style_marks_its_clusters_as_footnote_text(bib_files):
    style = style_path("chicago-notes-bibliography", bib_files[0].parent)
    cl = [Cluster("c1", [CiteItem("cushion2016", AT, suffix="p. 145")])]
    result = format_citations(bib_files, style, "en", cl)
    assert result.notes == {"c1"}
    assert result.clusters["c1"] == link(
        "cushion2016", "Steve Cushion, <em>A Hidden History of the Cuban Revolution</em> (Monthly Review Press, 2016), 145"
    ) + "."


# ------------------------------------------------------------------ never an exception

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

BIBLIKE = st.text(alphabet=st.sampled_from(list("@{}(),=\"#%\\ \n\tabk1:-[]'éy")), max_size=200)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=BIBLIKE, suffix=st.sampled_from([".bib", ".yaml", ".json"]))
def test_any_text_gives_keys_or_problems_never_an_exception(tmp_path, text, suffix):
    f = tmp_path / f"any{suffix}"
    f.write_text(text, encoding="utf-8")
    index = read_bibliography([f])
    for problem in index.problems:
        assert problem.pos.line >= 1 and problem.pos.column >= 1
    for pos in index.keys.values():
        assert 1 <= pos.line <= text.count("\n") + 1


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    entries=st.lists(
        st.dictionaries(st.sampled_from(["title", "page", "author", "x"]), JSON_VALUES, max_size=3),
        max_size=4,
    ),
    indent=st.sampled_from([None, 1, 4]),
)
def test_csl_json_positions_point_at_each_id(tmp_path, entries, indent):
    for n, entry in enumerate(entries):
        entry["id"] = f"key{n}é"
    text = json.dumps(entries, indent=indent, ensure_ascii=n % 2 == 0 if entries else True)
    f = tmp_path / "any.json"
    f.write_text(text, encoding="utf-8")
    index = read_bibliography([f])
    # pandoc (which formats the bibliography) may refuse a value, like a title that is null: said as such
    assert all(p.message.startswith("this bibliography cannot be read: ") for p in index.problems)
    assert list(index.keys) == [f"key{n}é" for n in range(len(entries))]
    lines = text.split("\n")
    for key, pos in index.keys.items():
        rest = lines[pos.line - 1][pos.column - 1:]
        assert json.loads(rest[: rest.index('"', 1) + 1]) == key
