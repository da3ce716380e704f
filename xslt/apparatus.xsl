<?xml version="1.0" encoding="UTF-8"?>
<!--
  apparatus.xsl: the emendations. choice = sic/corr (also orig/reg, abbr/expan).

  In the text a choice is one place with two readings (b:alternate: web shows both and lets the
  reader switch, print shows the preferred one). After the text, each emendation is an apparatus
  entry keyed to its paragraph number, "3 U.S.A.] U.S.A source" (b:apparatus, print only).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:ed="https://cmc-edition.example.org/ns/xslt"
  xmlns:b="https://cmc-edition.example.org/ns/behaviour"
  exclude-result-prefixes="#all" expand-text="yes">

  <!-- the editor's reading first, the source's second -->
  <xsl:variable name="ed:preferred" as="xs:string*" select="'corr', 'reg', 'expan'"/>
  <xsl:variable name="ed:source" as="xs:string*" select="'sic', 'orig', 'abbr'"/>

  <xsl:template match="tei:choice[tei:corr or tei:reg or tei:expan][tei:sic or tei:orig or tei:abbr]">
    <xsl:variable name="preferred" select="*[local-name() = $ed:preferred][1]"/>
    <xsl:variable name="other" select="*[local-name() = $ed:source][1]"/>
    <xsl:call-template name="b:alternate">
      <xsl:with-param name="preferred" as="item()*"><xsl:apply-templates select="$preferred/node()"/></xsl:with-param>
      <xsl:with-param name="preferred-class" select="local-name($preferred)"/>
      <xsl:with-param name="other" as="item()*"><xsl:apply-templates select="$other/node()"/></xsl:with-param>
      <xsl:with-param name="other-class" select="local-name($other)"/>
      <xsl:with-param name="other-text" select="normalize-space($other)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- Where an emendation sits, for the apparatus: the paragraph number; else the note number;
       else the part of the letter (opener, closer …). -->
  <xsl:function name="ed:apparatus-key" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="note" select="$node/ancestor::tei:note[1]"/>
    <xsl:sequence select="
      if ($note) then 'n. ' || ed:note-number($note)
      else if ($node/ancestor::tei:p[@n]) then string($node/ancestor::tei:p[@n][1]/@n)
      else local-name(($node/ancestor::*[self::tei:opener or self::tei:closer
                                          or self::tei:postscript or self::tei:div])[last()])"/>
  </xsl:function>

  <!-- Called once per text by edition.xsl. An empty side is printed "om." (omitted). -->
  <xsl:template name="ed:apparatus">
    <xsl:call-template name="b:apparatus">
      <xsl:with-param name="entries" as="map(*)*">
        <xsl:for-each select=".//tei:choice[tei:corr or tei:reg or tei:expan]
                                           [tei:sic or tei:orig or tei:abbr]">
          <xsl:sequence select="map {
            'key': ed:apparatus-key(.),
            'lemma': (normalize-space(*[local-name() = $ed:preferred][1])[. ne ''], 'om.')[1],
            'reading': (normalize-space(*[local-name() = $ed:source][1])[. ne ''], 'om.')[1] }"/>
        </xsl:for-each>
      </xsl:with-param>
      <xsl:with-param name="context" select="."/>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
