<?xml version="1.0" encoding="UTF-8"?>
<!--
  links.xsl: pointer resolution. persName/placeName/orgName/ref/ptr → link, through the link table.

  The stylesheet never reads files or follows URLs: every pointer is looked up in the $links
  parameter, a small no-namespace document that Python builds from the corpus:
    <links>
      <document id="…" href="….html" number="9" title="…" page="23"/>   (page: print only)
      <entry key="person:castro" href="../persons/castro.html" label="Fidel Castro"/>
    </links>
  Resolution:  doc:ID → document[@id];  person:/place:/org:/source:KEY → entry[@key];
               #id → an element of this file;  http(s)://… → itself;  anything else → unresolved.
  An unresolved pointer is plain text with class "unresolved": the check stage reports it, the
  transform must not fail on it. An entry without @href (e.g. a print build without register pages)
  is resolved but rendered as text.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:ed="https://cmc-edition.example.org/ns/xslt"
  xmlns:b="https://cmc-edition.example.org/ns/behaviour"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:param name="links" as="document-node()">
    <xsl:document><links/></xsl:document>
  </xsl:param>

  <xsl:key name="ed:document" match="document" use="@id"/>
  <xsl:key name="ed:entry" match="entry" use="@key"/>
  <xsl:key name="ed:xml-id" match="*[@xml:id]" use="@xml:id"/>

  <!-- An href is safe when it is absolute http(s), or relative without a scheme (a page of the
       edition or a #fragment). No whitespace, control characters or backslashes anywhere (browsers
       strip or reinterpret them, e.g. "java\tscript:" or "/\evil"), and no protocol-relative "//". -->
  <xsl:function name="ed:safe-href" as="xs:string?">
    <xsl:param name="href" as="xs:string?"/>
    <xsl:sequence select="$href[. ne ''][not(matches(., '[\s\p{Cc}\\]'))]
                               [matches(., '^https?://[^/]', 'i')
                                or (matches(., '^[^:/?#]*([/?#].*)?$') and not(starts-with(., '//')))]"/>
  </xsl:function>

  <!-- The link a pointer resolves to, as a map { 'href': …?, 'title': …?, 'document': row? },
       or () when it does not resolve. Only single pointers resolve: a list is left to the check. -->
  <xsl:function name="ed:resolve" as="map(*)?">
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:param name="context" as="node()"/>
    <xsl:variable name="p" select="normalize-space($pointer)"/>
    <xsl:choose>
      <xsl:when test="$p = '' or contains($p, ' ')"/>
      <xsl:when test="starts-with($p, 'doc:')">
        <xsl:for-each select="key('ed:document', substring-after($p, 'doc:'), $links)[1]">
          <xsl:sequence select="map { 'href': string(@href), 'title': string(@title), 'document': . }"/>
        </xsl:for-each>
      </xsl:when>
      <xsl:when test="matches($p, '^(person|place|org|source):')">
        <xsl:for-each select="key('ed:entry', $p, $links)[1]">
          <xsl:sequence select="map { 'href': @href/string(), 'title': string(@label) }"/>
        </xsl:for-each>
      </xsl:when>
      <xsl:when test="starts-with($p, '#')">
        <xsl:for-each select="key('ed:xml-id', substring($p, 2), root($context))[1]">
          <xsl:sequence select="map { 'href': '#' || ed:html-id(.) }"/>
        </xsl:for-each>
      </xsl:when>
      <xsl:when test="matches($p, '^https?://', 'i')">
        <xsl:sequence select="map { 'href': $p }"/>
      </xsl:when>
    </xsl:choose>
  </xsl:function>

  <!-- The HTML id an element of this file is rendered with (the target of a #pointer). -->
  <xsl:function name="ed:html-id" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="
      if ($element/self::tei:p[@n]) then b:anchor('p' || $element/@n, $element)
      else if ($element/self::tei:note) then b:anchor('n' || ed:note-number($element), $element)
      else b:anchor(string($element/@xml:id), $element)"/>
  </xsl:function>

  <xsl:template match="tei:persName[@ref] | tei:placeName[@ref] | tei:orgName[@ref]
                       | tei:name[@ref] | tei:rs[@ref]" priority="0.5">
    <xsl:call-template name="ed:pointer">
      <xsl:with-param name="pointer" select="string(@ref)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:ref[@target] | tei:ptr[@target]" priority="0.5">
    <xsl:call-template name="ed:pointer">
      <xsl:with-param name="pointer" select="string(@target)"/>
      <xsl:with-param name="class" select="string-join(('ref', @type), ' ')"/>
    </xsl:call-template>
  </xsl:template>

  <!--
    One place that turns a pointer into a link, a document link, or text.
    Links never nest (an <a> inside an <a> is invalid HTML and browsers split it): inside a link,
    the tunnel parameter ed:in-link makes inner pointers plain text and holds back notes; the
    outermost link then renders those notes right after itself.
  -->
  <xsl:template name="ed:pointer">
    <xsl:param name="pointer" as="xs:string"/>
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="ed:in-link" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="link" select="ed:resolve($pointer, .)"/>
    <xsl:variable name="linkable" select="exists(ed:safe-href($link?href)) and not($ed:in-link)"/>
    <xsl:variable name="content" as="item()*">
      <xsl:apply-templates>
        <xsl:with-param name="ed:in-link" select="$linkable or $ed:in-link" tunnel="yes"/>
      </xsl:apply-templates>
      <!-- an empty ref/ptr shows the label the link table gives, else the pointer itself -->
      <xsl:if test="not(node())">{($link?title[. ne ''], $pointer)[1]}</xsl:if>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$linkable and exists($link?document)">
        <xsl:call-template name="b:document-link">
          <xsl:with-param name="document" select="$link?document"/>
          <xsl:with-param name="class" select="$class"/>
          <xsl:with-param name="content" select="$content"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$linkable">
        <xsl:call-template name="b:link">
          <xsl:with-param name="href" select="$link?href"/>
          <xsl:with-param name="class" select="$class"/>
          <xsl:with-param name="title" select="$link?title[. ne '']"/>
          <xsl:with-param name="content" select="$content"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="b:inline">
          <xsl:with-param name="class"
            select="string-join(($class, if (exists($link)) then () else 'unresolved'), ' ')"/>
          <!-- A resolved register entry that cannot be a link here (it stands inside another link)
               keeps its key, so the book's index still finds the mention. -->
          <xsl:with-param name="attributes" as="attribute()*">
            <xsl:if test="exists($link) and matches($pointer, '^(person|place|org|source):[A-Za-z0-9._-]+$')">
              <xsl:attribute name="data-ref" select="$pointer"/>
            </xsl:if>
          </xsl:with-param>
          <xsl:with-param name="content" select="$content"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="$linkable">
      <xsl:apply-templates select=".//tei:note">
        <xsl:with-param name="ed:in-link" select="false()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
