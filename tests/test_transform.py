"""The XSLT core and edition/transform.py: TEI snippets in, HTML fragments out, checked structurally."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from lxml import etree

from edition.transform import (
    Transformer,
    TransformError,
    assemble,
    default_priority,
    parse_safely,
)

ROOT = Path(__file__).resolve().parents[1]
XSLT = ROOT / "xslt"
FIXTURES = ROOT / "tests" / "fixtures" / "xslt"
EXEMPLAR = ROOT / "tei" / "khrushchev-castro-1962-10-28.xml"
TEI_NS = "http://www.tei-c.org/ns/1.0"

Html = Any  # lxml.html has no usable stubs: results are checked by the assertions
Render = Callable[..., Html]


@pytest.fixture(scope="module")
def web() -> Transformer:
    return Transformer(XSLT, "web")


@pytest.fixture(scope="module")
def book() -> Transformer:
    return Transformer(XSLT, "print")


@pytest.fixture(scope="module")
def links() -> etree._ElementTree:
    return parse_safely((FIXTURES / "links.xml").read_bytes())


def fragment(html: str) -> Html:
    """The rendered fragment, parsed as a browser would."""
    return lxml.html.fragment_fromstring(html)


def tei(body: str, *, doc_id: str = "test-doc", status: str = "transcribed") -> etree._ElementTree:
    """A TEI document around a snippet of body content."""
    text = (
        f'<TEI xmlns="{TEI_NS}" xml:id="{doc_id}" xml:lang="en"><teiHeader>'
        f'<revisionDesc status="{status}"/></teiHeader>'
        f'<text type="letter"><body><div type="letter">{body}</div></body></text></TEI>'
    )
    return parse_safely(text.encode())


@pytest.fixture
def render_web(web: Transformer, links: etree._ElementTree) -> Render:
    def render(body: str, **kwargs: str) -> Html:
        return fragment(web.render(tei(body, **kwargs), links))

    return render


@pytest.fixture
def render_print(book: Transformer, links: etree._ElementTree) -> Render:
    def render(body: str, **kwargs: str) -> Html:
        return fragment(book.render(tei(body, **kwargs), links))

    return render


def text_of(element: Html) -> str:
    return " ".join(element.text_content().replace("\u00a0", " ").split())


# --- the fragment ---------------------------------------------------------------------------


def test_fragment_is_one_div_without_page_furniture(
    web: Transformer, links: etree._ElementTree
) -> None:
    out = web.render(tei('<p n="1">Text.</p>', doc_id="a-b-1962-10-28"), links)
    assert out.startswith('<div class="tei-text"')
    assert "<html" not in out and "<head" not in out and "<!DOCTYPE" not in out.upper()
    div = fragment(out)
    assert div.get("data-document") == "a-b-1962-10-28"
    assert div.get("lang") == "en"
    assert div.get("data-status") == "transcribed"


# --- paragraphs -------------------------------------------------------------------------------


def test_web_paragraphs_are_numbered_anchors_with_self_links(render_web: Render) -> None:
    div = render_web('<p n="1">One.</p><p n="2">Two.</p>')
    paras = div.xpath("//p[contains(@class, 'para')]")
    assert [p.get("id") for p in paras] == ["p1", "p2"]
    assert [p.get("data-n") for p in paras] == ["1", "2"]
    number = paras[1].xpath("a[@class='para-n']")[0]
    assert number.get("href") == "#p2"
    assert number.text == "2"
    assert text_of(paras[1]) == "2 Two."


def test_print_paragraph_numbers_are_margin_numbers_with_ids_unique_in_the_book(
    render_print: Render,
) -> None:
    div = render_print('<p n="3">Three.</p>', doc_id="x-y-1962-10-28")
    para = div.xpath("//p[@data-n='3']")[0]
    assert para.get("id") == "x-y-1962-10-28-p3"
    assert para.xpath("span[@class='para-n']")[0].text == "3"
    assert not div.xpath("//a[@class='para-n']")


def test_opener_and_closer_keep_their_parts(render_web: Render) -> None:
    div = render_web(
        '<opener><dateline><date when="1962-10-28">October 28, 1962</date></dateline>'
        "<salute>Dear Sir:</salute></opener><p n='1'>T.</p>"
        "<closer><salute>Greetings.</salute><signed>N. K.</signed></closer>"
    )
    assert div.xpath("//div[@class='opener']/p[@class='dateline']/time/@datetime") == ["1962-10-28"]
    assert text_of(div.xpath("//div[@class='opener']/p[@class='salute']")[0]) == "Dear Sir:"
    assert text_of(div.xpath("//div[@class='closer']/p[@class='signed']")[0]) == "N. K."


def test_unknown_elements_keep_their_text(render_web: Render) -> None:
    div = render_web('<p n="1">A <unclear>hard</unclear> word, <hi rend="italic">this</hi>.</p>')
    assert text_of(div.xpath("//p")[0]) == "1 A hard word, this."
    assert div.xpath("//p/em")[0].text == "this"


def test_hi_maps_renditions_to_elements_and_classes(render_web: Render) -> None:
    div = render_web('<p n="1"><hi rend="bold smallcaps">a</hi> <hi rend="glow">b</hi></p>')
    strong = div.xpath("//p/strong")[0]
    assert (strong.text, strong.get("class")) == ("a", "hi bold smallcaps")
    assert div.xpath("//p/span[@class='hi']")[0].text == "b"


# --- notes ------------------------------------------------------------------------------------

NOTES = (
    '<p n="1">First<note type="editorial">Note one.</note> and'
    '<note type="editorial">Note two on <placeName ref="place:cuba">Cuba</placeName>.</note>.</p>'
    '<p n="2">Then<note type="editorial">Note three.</note>.</p>'
)


def test_web_notes_are_numbered_in_order_and_linked_both_ways(render_web: Render) -> None:
    div = render_web(NOTES)
    calls = div.xpath("//a[@class='note-call']")
    assert [c.get("id") for c in calls] == ["nc1", "nc2", "nc3"]
    assert [c.get("href") for c in calls] == ["#n1", "#n2", "#n3"]
    assert all(c.get("role") == "doc-noteref" for c in calls)
    assert [text_of(c) for c in calls] == ["1", "2", "3"]
    section = div.xpath("//section[@class='notes']")[0]
    assert section.get("role") == "doc-endnotes"
    items = section.xpath("ol/li")
    assert [li.get("id") for li in items] == ["n1", "n2", "n3"]
    back = [li.xpath("a[@role='doc-backlink']")[0] for li in items]
    assert [a.get("href") for a in back] == ["#nc1", "#nc2", "#nc3"]
    assert text_of(items[1]).startswith("Note two on Cuba.")
    assert items[1].xpath(".//a[@class='placeName']/@href") == ["../places/cuba.html"]
    # the note's text is in the list, not in the paragraph
    assert "Note one" not in text_of(div.xpath("//p[@id='p1']")[0])


def test_web_without_notes_has_no_note_list(render_web: Render) -> None:
    assert not render_web('<p n="1">Plain.</p>').xpath("//section[@class='notes']")


def test_print_notes_are_footnotes_at_their_call(render_print: Render) -> None:
    div = render_print(NOTES)
    notes = div.xpath("//span[contains(@class, 'footnote')]")
    assert [n.get("data-n") for n in notes] == ["1", "2", "3"]
    assert text_of(notes[0]) == "Note one."
    assert notes[0].getparent().get("data-n") == "1"  # inside its paragraph
    assert not div.xpath("//section[@class='notes'] | //a[@class='note-call']")


def test_a_note_inside_a_link_follows_the_link_instead_of_nesting(render_web: Render) -> None:
    div = render_web(
        '<p n="1"><ref type="document" target="doc:khrushchev-kennedy-1962-10-27">Our message'
        '<note type="editorial">See <persName ref="person:kennedy">him</persName>.</note></ref>.</p>'
    )
    assert not div.xpath("//a//a")
    link = div.xpath("//a[contains(@class, 'document')]")[0]
    assert text_of(link) == "Our message"
    assert link.getnext().get("class") == "note-call"
    assert div.xpath("//li[@id='n1']//a[@class='persName']/@href") == ["../persons/kennedy.html"]


@pytest.mark.parametrize("output", ["web", "print"])
def test_a_name_inside_a_link_keeps_its_register_key(
    render_web: Render, render_print: Render, output: str
) -> None:
    """The book's index finds mentions by their key; a name inside a link is not a link itself."""
    render = render_web if output == "web" else render_print
    div = render(
        '<p n="1"><ref type="document" target="doc:khrushchev-kennedy-1962-10-27">Our message to '
        'President <persName ref="person:kennedy">Kennedy</persName></ref> and '
        '<persName ref="person:nobody">a stranger</persName>.</p>'
    )
    [inner] = div.xpath("//a//span[contains(@class, 'persName')]")
    assert inner.get("data-ref") == "person:kennedy"
    # An unresolved pointer is not promoted to a key.
    assert div.xpath("//span[contains(@class, 'unresolved')]/@data-ref") == []


# --- emendations --------------------------------------------------------------------------------

CHOICE = (
    '<p n="3">the <placeName ref="place:usa"><choice>\n  <sic>U.S.A</sic>\n  <corr>U.S.A.</corr>'
    "\n</choice></placeName> and</p>"
    '<p n="5"><choice><corr>We</corr><sic>we</sic></choice> ask.</p>'
)


def test_web_choice_shows_both_readings(render_web: Render) -> None:
    div = render_web(CHOICE)
    choices = div.xpath("//span[@class='choice']")
    assert len(choices) == 2
    corr, sic = choices[0].xpath("span")
    assert (corr.get("class"), corr.text, corr.get("title")) == (
        "corr",
        "U.S.A.",
        "source reads: U.S.A",
    )
    assert (sic.get("class"), sic.text) == ("sic", "U.S.A")
    # the editor's reading comes first whatever the order in the TEI
    assert [s.get("class") for s in choices[1].xpath("span")] == ["corr", "sic"]
    assert choices[0].text is None  # whitespace between sic and corr is not text


def test_print_shows_the_corrected_reading_and_an_apparatus(render_print: Render) -> None:
    div = render_print(CHOICE)
    assert not div.xpath("//span[@class='choice' or @class='sic']")
    assert "the U.S.A. and" in text_of(div.xpath("//p[@data-n='3']")[0])
    entries = div.xpath("//section[@class='apparatus']/p[@class='app-entry']")
    assert [text_of(e) for e in entries] == ["3 U.S.A.] U.S.A source", "5 We] we source"]
    assert entries[0].xpath("span[@class='lem']")[0].text == "U.S.A."
    assert entries[0].xpath("span[@class='rdg']")[0].text == "U.S.A"


def test_no_apparatus_without_emendations(render_print: Render) -> None:
    assert not render_print('<p n="1">Clean.</p>').xpath("//section[@class='apparatus']")


# --- pointers -----------------------------------------------------------------------------------


def test_names_link_to_their_register_pages(render_web: Render) -> None:
    div = render_web(
        '<p n="1"><persName ref="person:castro">Fidel Castro</persName> in '
        '<placeName ref="place:cuba">Cuba</placeName>, the '
        '<orgName ref="org:pentagon">Pentagon</orgName>.</p>'
    )
    assert div.xpath("//a[@class='persName']/@href") == ["../persons/castro.html"]
    assert div.xpath("//a[@class='persName']/@title") == ["Fidel Castro"]
    assert div.xpath("//a[@class='placeName']/@href") == ["../places/cuba.html"]
    assert div.xpath("//a[@class='orgName']/@href") == ["../organisations/pentagon.html"]


def test_an_entry_without_a_page_is_resolved_text(render_web: Render) -> None:
    div = render_web('<p n="1"><orgName ref="org:no-page">Them</orgName></p>')
    span = div.xpath("//span[contains(@class, 'orgName')]")[0]
    assert span.get("class") == "orgName"
    assert not div.xpath("//a[@href and not(@class='para-n')]")


def test_web_document_references_link_to_the_document(render_web: Render) -> None:
    div = render_web(
        '<p n="1"><ref type="document" target="doc:khrushchev-kennedy-1962-10-27">'
        "Our message to President "
        '<persName ref="person:kennedy">Kennedy</persName></ref>.</p>'
    )
    link = div.xpath("//a[@class='ref document']")[0]
    assert link.get("href") == "khrushchev-kennedy-1962-10-27.html"
    assert link.get("title") == "Khrushchev to Kennedy, 27 October 1962"
    assert not div.xpath("//a//a")  # the name inside the link is text, not a second link
    assert link.xpath("span[@class='persName']")[0].text == "Kennedy"


def test_print_document_references_give_number_and_page(render_print: Render) -> None:
    div = render_print(
        '<p n="1"><ref type="document" target="doc:khrushchev-kennedy-1962-10-27">this</ref> and '
        '<ref type="document" target="doc:kennedy-khrushchev-1962-10-27">that</ref>.</p>'
    )
    xrefs = [text_of(x) for x in div.xpath("//span[@class='xref']")]
    assert xrefs == ["[no. 9, p. 23]", "[no. 10]"]  # the page only when pagination knows it
    assert text_of(div.xpath("//p")[0]) == "1 this [no. 9, p. 23] and that [no. 10]."


def test_within_file_pointer_links_to_the_rendered_anchor(render_web: Render) -> None:
    div = render_web(
        '<p n="1" xml:id="start">A.</p><p n="2">See <ref target="#start">above</ref>.</p>'
    )
    assert div.xpath("//a[@class='ref']/@href") == ["#p1"]


@pytest.mark.parametrize(
    "pointer",
    ["doc:no-such-document", "person:nobody", "#nowhere", "elsewhere:x", "", "person:a person:b"],
)
def test_unresolved_pointers_render_as_text(render_web: Render, pointer: str) -> None:
    div = render_web(f'<p n="1">A <ref type="document" target="{pointer}">thing</ref>.</p>')
    span = div.xpath("//span[contains(@class, 'unresolved')]")[0]
    assert span.text == "thing"
    assert div.xpath("//a/@href") == ["#p1"]  # only the paragraph's own number links


def test_unresolved_name_keeps_its_notes(render_web: Render) -> None:
    div = render_web(
        '<p n="1"><persName ref="person:nobody">X<note type="editorial">N.</note></persName></p>'
    )
    assert div.xpath("//span[@class='persName unresolved']/a[@class='note-call']/@href") == ["#n1"]


# --- hostile input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example.org/x",
        "/\\evil.example.org",
        "https:/\\evil.example.org",
    ],
)
def test_only_http_and_resolved_links_become_hrefs(render_web: Render, target: str) -> None:
    div = render_web(f'<p n="1"><ref target="{target}">click</ref></p>')
    assert div.xpath("//a/@href") == ["#p1"]
    assert div.xpath("//span[contains(@class, 'unresolved')]")[0].text == "click"


def test_unsafe_hrefs_in_the_link_table_are_not_followed_either(render_web: Render) -> None:
    div = render_web(
        '<p n="1"><ref type="document" target="doc:hostile-document">a</ref> '
        '<persName ref="person:hostile">b</persName></p>'
    )
    assert not [h for h in div.xpath("//a/@href") if "script" in h.lower()]
    assert div.xpath("//a/@href") == ["#p1"]


def test_external_https_links_are_kept(render_web: Render) -> None:
    div = render_web('<p n="1"><ref target="https://example.org/a?b=1#c">x</ref></p>')
    assert div.xpath("//a[@class='ref']/@href") == ["https://example.org/a?b=1#c"]


def test_markup_in_text_stays_text(web: Transformer, links: etree._ElementTree) -> None:
    out = web.render(
        tei(
            '<p n="1">&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;'
            '<note type="editorial">&lt;script&gt;alert(2)&lt;/script&gt;</note></p>'
        ),
        links,
    )
    assert "<script" not in out and "<img" not in out
    div = fragment(out)
    assert not div.xpath("//script | //img | //@onerror")
    assert "<script>alert(1)</script>" in text_of(div.xpath("//p")[0])


def test_xinclude_and_file_targets_in_tei_read_nothing(
    web: Transformer, links: etree._ElementTree, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-VALUE-8231")
    out = web.render(
        tei(
            f'<p n="1"><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret.as_uri()}"'
            ' parse="text"/><ref target="' + secret.as_uri() + '">file</ref></p>'
        ),
        links,
    )
    assert "SECRET-VALUE" not in out
    assert "file:" not in "".join(fragment(out).xpath("//a/@href"))


# --- the summarised statement and the exemplar --------------------------------------------------


def test_summarised_document_shows_the_statement_with_its_source_link(
    web: Transformer, book: Transformer, links: etree._ElementTree
) -> None:
    document = parse_safely((FIXTURES / "summarised.xml").read_bytes())
    for transformer in (web, book):
        div = fragment(transformer.render(document, links))
        assert div.get("data-status") == "summarised"
        statement = div.xpath("//div[@class='div untranscribed']/p[@class='statement']")[0]
        assert "not transcribed in this edition" in text_of(statement)
        assert statement.xpath("a[@class='ref source']/@href") == [
            "https://history.state.gov/historicaldocuments/frus1961-63v06/d63"
        ]
        assert statement.get("id") is None  # unnumbered: not a citable paragraph


def test_the_exemplar_renders_in_both_outputs(
    web: Transformer, book: Transformer, links: etree._ElementTree
) -> None:
    document = parse_safely(EXEMPLAR.read_bytes())
    page = fragment(web.render(document, links))
    assert page.get("data-document") == "khrushchev-castro-1962-10-28"
    assert page.xpath("//p[contains(@class,'para')]/@id") == [f"p{n}" for n in range(1, 7)]
    assert len(page.xpath("//a[@class='note-call']")) == 5
    assert len(page.xpath("//section[@class='notes']/ol/li")) == 5
    assert len(page.xpath("//span[@class='choice']")) == 3
    assert not page.xpath("//a//a")
    assert page.xpath("//a[@class='ref document']/@href")[0] == "khrushchev-kennedy-1962-10-27.html"
    assert "Dear Comrade Fidel Castro:" in text_of(page.xpath("//p[@class='salute']")[0])

    printed = fragment(book.render(document, links))
    assert len(printed.xpath("//span[contains(@class,'footnote')]")) == 5
    assert [text_of(e) for e in printed.xpath("//p[@class='app-entry']")] == [
        "3 U.S.A.] U.S.A source",
        "5 We] we source",
        "6 Cuba] Cuba. source",
    ]
    assert "[no. 9, p. 23]" in text_of(printed.xpath("//p[@data-n='1']")[0])


def test_output_is_deterministic(web: Transformer, links: etree._ElementTree) -> None:
    document = parse_safely(EXEMPLAR.read_bytes())
    first = web.render(document, links)
    assert web.render(document, links) == first
    assert Transformer(XSLT, "web").render(document, links) == first


def test_a_new_link_table_is_used(web: Transformer, links: etree._ElementTree) -> None:
    document = tei('<p n="1"><persName ref="person:castro">C</persName></p>')
    assert "../persons/castro.html" in web.render(document, links)
    other = parse_safely(b'<links><entry key="person:castro" href="castro.html"/></links>')
    assert 'href="castro.html"' in web.render(document, other)
    assert "../persons/castro.html" in web.render(document, links)


def test_unknown_output_is_refused() -> None:
    with pytest.raises(ValueError, match="output"):
        Transformer(XSLT, "epub")  # type: ignore[arg-type]


# --- security of the Saxon set-up -----------------------------------------------------------------

STYLESHEET = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="html"/>
  {body}
</xsl:stylesheet>"""


def stylesheet_dir(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "xslt"
    folder.mkdir()
    (folder / "web.xsl").write_text(STYLESHEET.format(body=body))
    return folder


@pytest.mark.parametrize(
    "expression",
    [
        "unparsed-text('{uri}')",
        "string(doc('{uri}'))",
        "unparsed-text-available('{uri}')",
        "string(json-doc('{uri}'))",
        "string-join(unparsed-text-lines('{uri}'))",
    ],
)
def test_a_compiled_stylesheet_cannot_read_local_files(
    tmp_path: Path, links: etree._ElementTree, expression: str
) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text("<s>SECRET-VALUE-4711</s>")
    call = expression.format(uri=secret.as_uri())
    folder = stylesheet_dir(
        tmp_path, f'<xsl:template match="/"><p><xsl:value-of select="{call}"/></p></xsl:template>'
    )
    transformer = Transformer(folder, "web")
    try:
        out = transformer.render(tei("<p>x</p>"), links)
    except TransformError as error:
        assert "prohibited" in str(error)
        return
    assert "SECRET-VALUE" not in out
    assert out == "<p>false</p>"  # only unparsed-text-available() answers, and it says no


def test_files_cannot_be_read_while_compiling_either(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-VALUE-4711")
    folder = stylesheet_dir(
        tmp_path,
        f'<xsl:variable name="s" static="yes" select="unparsed-text(\'{secret.as_uri()}\')"/>'
        '<xsl:template match="/"><p>{$s}</p></xsl:template>',
    )
    with pytest.raises(TransformError, match="prohibited"):
        Transformer(folder, "web")


def test_external_entities_are_never_expanded(
    web: Transformer, links: etree._ElementTree, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-VALUE-4711")
    hostile = (
        f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        f'<TEI xmlns="{TEI_NS}" xml:id="h"><text><body><div><p n="1">a &x; b</p></div></body>'
        "</text></TEI>"
    ).encode()
    document = parse_safely(hostile)
    assert b"SECRET" not in etree.tostring(document)  # lxml left it alone
    with pytest.raises(TransformError, match="entit"):
        web.render(document, links)


def test_declared_entities_are_refused_even_when_unused(
    web: Transformer, links: etree._ElementTree
) -> None:
    document = parse_safely(
        b'<!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="h"><text><body/></text></TEI>'
    )
    with pytest.raises(TransformError, match="declares entities"):
        web.render(document, links)


def test_a_plain_doctype_is_left_behind(web: Transformer, links: etree._ElementTree) -> None:
    document = parse_safely(
        b"<!DOCTYPE TEI><TEI xmlns='http://www.tei-c.org/ns/1.0' xml:id='d'><text><body>"
        b"<div><p n='1'>ok</p></div></body></text></TEI>"
    )
    out = web.render(document, links)
    assert "DOCTYPE" not in out.upper() and "ok" in out


# --- assembling xsl:import without file access ----------------------------------------------------


def write_modules(folder: Path, modules: dict[str, str]) -> None:
    folder.mkdir(exist_ok=True)
    for name, body in modules.items():
        (folder / name).write_text(
            '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
            f'xmlns:t="urn:t" xmlns:f="urn:f" exclude-result-prefixes="#all">{body}</xsl:stylesheet>'
        )


def test_import_precedence_is_kept(tmp_path: Path, links: etree._ElementTree) -> None:
    folder = tmp_path / "xslt"
    write_modules(
        folder,
        {
            "base.xsl": """
              <xsl:output method="html" indent="no"/>
              <xsl:template match="/"><out><xsl:apply-templates select="*/*"/>
                <xsl:call-template name="t:who"/> <xsl:value-of select="f:v()"/></out></xsl:template>
              <xsl:template match="*" priority="4"><base-rule/></xsl:template>
              <xsl:template name="t:who"><base/></xsl:template>
              <xsl:function name="f:v"><xsl:sequence select="'base'"/></xsl:function>""",
            "web.xsl": """
              <xsl:import href="base.xsl"/>
              <xsl:template match="*:teiHeader" priority="-4"><web-rule><xsl:next-match/></web-rule>
                </xsl:template>
              <xsl:template name="t:who"><web/></xsl:template>
              <xsl:function name="f:v"><xsl:sequence select="'web'"/></xsl:function>""",
        },
    )
    out = Transformer(folder, "web").render(tei("<p>x</p>"), links)
    # a low-priority rule of the importing module beats a high-priority imported rule, and
    # next-match falls through to the imported one; named templates and functions are replaced
    assert out == (
        "<out><web-rule><base-rule></base-rule></web-rule><base-rule></base-rule><web></web>web</out>"
    )


def test_assembled_stylesheet_reads_nothing_and_names_its_sources() -> None:
    text = assemble(XSLT / "print.xsl")
    assert "xsl:import" not in text
    assert "<!-- print.xsl:" in text and "<!-- notes.xsl:" in text
    root = etree.fromstring(text.encode())
    # print's b:note-call replaced the core's: exactly one left
    names: Any = root.xpath(
        "//xsl:template[@name='b:note-call']",
        namespaces={"xsl": "http://www.w3.org/1999/XSL/Transform"},
    )
    assert len(names) == 1


@pytest.mark.parametrize(
    ("modules", "message"),
    [
        ({"web.xsl": '<xsl:import href="../web.xsl"/>'}, "beside it"),
        ({"web.xsl": '<xsl:import href="web.xsl"/>'}, "imports itself"),
        ({"web.xsl": '<xsl:include href="a.xsl"/>'}, "xsl:include"),
        ({"web.xsl": '<xsl:template match="a"><xsl:apply-imports/></xsl:template>'}, "next-match"),
        ({"web.xsl": '<xsl:template match="a | b"/>'}, "priority"),
        ({"web.xsl": '<xsl:template match="a" priority="7"/>'}, "between"),
        ({"web.xsl": '<xsl:template name="n" match="a"/>'}, "split"),
    ],
)
def test_what_the_assembler_cannot_keep_is_refused(
    tmp_path: Path, modules: dict[str, str], message: str
) -> None:
    write_modules(tmp_path / "xslt", modules)
    with pytest.raises(TransformError, match=message):
        assemble(tmp_path / "xslt" / "web.xsl")


@pytest.mark.parametrize(
    ("pattern", "priority"),
    [
        ("tei:p", 0.0),
        ("@xml:id", 0.0),
        ("child::tei:note", 0.0),
        ("element(tei:p)", 0.0),
        ("tei:*", -0.25),
        ("*:p", -0.25),
        ("*", -0.5),
        ("/", -0.5),
        ("text()", -0.5),
        ("node()", -0.5),
        ("tei:div[@type='letter']", 0.5),
        ("tei:TEI/tei:text", 0.5),
        ("tei:text//tei:note", 0.5),
        ("tei:p[a|b]", 0.5),
        ("tei:p | tei:ab", None),
        ("tei:p union tei:ab", None),
        (".", None),
        ("key('k', 'v')", None),
    ],
)
def test_default_priorities(pattern: str, priority: float | None) -> None:
    assert default_priority(pattern) == priority


def test_the_stylesheets_of_the_project_assemble_without_warnings_in_both_outputs() -> None:
    for output in ("web", "print"):
        text = assemble(XSLT / f"{output}.xsl")
        assert re.search(r'priority="\d', text)  # rules were placed in bands


def test_the_link_table_is_read_once_per_build_not_per_document(
    monkeypatch: pytest.MonkeyPatch, links: etree._ElementTree
) -> None:
    """Serialising the table for every document made a build grow with the square of the corpus."""
    import edition.transform as transform

    serialised: list[str] = []
    real = transform._serialise

    def counting(tree: etree._ElementTree | etree._Element) -> str:
        text = real(tree)
        serialised.append(
            etree.QName(tree.getroot() if hasattr(tree, "getroot") else tree).localname
        )
        return text

    monkeypatch.setattr(transform, "_serialise", counting)
    transformer = Transformer(XSLT, "web")
    for _ in range(5):
        transformer.render(
            tei('<p n="1"><persName ref="person:castro">Castro</persName></p>'), links
        )
    assert serialised.count("links") == 1
    # A new table (e.g. the print output's, with page numbers) is taken up.
    changed = etree.fromstring(etree.tostring(links))
    for entry in changed.iter("entry"):
        if entry.get("key") == "person:castro":
            entry.set("href", "../persons/somebody-else.html")
    html = transformer.render(
        tei('<p n="1"><persName ref="person:castro">C</persName></p>'), changed
    )
    assert "somebody-else.html" in html
