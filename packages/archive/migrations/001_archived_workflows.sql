-- The workflow archive (Argo's persistence.archive): one row per finished workflow, kept after Redis
-- deletes it. Listed newest first by (started_at, uid) with keyset pagination, so every page is an
-- index range scan, also 100,000 rows deep; labels as jsonb for selectors (GIN) and the label lists.
CREATE TABLE archived_workflows (
  uid         text        PRIMARY KEY,
  namespace   text        NOT NULL,
  name        text        NOT NULL,
  phase       text        NOT NULL,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  labels      jsonb       NOT NULL DEFAULT '{}',
  -- What a list shows, kept beside the document so a page never reads a whole (large) workflow.
  message     text,
  priority    integer,
  workflow    jsonb       NOT NULL,
  archived_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX archived_workflows_newest ON archived_workflows (started_at DESC, uid DESC);
CREATE INDEX archived_workflows_namespace_newest ON archived_workflows (namespace, started_at DESC, uid DESC);
-- namePrefix: a LIKE 'prefix%' range on this index (text_pattern_ops whatever the collation).
CREATE INDEX archived_workflows_name ON archived_workflows (namespace, name text_pattern_ops);
CREATE INDEX archived_workflows_labels ON archived_workflows USING gin (labels);
-- archiveTTL: rows finished before the cut-off are removed in one range.
CREATE INDEX archived_workflows_finished ON archived_workflows (finished_at);

-- Argo's archiveLogs: a workflow's node log lines, in the order they were written.
CREATE TABLE archived_workflow_logs (
  uid     text    NOT NULL REFERENCES archived_workflows (uid) ON DELETE CASCADE,
  seq     integer NOT NULL,
  node_id text    NOT NULL,
  stream  text    NOT NULL,
  line    text    NOT NULL,
  PRIMARY KEY (uid, seq)
);
