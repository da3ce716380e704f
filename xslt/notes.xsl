<?xml version="1.0" encoding="UTF-8"?>
<!--
  notes.xsl: editorial notes. Numbering, the call at the note's place, the list after the text.

  Notes are numbered 1..N in document order over the text (notes in the header are not part of the
  text). The number is computed, never stored, so it cannot drift from the order of the notes.
  How a call and the list look is up to the output (b:note-call, b:note-list).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:ed="https://cmc-edition.example.org/ns/xslt"
  xmlns:b="https://cmc-edition.example.org/ns/behaviour"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:function name="ed:note-number" as="xs:integer">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="count($note/preceding::tei:note[ancestor::tei:text]) + 1"/>
  </xsl:function>

  <!-- The rendered content of a note: its own text, links allowed again (the call may sit inside a
       link, the note's text does not). -->
  <xsl:function name="ed:note-content" as="item()*">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:apply-templates select="$note/node()">
      <xsl:with-param name="ed:in-link" select="false()" tunnel="yes"/>
    </xsl:apply-templates>
  </xsl:function>

  <!-- Inside a link the note is held back; links.xsl renders it right after the link. -->
  <xsl:template match="tei:text//tei:note">
    <xsl:param name="ed:in-link" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:if test="not($ed:in-link)">
      <xsl:call-template name="b:note-call">
        <xsl:with-param name="n" select="ed:note-number(.)"/>
        <xsl:with-param name="type" select="@type"/>
        <xsl:with-param name="content" select="ed:note-content(.)"/>
        <xsl:with-param name="context" select="."/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- Called once per text by edition.xsl. -->
  <xsl:template name="ed:notes">
    <xsl:call-template name="b:note-list">
      <xsl:with-param name="notes" as="map(*)*">
        <xsl:for-each select=".//tei:note">
          <xsl:sequence select="map { 'n': ed:note-number(.), 'type': string(@type),
                                      'content': ed:note-content(.) }"/>
        </xsl:for-each>
      </xsl:with-param>
      <xsl:with-param name="context" select="."/>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
