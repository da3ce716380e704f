"""Where the harvest stage publishes its files, relative to the site root (build/site/).

One place for these paths, so the site's pages, the server and the tests agree on them:

    tei/<id>.xml                  every document, byte for byte as in the edition's tei/ folder
    tei/register/<name>.xml       every register, likewise
    tei/corpus.xml                a teiCorpus gathering all of them
    tei/corpus.zip                a ZIP of exactly the corpus files (entries under tei/)
    schema/edition.rng, .sch      the schema the files' xml-model instructions point to
    cmif.xml                      the letters' metadata in CMIF 1.1, for correspSearch
    oai-static-repository.xml     an OAI-PMH Static Repository, for hosts without a server
    harvest/oai-records.xml       the records `edition serve` answers OAI-PMH requests from
    sitemap.xml, robots.txt       for search engines
"""

from __future__ import annotations

TEI_FOLDER = "tei"
REGISTER_FOLDER = "tei/register"
TEI_CORPUS = "tei/corpus.xml"
TEI_ZIP = "tei/corpus.zip"
ZIP_FOLDER = "tei"  # every entry of the ZIP lies under this folder
SCHEMA_FOLDER = "schema"
CMIF = "cmif.xml"
STATIC_REPOSITORY = "oai-static-repository.xml"
OAI_RECORDS = "harvest/oai-records.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
