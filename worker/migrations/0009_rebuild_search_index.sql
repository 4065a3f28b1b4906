-- The agents' full-text index, rebuilt (issue #15's performance targets and its "account names" gap):
-- * a contact is also indexed under its account's name, so searching a company finds its people (`account` column;
--   an account's own name is in `name`);
-- * the indexed text is what search needs and no more: names, emails, phones (as written and as bare digits, each
--   number its own token: 0006 ran the contact's two numbers together into one), account names — salutations are
--   left out (a "Mr" in a quarter of all rows is cost with no use);
-- * no prefix indexes (0006 had `prefix = '2 3'`): they add two index entries for every word a record writes (about
--   a third of what indexing cost a first load, measured) and only speed up searches for a two- or three-letter
--   word, which FTS5 still answers from the full terms (https://www.sqlite.org/fts5.html#prefix_indexes);
-- * one view per table, so the sync's statements read a simple join SQLite flattens instead of a UNION ALL.
-- FTS5 is among the SQLite extensions D1 supports: https://developers.cloudflare.com/d1/sql-api/sql-statements/
-- ("Supported SQLite extensions"). search_keys (0006) keeps each record's stable rowid and is reused as it is.
DROP VIEW search_text;
DROP TABLE record_search;
CREATE VIRTUAL TABLE record_search USING fts5 (name, email, phone, account, tokenize = 'unicode61 remove_diacritics 2');

CREATE VIEW contact_search_text AS
  SELECT c.tenant_id, c.contactid AS record_id,
         trim(coalesce(c.firstname || ' ', '') || coalesce(c.lastname, '') || coalesce(' ' || c.nickname, '')) AS name,
         trim(coalesce(c.emailaddress1, '') || coalesce(' ' || c.emailaddress2, '')) AS email,
         trim(coalesce(c.telephone1 || ' ', '') || coalesce(c.telephone2 || ' ', '') || coalesce(c.mobilephone || ' ', '') ||
           coalesce(replace(replace(replace(replace(replace(replace(c.telephone1, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', '') || ' ', '') ||
           coalesce(replace(replace(replace(replace(replace(replace(c.mobilephone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', ''), '')) AS phone,
         a.name AS account
    FROM contact c LEFT JOIN account a ON a.tenant_id = c.tenant_id AND a.accountid = c.parentcustomerid;

CREATE VIEW account_search_text AS
  SELECT tenant_id, accountid AS record_id,
         trim(coalesce(name, '') || coalesce(' ' || accountnumber, '') || coalesce(' ' || tickersymbol, '')) AS name,
         coalesce(websiteurl, '') AS email,
         trim(coalesce(telephone1 || ' ', '') ||
           coalesce(replace(replace(replace(replace(replace(replace(telephone1, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', ''), '')) AS phone,
         NULL AS account
    FROM account;

-- Backfill: every copied record, with the same views the sync uses (search_keys already holds their rowids).
INSERT INTO search_keys (tenant_id, table_name, record_id) SELECT tenant_id, 'contact', contactid FROM contact WHERE true
  ON CONFLICT (tenant_id, table_name, record_id) DO NOTHING;
INSERT INTO search_keys (tenant_id, table_name, record_id) SELECT tenant_id, 'account', accountid FROM account WHERE true
  ON CONFLICT (tenant_id, table_name, record_id) DO NOTHING;
INSERT INTO record_search (rowid, name, email, phone, account)
  SELECT k.id, t.name, t.email, t.phone, t.account
    FROM contact_search_text t JOIN search_keys k ON k.tenant_id = t.tenant_id AND k.table_name = 'contact' AND k.record_id = t.record_id;
INSERT INTO record_search (rowid, name, email, phone, account)
  SELECT k.id, t.name, t.email, t.phone, t.account
    FROM account_search_text t JOIN search_keys k ON k.tenant_id = t.tenant_id AND k.table_name = 'account' AND k.record_id = t.record_id;
