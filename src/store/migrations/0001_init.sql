-- 0001: the first schema of gisa (docs/DESIGN.md "Storage").
-- Text is UTF-8 (the database encoding); the client refuses NUL bytes and
-- invalid UTF-8 before anything is sent.

-- Where crawling starts: news sections and board lists, one per seed URL.
CREATE TABLE sources (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL,
    seed_url     text NOT NULL UNIQUE,
    kind         text NOT NULL DEFAULT 'news' CHECK (kind IN ('news', 'board')),
    enabled      boolean NOT NULL DEFAULT true,
    recrawl_interval interval NOT NULL DEFAULT interval '1 hour',
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- The frontier: every URL the crawler knows, its validators and its last outcome.
-- lease_owner/lease_expires_at let several instances claim work with
-- SELECT ... FOR UPDATE SKIP LOCKED; an expired lease is taken over.
-- Every ingest updates a row here, and next_fetch_at (indexed) changes each
-- time, so every update also writes every index: the table keeps as few
-- indexes as the claim query needs (no surrogate id, no host index yet).
CREATE TABLE urls (
    url              text PRIMARY KEY,
    host             text NOT NULL,
    source_id        bigint REFERENCES sources (id) ON DELETE SET NULL,
    state            text NOT NULL DEFAULT 'new'
                     CHECK (state IN ('new', 'fetched', 'failed', 'gone')),
    next_fetch_at    timestamptz NOT NULL DEFAULT now(),
    etag             text,
    last_modified    text,
    content_hash     bytea,
    attempts         integer NOT NULL DEFAULT 0,
    last_status      integer,
    last_error       text,
    fetched_at       timestamptz,
    lease_owner      text,
    lease_expires_at timestamptz
);
CREATE INDEX urls_due ON urls (next_fetch_at) WHERE state <> 'gone';

-- Articles, one row per canonical URL, always the latest version.
-- published_text/modified_text keep the value exactly as the record gave it
-- (a date without a time stays a date); the timestamptz columns are for queries.
CREATE TABLE articles (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url            text NOT NULL UNIQUE,
    host           text NOT NULL,
    title          text,
    subtitle       text,
    body           text[] NOT NULL,
    captions       text[] NOT NULL DEFAULT '{}',
    byline         text,
    publisher      text,
    published_at   timestamptz,
    published_text text,
    modified_at    timestamptz,
    modified_text  text,
    content_hash   bytea NOT NULL,
    first_seen     timestamptz NOT NULL DEFAULT now(),
    last_changed   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX articles_published ON articles (published_at);

-- Earlier versions of an article, written when its content hash changes.
-- valid_from is the old version's last_changed, replaced_at when it was replaced.
CREATE TABLE article_revisions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id     bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    title          text,
    subtitle       text,
    body           text[] NOT NULL,
    captions       text[] NOT NULL,
    byline         text,
    publisher      text,
    published_at   timestamptz,
    published_text text,
    modified_at    timestamptz,
    modified_text  text,
    content_hash   bytea NOT NULL,
    valid_from     timestamptz NOT NULL,
    replaced_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX article_revisions_article ON article_revisions (article_id, replaced_at);

-- Rows of board lists. A row is the same row when its board and post number
-- match, or, for rows without a number (notices), its board and URL.
-- date is kept as the record gives it: a date, or a date-time with offset.
CREATE TABLE board_rows (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    board_url    text NOT NULL,
    post_no      bigint,
    row_key      text NOT NULL GENERATED ALWAYS AS
                 (CASE WHEN post_no IS NULL THEN 'u:' || url ELSE 'n:' || post_no::text END) STORED,
    title        text NOT NULL,
    url          text NOT NULL,
    author       text,
    date         text,
    views        bigint,
    notice       boolean NOT NULL DEFAULT false,
    content_hash bytea NOT NULL,
    first_seen   timestamptz NOT NULL DEFAULT now(),
    last_changed timestamptz NOT NULL DEFAULT now(),
    UNIQUE (board_url, row_key)
);

-- Politeness per host, shared by every instance.
CREATE TABLE hosts (
    host              text PRIMARY KEY,
    next_allowed_at   timestamptz NOT NULL DEFAULT now(),
    crawl_delay       interval NOT NULL DEFAULT interval '1 second',
    robots_txt        text,
    robots_fetched_at timestamptz,
    robots_status     integer
);
