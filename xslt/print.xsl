<?xml version="1.0" encoding="UTF-8"?>
<!--
  print.xsl: the book (WeasyPrint). Overrides only the behaviours that differ from the core:
  notes become footnotes at their call (the book stylesheet floats span.footnote to the page foot
  and numbers it), the corrected reading stands in the text (the core default) and the source's
  readings go to an apparatus after the text, keyed to paragraph numbers; a reference to another
  document adds its number and page, "no. 7, p. 23", from the link table. All documents share one
  book file, so local ids carry the document id.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:ed="https://cmc-edition.example.org/ns/xslt"
  xmlns:b="https://cmc-edition.example.org/ns/behaviour"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:import href="edition.xsl"/>

  <xsl:function name="b:anchor" as="xs:string">
    <xsl:param name="local" as="xs:string"/>
    <xsl:param name="context" as="node()"/>
    <xsl:sequence select="string-join((root($context)/tei:TEI/@xml:id, $local), '-')"/>
  </xsl:function>

  <xsl:template name="b:note-call">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="type" as="xs:string?"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:param name="context" as="node()"/>
    <span class="footnote {$type}" data-n="{$n}">
      <xsl:sequence select="$content"/>
    </span>
  </xsl:template>

  <!-- "… Kennedy's answer [no. 9, p. 23]": the number always, the page once pagination knows it.
       No-break spaces keep "no. 9" and "p. 23" together. -->
  <xsl:template name="b:document-link">
    <xsl:param name="document" as="element(document)"/>
    <xsl:param name="class" as="xs:string?"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:call-template name="b:link">
      <xsl:with-param name="href" select="$document/@href"/>
      <xsl:with-param name="class" select="$class"/>
      <xsl:with-param name="content" select="$content"/>
    </xsl:call-template>
    <xsl:variable name="where" select="
      ($document/@number[normalize-space()] ! ('no.&#160;' || normalize-space())),
      ($document/@page[normalize-space()] ! ('p.&#160;' || normalize-space()))"/>
    <xsl:if test="exists($where)">
      <span class="xref"> [{string-join($where, ', ')}]</span>
    </xsl:if>
  </xsl:template>

  <!-- "3 U.S.A.] U.S.A source" -->
  <xsl:template name="b:apparatus">
    <xsl:param name="entries" as="map(*)*"/>
    <xsl:param name="context" as="node()"/>
    <xsl:if test="exists($entries)">
      <section class="apparatus" aria-label="Textual apparatus">
        <xsl:for-each select="$entries">
          <p class="app-entry">
            <span class="app-n">{?key}</span>
            <xsl:text> </xsl:text>
            <span class="lem">{?lemma}</span>
            <xsl:text>] </xsl:text>
            <span class="rdg">{?reading}</span>
            <xsl:text> </xsl:text>
            <span class="wit">source</span>
          </p>
        </xsl:for-each>
      </section>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
