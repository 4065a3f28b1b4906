-- 0003 gained these two indexes after it had landed (commit 3e72c5e): a D1 that applied 0003 before then never got
-- them. IF NOT EXISTS makes this a no-op where 0003 already made them. The connector view counts each connector's
-- rows; without these, every count scans the tenant's rows.
CREATE INDEX IF NOT EXISTS contact_connector ON contact (tenant_id, forcebridge_connector_id);
CREATE INDEX IF NOT EXISTS account_connector ON account (tenant_id, forcebridge_connector_id);
