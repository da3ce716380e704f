<?xml version="1.0" encoding="UTF-8"?>
<!--
  behaviours.xsl: the small, fixed vocabulary of rendering behaviours (after TEI Publisher).

  The concern modules (text, notes, apparatus, links) decide WHAT a TEI element is and call one of
  these named templates; the behaviours decide HOW it looks. Each output format (web.xsl, print.xsl)
  overrides a behaviour once instead of re-matching TEI elements, so a new TEI element needs one
  template rule, and a new output needs only the behaviours that differ.

  Vocabulary:
    b:block             a block container            (div)
    b:paragraph         a paragraph, numbered or not (p; calls b:paragraph-number)
    b:paragraph-number  the visible number of a paragraph          [hook: web self-link]
    b:inline            an inline phrase              (span, or em/cite/q/time…)
    b:break             a line break                  (br)
    b:link              a hyperlink; refuses unsafe hrefs
    b:document-link     a link to another document of the edition  [hook: print adds "no. N, p. P"]
    b:note-call         an editorial note at its point             [hooks: web call, print footnote]
    b:note-list         the notes after the text                   [hook: web endnotes]
    b:alternate         two readings of one place (corr/sic …)     [hook: web shows both]
    b:apparatus         the emendations after the text             [hook: print apparatus]
    b:anchor()          the HTML id of a local anchor              [hook: print prefixes the doc id]

  The defaults here are format-neutral: with edition.xsl alone the output is a clean reading text
  (corrected readings, no notes). Everything the behaviours write is HTML in no namespace; text is
  only ever copied as text (the serializer escapes it), never as markup.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:ed="https://cmc-edition.example.org/ns/xslt"
  xmlns:b="https://cmc-edition.example.org/ns/behaviour"
  exclude-result-prefixes="#all" expand-text="yes">

  <!-- The id an anchor gets in the output. One function so print can make ids unique in the book,
       where all documents share one HTML file. -->
  <xsl:function name="b:anchor" as="xs:string">
    <xsl:param name="local" as="xs:string"/>
    <xsl:param name="context" as="node()"/>
    <xsl:sequence select="$local"/>
  </xsl:function>

  <xsl:template name="b:block">
    <xsl:param name="element" as="xs:string" select="'div'"/>
    <xsl:param name="class" as="xs:string?"/>
    <xsl:param name="id" as="xs:string?"/>
    <xsl:param name="attributes" as="attribute()*"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:element name="{$element}">
      <xsl:call-template name="ed:common-attributes">
        <xsl:with-param name="class" select="$class"/>
        <xsl:with-param name="id" select="$id"/>
        <xsl:with-param name="attributes" select="$attributes"/>
      </xsl:call-template>
      <xsl:sequence select="$content"/>
    </xsl:element>
  </xsl:template>

  <!-- A numbered paragraph is an anchor (p{n}) so it can be cited and linked; the number itself is
       a hook because web and print show it differently. -->
  <xsl:template name="b:paragraph">
    <xsl:param name="n" as="xs:string?"/>
    <xsl:param name="class" as="xs:string?"/>
    <xsl:param name="id" as="xs:string?"/>
    <xsl:param name="attributes" as="attribute()*"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:param name="context" as="node()" select="."/>
    <p>
      <xsl:choose>
        <xsl:when test="$n">
          <xsl:call-template name="ed:common-attributes">
            <xsl:with-param name="class" select="string-join(('para', $class), ' ')"/>
            <xsl:with-param name="id" select="b:anchor('p' || $n, $context)"/>
            <xsl:with-param name="attributes" select="$attributes"/>
          </xsl:call-template>
          <xsl:attribute name="data-n" select="$n"/>
          <xsl:call-template name="b:paragraph-number">
            <xsl:with-param name="n" select="$n"/>
            <xsl:with-param name="context" select="$context"/>
          </xsl:call-template>
          <xsl:text> </xsl:text>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="ed:common-attributes">
            <xsl:with-param name="class" select="$class"/>
            <xsl:with-param name="id" select="$id"/>
            <xsl:with-param name="attributes" select="$attributes"/>
          </xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:sequence select="$content"/>
    </p>
  </xsl:template>

  <!-- Neutral: a plain number that CSS can set in the margin. -->
  <xsl:template name="b:paragraph-number">
    <xsl:param name="n" as="xs:string"/>
    <xsl:param name="context" as="node()"/>
    <span class="para-n">{$n}</span>
  </xsl:template>

  <xsl:template name="b:inline">
    <xsl:param name="element" as="xs:string" select="'span'"/>
    <xsl:param name="class" as="xs:string?"/>
    <xsl:param name="id" as="xs:string?"/>
    <xsl:param name="attributes" as="attribute()*"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:element name="{$element}">
      <xsl:call-template name="ed:common-attributes">
        <xsl:with-param name="class" select="$class"/>
        <xsl:with-param name="id" select="$id"/>
        <xsl:with-param name="attributes" select="$attributes"/>
      </xsl:call-template>
      <xsl:sequence select="$content"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="b:break">
    <br/>
  </xsl:template>

  <!-- The last line of defence for hrefs: whatever the caller resolved, only a safe href
       (ed:safe-href, links.xsl) becomes an <a>; anything else is plain text. -->
  <xsl:template name="b:link">
    <xsl:param name="href" as="xs:string?"/>
    <xsl:param name="class" as="xs:string?"/>
    <xsl:param name="title" as="xs:string?"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:variable name="safe" select="ed:safe-href($href)"/>
    <xsl:choose>
      <xsl:when test="exists($safe)">
        <a href="{$safe}">
          <xsl:call-template name="ed:common-attributes">
            <xsl:with-param name="class" select="$class"/>
            <xsl:with-param name="attributes" as="attribute()*">
              <xsl:if test="$title"><xsl:attribute name="title" select="$title"/></xsl:if>
            </xsl:with-param>
          </xsl:call-template>
          <xsl:sequence select="$content"/>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span class="{string-join(($class, 'unresolved'), ' ')}">
          <xsl:sequence select="$content"/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- $document is the link table's <document> row (number, title, page). -->
  <xsl:template name="b:document-link">
    <xsl:param name="document" as="element(document)"/>
    <xsl:param name="class" as="xs:string?"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:call-template name="b:link">
      <xsl:with-param name="href" select="$document/@href"/>
      <xsl:with-param name="class" select="$class"/>
      <xsl:with-param name="title" select="$document/@title"/>
      <xsl:with-param name="content" select="$content"/>
    </xsl:call-template>
  </xsl:template>

  <!-- Neutral: the reading text has no notes. -->
  <xsl:template name="b:note-call">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="type" as="xs:string?"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:param name="context" as="node()"/>
  </xsl:template>

  <!-- $notes: one map per note, in order: map { 'n': 1, 'type': 'editorial', 'content': … } -->
  <xsl:template name="b:note-list">
    <xsl:param name="notes" as="map(*)*"/>
    <xsl:param name="context" as="node()"/>
  </xsl:template>

  <!-- Neutral: the preferred (corrected) reading only. -->
  <xsl:template name="b:alternate">
    <xsl:param name="preferred" as="item()*"/>
    <xsl:param name="preferred-class" as="xs:string"/>
    <xsl:param name="other" as="item()*"/>
    <xsl:param name="other-class" as="xs:string"/>
    <xsl:param name="other-text" as="xs:string"/>
    <xsl:sequence select="$preferred"/>
  </xsl:template>

  <!-- $entries: one map per emendation, in order:
       map { 'key': '3', 'lemma': 'U.S.A.', 'reading': 'U.S.A' } -->
  <xsl:template name="b:apparatus">
    <xsl:param name="entries" as="map(*)*"/>
    <xsl:param name="context" as="node()"/>
  </xsl:template>

  <!-- id / class / extra attributes, each only when it has a value (no empty class="" noise). -->
  <xsl:template name="ed:common-attributes">
    <xsl:param name="class" as="xs:string?"/>
    <xsl:param name="id" as="xs:string?"/>
    <xsl:param name="attributes" as="attribute()*"/>
    <xsl:if test="$id"><xsl:attribute name="id" select="$id"/></xsl:if>
    <xsl:if test="normalize-space($class)">
      <xsl:attribute name="class" select="normalize-space($class)"/>
    </xsl:if>
    <xsl:sequence select="$attributes"/>
  </xsl:template>

</xsl:stylesheet>
