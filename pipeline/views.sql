-- Analyst views over the tables; docs/schema.md describes every one.
-- Days overdue are counted to `as_of`: SET VARIABLE as_of = DATE '2025-12-31' (default: today).

CREATE OR REPLACE VIEW commitments_open AS
SELECT c.doc_id, c.seq, d.title, d.sender, d.doc_date, c.actor, c.text, c.deadline_text, c.deadline,
       coalesce(CAST(getvariable('as_of') AS DATE), current_date) AS as_of,
       c.deadline IS NOT NULL AND c.deadline < coalesce(CAST(getvariable('as_of') AS DATE), current_date) AS overdue,
       CASE WHEN c.deadline < coalesce(CAST(getvariable('as_of') AS DATE), current_date)
            THEN date_diff('day', c.deadline, coalesce(CAST(getvariable('as_of') AS DATE), current_date)) END
           AS days_overdue
FROM commitments c JOIN documents d USING (doc_id)
WHERE c.kind = 'new'
  AND NOT EXISTS (SELECT 1 FROM commitment_links l WHERE l.doc_id = c.doc_id AND l.seq = c.seq);

CREATE OR REPLACE VIEW commitments_kept AS
SELECT c.doc_id, c.seq, d.title, d.doc_date, c.text, c.deadline,
       l.fulfilled_by_doc, f.doc_date AS kept_on, k.text AS kept_by, l.method, l.similarity,
       c.deadline IS NOT NULL AND f.doc_date > c.deadline AS late
FROM commitment_links l
JOIN commitments c ON c.doc_id = l.doc_id AND c.seq = l.seq
JOIN documents d ON d.doc_id = c.doc_id
JOIN commitments k ON k.doc_id = l.fulfilled_by_doc AND k.seq = l.fulfilled_by_seq
JOIN documents f ON f.doc_id = l.fulfilled_by_doc;

CREATE OR REPLACE VIEW commitments_by_month AS
SELECT CAST(date_trunc('month', d.doc_date) AS DATE) AS month, coalesce(d.sender, 'onbekend') AS sender,
       c.kind, count(*) AS commitments
FROM commitments c JOIN documents d USING (doc_id)
WHERE d.doc_date IS NOT NULL
GROUP BY ALL;

CREATE OR REPLACE VIEW motions_by_disposition AS
SELECT CAST(date_trunc('month', d.doc_date) AS DATE) AS month, m.disposition, count(*) AS motions
FROM motions m JOIN documents d USING (doc_id)
WHERE d.doc_date IS NOT NULL
GROUP BY ALL;

CREATE OR REPLACE VIEW motion_history AS
SELECT coalesce(m.ref, 'movers:' || array_to_string(list_sort(list_transform(m.movers, x -> lower(x))), '/'))
           AS motion_key,
       any_value(m.ref) AS ref,
       list_distinct(flatten(list(m.movers))) AS movers,
       count(DISTINCT m.doc_id) AS letters,
       min(d.doc_date) AS first_seen, max(d.doc_date) AS last_seen,
       arg_max(m.disposition, d.doc_date) AS latest_disposition,
       CASE max(CASE m.disposition WHEN 'afgedaan' THEN 2 WHEN 'uitgevoerd' THEN 1 ELSE 0 END)
            WHEN 2 THEN 'afgedaan' WHEN 1 THEN 'uitgevoerd' ELSE 'genoemd' END AS strongest_disposition,
       list({'doc_id': m.doc_id, 'doc_date': d.doc_date, 'disposition': m.disposition} ORDER BY d.doc_date)
           AS history
FROM motions m JOIN documents d USING (doc_id)
WHERE m.ref IS NOT NULL OR len(m.movers) > 0
GROUP BY 1;

CREATE OR REPLACE VIEW citation_graph AS
SELECT c.doc_id AS citing_doc, d.title AS citing_title, d.doc_date AS citing_date, c.citation_id AS cited_id,
       c.kind, any_value(c.dossier) AS dossier, count(*) AS times
FROM citations c JOIN documents d USING (doc_id)
GROUP BY ALL;

CREATE OR REPLACE VIEW dossiers_most_cited AS
SELECT dossier, count(DISTINCT doc_id) AS citing_documents, count(*) AS citations,
       count(DISTINCT citation_id) AS distinct_papers
FROM citations WHERE dossier IS NOT NULL
GROUP BY dossier;

CREATE OR REPLACE VIEW documents_by_month AS
SELECT CAST(date_trunc('month', doc_date) AS DATE) AS month, doc_type, count(*) AS documents
FROM documents WHERE doc_date IS NOT NULL
GROUP BY ALL;

CREATE OR REPLACE VIEW topic_trends AS
WITH counted AS (
    SELECT CAST(date_trunc('month', d.doc_date) AS DATE) AS month, t.topic, t.label, count(*) AS passages
    FROM passage_topics pt
    JOIN topics t USING (topic)
    JOIN documents d ON d.doc_id = pt.doc_id
    WHERE d.doc_date IS NOT NULL
    GROUP BY ALL)
SELECT month, topic, label, passages, passages / sum(passages) OVER (PARTITION BY month) AS share
FROM counted;
