<?xml version="1.0" encoding="UTF-8"?>
<!--
  web.xsl: the HTML pages of the site. Overrides only the behaviours that differ from the core:
  paragraph numbers are self-links (citable URLs like …html#p3), notes are calls with endnotes
  linked both ways (DPUB-ARIA roles), and an emendation shows both readings, so that CSS or a
  switch on the page can show the corrected or the diplomatic text.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:ed="https://cmc-edition.example.org/ns/xslt"
  xmlns:b="https://cmc-edition.example.org/ns/behaviour"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:import href="edition.xsl"/>

  <xsl:template name="b:paragraph-number">
    <xsl:param name="n" as="xs:string"/>
    <xsl:param name="context" as="node()"/>
    <a class="para-n" href="#{b:anchor('p' || $n, $context)}"
       aria-label="Paragraph {$n}">{$n}</a>
  </xsl:template>

  <xsl:template name="b:note-call">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="type" as="xs:string?"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:param name="context" as="node()"/>
    <a class="note-call" id="nc{$n}" href="#n{$n}" role="doc-noteref"><sup>{$n}</sup></a>
  </xsl:template>

  <xsl:template name="b:note-list">
    <xsl:param name="notes" as="map(*)*"/>
    <xsl:param name="context" as="node()"/>
    <xsl:if test="exists($notes)">
      <section class="notes" role="doc-endnotes" aria-label="Notes">
        <ol>
          <xsl:for-each select="$notes">
            <li id="n{?n}" class="{string-join(('note', ?type[. ne '']), ' ')}">
              <xsl:sequence select="?content"/>
              <xsl:text> </xsl:text>
              <a href="#nc{?n}" role="doc-backlink" aria-label="Back to note call {?n}">↩</a>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- Both readings, the editor's first; the title tells what the source has. -->
  <xsl:template name="b:alternate">
    <xsl:param name="preferred" as="item()*"/>
    <xsl:param name="preferred-class" as="xs:string"/>
    <xsl:param name="other" as="item()*"/>
    <xsl:param name="other-class" as="xs:string"/>
    <xsl:param name="other-text" as="xs:string"/>
    <span class="choice">
      <span class="{$preferred-class}" title="source reads: {$other-text}">
        <xsl:sequence select="$preferred"/>
      </span>
      <span class="{$other-class}">
        <xsl:sequence select="$other"/>
      </span>
    </span>
  </xsl:template>

</xsl:stylesheet>
