<?xml version="1.0" encoding="UTF-8"?>
<!--
  text.xsl: the structure and phrases of a letter's text. div, opener/closer, dateline, salute,
  signed, paragraphs, hi, title, foreign, quotations, dates, line breaks.

  Each rule only says which behaviour an element is; elements not named here fall back to their
  text (the unnamed mode is text-only-copy), so nothing of the text is ever lost silently.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:ed="https://cmc-edition.example.org/ns/xslt"
  xmlns:b="https://cmc-edition.example.org/ns/behaviour"
  exclude-result-prefixes="#all" expand-text="yes">

  <!-- Indentation between block elements is not text. -->
  <xsl:strip-space elements="tei:text tei:front tei:body tei:back tei:div tei:opener tei:closer
                             tei:postscript tei:choice tei:list"/>

  <!-- div type="letter" | "untranscribed": the class tells the page which one it shows. -->
  <xsl:template match="tei:div">
    <xsl:call-template name="b:block">
      <xsl:with-param name="class" select="string-join(('div', @type), ' ')"/>
      <xsl:with-param name="id" select="@xml:id ! b:anchor(., current())"/>
      <xsl:with-param name="content" as="item()*"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer | tei:postscript" priority="0">
    <xsl:call-template name="b:block">
      <xsl:with-param name="class" select="local-name()"/>
      <xsl:with-param name="content" as="item()*"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- Numbered paragraphs (p n="…") are the citable units of a letter. -->
  <xsl:template match="tei:p">
    <xsl:call-template name="b:paragraph">
      <xsl:with-param name="n" select="@n[normalize-space()]/normalize-space()"/>
      <xsl:with-param name="class"
        select="if (parent::tei:div[@type = 'untranscribed']) then 'statement' else ()"/>
      <xsl:with-param name="id" select="@xml:id ! b:anchor(., current())"/>
      <xsl:with-param name="content" as="item()*"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:dateline | tei:salute | tei:signed | tei:closer/tei:seg" priority="0">
    <xsl:call-template name="b:paragraph">
      <xsl:with-param name="class" select="local-name()"/>
      <xsl:with-param name="content" as="item()*"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A date keeps its machine-readable value. -->
  <xsl:template match="tei:date">
    <xsl:call-template name="b:inline">
      <xsl:with-param name="element" select="if (@when castable as xs:date) then 'time' else 'span'"/>
      <xsl:with-param name="class" select="'date'"/>
      <xsl:with-param name="attributes" as="attribute()*">
        <xsl:if test="@when castable as xs:date"><xsl:attribute name="datetime" select="@when"/></xsl:if>
      </xsl:with-param>
      <xsl:with-param name="content" as="item()*"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- hi/@rend: a closed mapping; unknown renditions keep their text, unstyled. -->
  <xsl:variable name="ed:rend" as="map(xs:string, xs:string)" select="map {
    'italic': 'em', 'bold': 'strong', 'superscript': 'sup', 'sup': 'sup',
    'subscript': 'sub', 'sub': 'sub', 'underline': 'u', 'smallcaps': 'span' }"/>

  <xsl:template match="tei:hi">
    <!-- the first known rendition gives the element, all known ones are classes -->
    <xsl:variable name="rends" select="tokenize(@rend)[map:contains($ed:rend, .)]"
      xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
    <xsl:call-template name="b:inline">
      <xsl:with-param name="element" select="($rends[1] ! $ed:rend(.), 'span')[1]"/>
      <xsl:with-param name="class" select="string-join(('hi', $rends), ' ')"/>
      <xsl:with-param name="content" as="item()*"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:title">
    <xsl:call-template name="b:inline">
      <xsl:with-param name="element" select="'cite'"/>
      <xsl:with-param name="content" as="item()*"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:foreign">
    <xsl:call-template name="b:inline">
      <xsl:with-param name="element" select="'i'"/>
      <xsl:with-param name="class" select="'foreign'"/>
      <xsl:with-param name="attributes" as="attribute()*">
        <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
      </xsl:with-param>
      <xsl:with-param name="content" as="item()*"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:q | tei:quote[not(tei:p)]" priority="0">
    <xsl:call-template name="b:inline">
      <xsl:with-param name="element" select="'q'"/>
      <xsl:with-param name="content" as="item()*"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:lb">
    <xsl:call-template name="b:break"/>
  </xsl:template>

  <!-- Page breaks of the source are not shown. -->
  <xsl:template match="tei:pb"/>

</xsl:stylesheet>
