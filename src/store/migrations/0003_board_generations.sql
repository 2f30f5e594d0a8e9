-- 0003: a board list page that is read again unchanged is not looked into.
-- Its frontier row keeps the page's content hash; when that hash comes again,
-- its board rows are still stored as the page has them, unless a row of its
-- board was written since (by another page of the same board: a row shows on
-- page 1, then on page 2). boards.generation counts those writes, one step
-- per transaction that inserts or updates a row of the board, and each page
-- records the generation it left its board at (urls.board_generation, NULL:
-- look into it next time).
CREATE TABLE boards (
    board_url  text PRIMARY KEY,
    generation bigint NOT NULL
);
ALTER TABLE urls ADD COLUMN board_generation bigint;
