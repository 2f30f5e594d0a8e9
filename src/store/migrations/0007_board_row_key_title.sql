-- 0007: a board row without a post number and without a URL (a notice whose link is a script call,
-- `href="javascript:fn_view('12')"`: the extractor keeps the row with an empty URL) is keyed by its
-- title. Before, every such row of a board had the key 'u:' and each overwrote the last.
-- page_batch.cpp's row_key() computes the same key. Dropping the column drops its unique constraint.
ALTER TABLE board_rows DROP COLUMN row_key;
ALTER TABLE board_rows ADD COLUMN row_key text NOT NULL GENERATED ALWAYS AS
    (CASE WHEN post_no IS NOT NULL THEN 'n:' || post_no::text
          WHEN url <> '' THEN 'u:' || url
          ELSE 't:' || title END) STORED;
ALTER TABLE board_rows ADD CONSTRAINT board_rows_board_url_row_key_key UNIQUE (board_url, row_key);
