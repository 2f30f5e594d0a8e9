-- 0006: a board row's category or shop prefix (issue #15), when the page keeps it apart from the
-- title (a 분류 column, gnuboard's a.bo_cate_link, XE's span.category, "[판매]" in its own element).
-- NULL for rows stored before and for pages that show none.
ALTER TABLE board_rows ADD COLUMN category text;
