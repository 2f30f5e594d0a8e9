-- 0004: the crawl daemon's sources and frontier (issue #13).
--
-- A source is a [[source]] table of the config file, keyed by its name; the
-- daemon syncs them in on start and on SIGHUP. A source that leaves the
-- config is disabled, never deleted: its URLs, articles and board rows stay.
-- One source has several start URLs, so seed_url is no longer its key.
ALTER TABLE sources DROP CONSTRAINT sources_seed_url_key;
ALTER TABLE sources ALTER COLUMN seed_url DROP NOT NULL;
ALTER TABLE sources ADD CONSTRAINT sources_name_key UNIQUE (name);
ALTER TABLE sources ADD COLUMN settings jsonb NOT NULL DEFAULT '{}';
ALTER TABLE sources ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- What a URL is to the crawl loop:
--   start    a configured start URL (a board list, a news section, a feed or a sitemap),
--            read again every interval_s;
--   list     a later page of a board list, reached through next_page (list_page 1, 2, ...),
--            read again every interval_s;
--   feed     a sitemap named by a sitemap index, read again every interval_s;
--   article  a post or article, fetched once, then re-checked with a conditional GET
--            on a slower schedule until recheck time runs out (next_fetch_at 'infinity');
--   page     stored by `gisa ingest`, which belongs to no source and is never claimed.
-- first_claimed_at: when the crawl first took the URL (the re-check window counts from it).
ALTER TABLE urls ADD COLUMN kind text NOT NULL DEFAULT 'page'
    CHECK (kind IN ('page', 'start', 'list', 'feed', 'article'));
ALTER TABLE urls ADD COLUMN list_page integer NOT NULL DEFAULT 0;
ALTER TABLE urls ADD COLUMN first_claimed_at timestamptz;
ALTER TABLE urls ADD COLUMN discovered_at timestamptz NOT NULL DEFAULT now();

-- The claim query's index: due URLs of the crawl in due order. Failed, gone
-- and ingest-only URLs are not in it.
CREATE INDEX urls_claimable ON urls (next_fetch_at)
    WHERE state IN ('new', 'fetched') AND source_id IS NOT NULL;
-- gisa status counts per source.
CREATE INDEX urls_source ON urls (source_id, state);
