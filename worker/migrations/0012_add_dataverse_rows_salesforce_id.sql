-- The Dataverse ledger (`dataverse_rows`, migration 0008) becomes the copy's record for Id reconciliation: which
-- connector wrote each row, and the Salesforce Id it came from, so a reconciliation can walk one connector's rows in
-- Salesforce Id order and compare them with the Ids Salesforce still has (sync/reconcile.ts). Both are written with
-- every row from now on (an upsert carries its record's Id; a delete keeps the Id the row already has).
--
-- Backfilled here: `connector_id`, for the rows of an environment exactly one connector writes to (the connector's
-- stored destination names the connection). Not backfilled:
--  - `salesforce_id` of rows written before this migration. The row's GUID is a UUID v5 of the Salesforce Id, a
--    one-way SHA-1 hash, and nothing else in D1 holds the Id of a row written to Dataverse (the D1 tables stay empty
--    for such a connector). Each row gets its Id the next time its record is written; until then a reconciliation
--    leaves it alone (the destination contract's rule 5: a row without a Salesforce Id is never compared, so never
--    deleted). A row whose record was purged from Salesforce before being written again stays in Dataverse; deleting
--    it by hand, or recreating the connector, is the way out.
--  - `connector_id` where two or more connectors write to one environment: the next write of each row says which.
ALTER TABLE dataverse_rows ADD COLUMN connector_id TEXT;
ALTER TABLE dataverse_rows ADD COLUMN salesforce_id TEXT;

UPDATE dataverse_rows SET connector_id = (
  SELECT c.id FROM connectors c WHERE c.destination ->> '$.dataverseConnectionId' = dataverse_rows.dataverse_connection_id
) WHERE (SELECT count(*) FROM connectors c WHERE c.destination ->> '$.dataverseConnectionId' = dataverse_rows.dataverse_connection_id) = 1;

-- A connector's rows of a table in Salesforce Id order: what reconciliation walks, a bounded chunk at a time.
CREATE INDEX dataverse_rows_by_salesforce_id ON dataverse_rows (dataverse_connection_id, connector_id, table_name, salesforce_id)
  WHERE salesforce_id IS NOT NULL;
