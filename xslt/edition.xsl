<?xml version="1.0" encoding="UTF-8"?>
<!--
  edition.xsl: the core shared by every output. Imports the modules (one concern each), declares
  the output and the modes, and frames one document's text.

  Output of one transform: one HTML fragment, <div class="tei-text">, for the document's <text>
  (the header is rendered by the site and book templates from the Corpus, not here).
  web.xsl and print.xsl import this file and override behaviours only.

  Compiled by edition/transform.py, which assembles the imports itself so that Saxon never reads a
  file: import precedence is kept, but (1) template rules must have a priority the assembler can
  work out (write priority="…" on unions and unusual patterns), (2) xsl:apply-imports is not
  available (use xsl:next-match), (3) no xsl:include.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:ed="https://cmc-edition.example.org/ns/xslt"
  xmlns:b="https://cmc-edition.example.org/ns/behaviour"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:import href="behaviours.xsl"/>
  <xsl:import href="links.xsl"/>
  <xsl:import href="text.xsl"/>
  <xsl:import href="notes.xsl"/>
  <xsl:import href="apparatus.xsl"/>

  <!-- An HTML fragment: no doctype, no meta; text is escaped by the serializer. -->
  <xsl:output method="html" html-version="5.0" include-content-type="no" indent="no"
    encoding="UTF-8"/>

  <!-- The text mode: an element without a rule keeps its text. Two rules for one node is an
       error here, not a silent choice. -->
  <xsl:mode on-no-match="text-only-copy" on-multiple-match="fail"/>

  <!-- Only the text is rendered; a document without one gives an empty fragment. -->
  <xsl:template match="/">
    <xsl:apply-templates select="tei:TEI/tei:text"/>
  </xsl:template>

  <xsl:template match="tei:TEI/tei:text">
    <xsl:variable name="tei" select="ancestor::tei:TEI"/>
    <div class="tei-text">
      <xsl:for-each select="$tei/@xml:id">
        <xsl:attribute name="data-document" select="."/>
      </xsl:for-each>
      <xsl:for-each select="(ancestor-or-self::*/@xml:lang)[last()]">
        <xsl:attribute name="lang" select="."/>
      </xsl:for-each>
      <xsl:for-each select="$tei/tei:teiHeader/tei:revisionDesc/@status">
        <xsl:attribute name="data-status" select="."/>
      </xsl:for-each>
      <xsl:apply-templates/>
      <xsl:call-template name="ed:notes"/>
      <xsl:call-template name="ed:apparatus"/>
    </div>
  </xsl:template>

</xsl:stylesheet>
