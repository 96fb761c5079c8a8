"""kamerstukken: Dutch parliamentary papers to queryable data.

Four verbs, like eyecite's; everything else is the stages they are made of::

    from pipeline.api import analyse, ingest, read, search
    doc = read("brief.pdf")                  # Document: blocks, footnotes, furniture, metadata, checks
    found = analyse(doc)                     # Analysis: citations, motions, commitments
    summary = ingest(["inbox/"], "kamerstukken.duckdb")
    hits = search("kamerstukken.duckdb", "voortgang dijkversterking", mode="hybrid")
"""
__version__ = "0.2.0"
