-- 0005: politeness shared by every instance on one frontier (issue #14).
--
-- A host is leased to one instance at a time: only the lease owner claims the host's URLs, so the
-- per-host delay and in-flight cap that the owner's fetcher keeps hold for all instances together.
-- The owner gives the host back once it has nothing of it left to fetch, and writes when the host
-- may be asked next (next_allowed_at, from its last request); the next owner waits until then. A
-- lease whose owner died runs out like a URL's lease.
ALTER TABLE hosts ADD COLUMN lease_owner text;
ALTER TABLE hosts ADD COLUMN lease_expires_at timestamptz;
-- robots.txt lives in robots_files below: it belongs to an origin (scheme, host and port), and a
-- host name may have several. These columns of 0001 were never written.
ALTER TABLE hosts DROP COLUMN robots_txt;
ALTER TABLE hosts DROP COLUMN robots_fetched_at;
ALTER TABLE hosts DROP COLUMN robots_status;
ALTER TABLE hosts DROP COLUMN crawl_delay;
-- Every host of the frontier has a row: the claim walks the hosts, not the URLs.
INSERT INTO hosts (host) SELECT DISTINCT host FROM urls ON CONFLICT (host) DO NOTHING;

-- A host's due URLs in due order: the claim's probe per host.
CREATE INDEX urls_host_due ON urls (host, next_fetch_at)
    WHERE state IN ('new', 'fetched') AND source_id IS NOT NULL;

-- robots.txt as an instance fetched it, for the others: fetched once per origin and TTL.
-- status: the HTTP status (2xx: body parsed; 4xx: no rules). Unreachable answers are not shared.
CREATE TABLE robots_files (
    origin     text PRIMARY KEY,  -- scheme://host:port
    host       text NOT NULL,
    status     integer NOT NULL,
    body       text NOT NULL,
    fetched_at timestamptz NOT NULL
);
CREATE INDEX robots_files_host ON robots_files (host);

-- The instances at work: each claim and lease renewal says the owner is alive. A host's fair share
-- for one instance is the hosts with work over the instances seen within a lease.
CREATE TABLE crawlers (
    owner      text PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now(),
    seen_at    timestamptz NOT NULL DEFAULT now()
);
